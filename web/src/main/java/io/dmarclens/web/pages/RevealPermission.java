package io.dmarclens.web.pages;

import io.dmarclens.store.users.Role;
import io.dmarclens.web.auth.AuditTrail;
import io.dmarclens.web.auth.AuthGate;
import io.dmarclens.web.auth.Principal;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;

/**
 * Who may see the people in a failure report: the full addresses of its sample. Analysts and admins may,
 * in a browser session (API tokens never may); viewers always see failure reports redacted. Every reveal,
 * and every refused one, goes to the audit log.
 */
public final class RevealPermission {
    private final AuditTrail audit;

    public RevealPermission(AuditTrail audit) {
        this.audit = audit;
    }

    /** Whether the caller of this request holds the permission (a browser session of an analyst or admin). */
    public boolean allows(Context ctx) {
        Principal p = AuthGate.principal(ctx);
        return !p.readOnly() && p.role().atLeast(Role.ANALYST);
    }

    /**
     * Lets the request go on and logs it if the caller holds the permission; refuses it with 403 otherwise.
     *
     * @param what what is being revealed, for the log ("failure report 12 addresses")
     */
    public void use(Context ctx, String what) {
        Principal p = AuthGate.principal(ctx);
        if (p.readOnly()) {
            throw new ForbiddenResponse("API tokens cannot reveal the addresses of failure reports");
        }
        if (!allows(ctx)) {
            audit.record(ctx, p.user(), AuditTrail.REVEAL + ".refused", what);
            throw new ForbiddenResponse("revealing the addresses of failure reports needs the analyst or admin role");
        }
        audit.record(ctx, p.user(), AuditTrail.REVEAL, what);
    }
}
