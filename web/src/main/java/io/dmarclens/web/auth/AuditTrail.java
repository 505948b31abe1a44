package io.dmarclens.web.auth;

import io.dmarclens.store.audit.AuditEntry;
import io.dmarclens.store.audit.AuditLog;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what users do to the audit log (when the dashboard has one) and to the {@code dmarclens.audit}
 * logger. Exports, downloads, uploads and quarantine actions are noted here after they succeeded, for
 * every route at once; logins and reveals are noted by the code that decides them.
 */
public final class AuditTrail {
    /** Login with the right password (and second factor when needed). */
    public static final String LOGIN = "login";
    /** Login refused: wrong name, password or code, or too many attempts. */
    public static final String LOGIN_FAILED = "login.failed";
    /** Failure-report personal data shown. */
    public static final String REVEAL = "reveal";
    /** CSV export. */
    public static final String EXPORT = "export";
    /** Raw report or quarantined mail downloaded. */
    public static final String DOWNLOAD = "download";
    /** Reports uploaded through the dashboard. */
    public static final String UPLOAD = "upload";
    /** A quarantined message retried. */
    public static final String QUARANTINE = "quarantine.retry";
    /** Second factor enrolled or removed. */
    public static final String TWO_FACTOR = "two-factor";
    /** API token created (its id, never its secret). */
    public static final String TOKEN_CREATE = "token.create";
    /** API token revoked, by its owner or an admin. */
    public static final String TOKEN_REVOKE = "token.revoke";
    /** User added. */
    public static final String USER_ADD = "user.add";
    /** User's role changed. */
    public static final String USER_ROLE = "user.role";
    /** User's scope changed. */
    public static final String USER_SCOPE = "user.scope";
    /** User's password set. */
    public static final String USER_PASSWORD = "user.password";
    /** User removed. */
    public static final String USER_REMOVE = "user.remove";

    private static final Logger LOG = LoggerFactory.getLogger("dmarclens.audit");
    private final Optional<AuditLog> log;
    private final Clock clock;
    private final TrustedProxies proxies;

    /** Writes to {@code log} (null: the logger only). */
    public AuditTrail(AuditLog log, Clock clock, TrustedProxies proxies) {
        this.log = Optional.ofNullable(log);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.proxies = Objects.requireNonNull(proxies, "proxies");
    }

    /** The log read by the audit page, empty when the dashboard runs without one. */
    public Optional<AuditLog> log() {
        return log;
    }

    /** Notes that {@code user} did {@code action} to {@code subject} in this request. */
    public void record(Context ctx, String user, String action, String subject) {
        String address = LoginRoutes.client(ctx, proxies).getHostAddress();
        AuditEntry e = new AuditEntry(clock.instant(), user, action, subject, address);
        LOG.info("{} user={} subject=\"{}\" address={}", action, user, subject, address);
        log.ifPresent(l -> l.append(e));
    }

    /** Runs after every request: notes the exports, downloads, uploads and quarantine actions that worked. */
    public void after(Context ctx) {
        Principal p = ctx.attribute(AuthGate.PRINCIPAL);
        if (p == null || ctx.status().getCode() >= 400) {
            return;
        }
        String path = ctx.path();
        boolean reads = ctx.method() == HandlerType.GET || ctx.method() == HandlerType.HEAD;
        String subject = ctx.queryString() == null ? path : path + "?" + ctx.queryString();
        if (reads && path.endsWith(".csv")) {
            record(ctx, p.user(), EXPORT, subject);
        } else if (reads && Access.isDownload(path)) {
            record(ctx, p.user(), DOWNLOAD, subject);
        } else if (!reads && path.endsWith("/upload")) {
            record(ctx, p.user(), UPLOAD, path);
        } else if (!reads && path.contains("/ingest/quarantine/")) {
            record(ctx, p.user(), QUARANTINE, path);
        }
    }
}
