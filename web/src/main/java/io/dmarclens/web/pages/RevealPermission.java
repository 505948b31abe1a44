package io.dmarclens.web.pages;

import io.dmarclens.web.auth.AuthGate;
import io.dmarclens.web.auth.Principal;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import java.time.Clock;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may see the people in a failure report: the full addresses of its sample and its original file.
 * Until roles exist (#12) it is an explicit permission, given by name ({@code web.reveal_users}), that API
 * tokens never have; every use of it is logged with the user and the time to the {@code dmarclens.audit}
 * logger.
 */
public final class RevealPermission {
    private static final Logger AUDIT = LoggerFactory.getLogger("dmarclens.audit");
    private final Set<String> users;
    private final Clock clock;

    public RevealPermission(Set<String> users, Clock clock) {
        this.users = Set.copyOf(users);
        this.clock = clock;
    }

    /** Whether the caller of this request holds the permission (a browser session of a listed user). */
    public boolean allows(Context ctx) {
        Principal p = AuthGate.principal(ctx);
        return !p.readOnly() && users.contains(p.user());
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
        if (!users.contains(p.user())) {
            AUDIT.info("reveal refused: user={} what=\"{}\" at={}", p.user(), what, clock.instant());
            throw new ForbiddenResponse("revealing the addresses of failure reports needs the reveal permission "
                    + "(web.reveal_users in the configuration)");
        }
        AUDIT.info("reveal: user={} what=\"{}\" at={}", p.user(), what, clock.instant());
    }
}
