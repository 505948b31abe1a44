package io.dmarclens.web.auth;

import io.dmarclens.store.query.DomainScope;

import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import io.javalin.http.UnauthorizedResponse;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Runs before every request: lets the public paths through, finds the caller by session cookie or
 * bearer token, refuses everybody else (401 for the API, a redirect to the login page for pages),
 * ends a session whose user was removed or given a new password since it began, refuses (403) what the
 * caller's role may not do ({@link Access}), and checks the CSRF token of every state-changing request made
 * by a browser session.
 */
public final class AuthGate {
    public static final String SESSION_COOKIE = "dmarclens_session";
    public static final String CSRF_FIELD = "_csrf";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    static final String PRINCIPAL = "dmarclens.principal";

    private final Sessions sessions;
    private final UserStore users;

    public AuthGate(Sessions sessions, UserStore users) {
        this.sessions = sessions;
        this.users = users;
    }

    /**
     * Paths anybody may request: the health and readiness checks, the login form (both steps) and the static assets; and
     * {@code /metrics}, which checks its own bearer token (a scraper has no dashboard account).
     */
    public static boolean isPublic(String path) {
        return path.equals("/health") || path.equals("/ready") || path.equals("/metrics") || path.equals("/login")
                || path.equals("/login/code")
                || path.startsWith("/static/")
                || path.startsWith("/webjars/") || path.equals("/favicon.ico");
    }

    public void before(Context ctx) {
        String path = ctx.path();
        if (isPublic(path)) {
            return;
        }
        Principal principal = identify(ctx).orElse(null);
        if (principal == null) {
            refuse(ctx, path);
            return;
        }
        if (principal.session() != null && principal.session().enrolOnly() && !Access.isOwnAccount(path)) {
            // The role needs a second factor and there is none yet: enrol first, nothing else.
            if (path.startsWith("/api/") || ctx.method() != HandlerType.GET) {
                throw new ForbiddenResponse("your role needs a two-factor login: enrol at /account/two-factor first");
            }
            ctx.header("Location", "/account/two-factor");
            ctx.status(HttpStatus.SEE_OTHER);
            ctx.skipRemainingHandlers();
            ctx.attribute(PRINCIPAL, principal);
            return;
        }
        if (!principal.role().atLeast(Access.needed(ctx.method(), path))) {
            throw new ForbiddenResponse("your role (" + principal.role().id() + ") may not do this: ask an admin");
        }
        boolean changesState = ctx.method() != HandlerType.GET && ctx.method() != HandlerType.HEAD;
        if (changesState) {
            if (principal.readOnly()) {
                throw new ForbiddenResponse("API tokens are read-only");
            }
            String sent = Optional.ofNullable(ctx.header(CSRF_HEADER)).orElseGet(() -> ctx.formParam(CSRF_FIELD));
            if (sent == null || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
                    principal.csrfToken().getBytes(StandardCharsets.UTF_8))) {
                throw new ForbiddenResponse("missing or wrong CSRF token: reload the page and try again");
            }
        }
        ctx.attribute(PRINCIPAL, principal);
    }

    /** The caller of a request that passed the gate. */
    public static Principal principal(Context ctx) {
        Principal p = ctx.attribute(PRINCIPAL);
        if (p == null) {
            throw new UnauthorizedResponse("not logged in");
        }
        return p;
    }

    private Optional<Principal> identify(Context ctx) {
        String auth = ctx.header("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            // A token carries its user's role and scope, read now: a change holds at once. Its own domains can only
            // narrow the user's scope, never widen it.
            return users.token(auth.substring(7).trim())
                    .flatMap(t -> users.account(t.user()).map(a -> new Principal(t.user(), a.role(), null,
                            DomainScope.parse(a.scope()).narrowedBy(DomainScope.parse(t.scope())))));
        }
        Optional<Sessions.Session> session = sessions.find(ctx.cookie(SESSION_COOKIE));
        if (session.isEmpty()) {
            return Optional.empty();
        }
        Sessions.Session s = session.get();
        // The account may have been changed or removed since, by this server or by the command line.
        if (!users.credentialStamp(s.user()).map(s.credential()::equals).orElse(false)) {
            sessions.invalidate(s.id());
            return Optional.empty();
        }
        return users.account(s.user()).map(a -> new Principal(s.user(), a.role(), s, DomainScope.parse(a.scope())));
    }

    private static void refuse(Context ctx, String path) {
        if (path.startsWith("/api/") || ctx.method() != HandlerType.GET) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"dmarc-lens\"");
            throw new UnauthorizedResponse("log in or send an API token (Authorization: Bearer ...)");
        }
        String next = ctx.queryString() == null ? path : path + "?" + ctx.queryString();
        ctx.header("Location", "/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
        ctx.status(HttpStatus.SEE_OTHER);
        ctx.skipRemainingHandlers();
    }
}
