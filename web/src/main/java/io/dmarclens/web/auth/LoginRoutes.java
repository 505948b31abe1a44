package io.dmarclens.web.auth;

import io.dmarclens.web.WebSettings;
import io.dmarclens.web.html.Html;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.net.InetAddress;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;

/**
 * The login form, the login check with its rate limit, the second step (a TOTP or recovery code) for users
 * with a second factor, and logout. Every login and failed login goes to the audit log with the address.
 */
public final class LoginRoutes {
    /** Double-submit token for the login form itself, which has no session to hold a CSRF token yet. */
    static final String LOGIN_CSRF_COOKIE = "dmarclens_login";
    private final java.security.SecureRandom random = new java.security.SecureRandom();
    private final UserStore users;
    private final Sessions sessions;
    private final LoginThrottle throttle;
    /** Names the password-checked login waiting for its code, in a cookie scoped to /login. */
    static final String PENDING_COOKIE = "dmarclens_2fa";
    private static final java.time.Duration CODE_WAIT = java.time.Duration.ofMinutes(5);
    /** Pending steps kept in all (expired ones dropped first): beyond, a login waits until some lapse. */
    static final int MAX_PENDING = 10_000;
    /** Pending steps of one user: a script with a stolen password cannot fill the store alone. */
    static final int MAX_PENDING_PER_USER = 5;
    private final WebSettings settings;
    private final TwoFactor twoFactor;
    private final AuditTrail audit;
    private final java.time.Clock clock;
    /** Logins whose password was right, waiting for the code: kept with the accounts, so any node takes the code. */
    private final io.dmarclens.store.users.PendingLogins pending;

    public LoginRoutes(UserStore users, Sessions sessions, LoginThrottle throttle, WebSettings settings,
                       TwoFactor twoFactor, AuditTrail audit, java.time.Clock clock) {
        this.users = users;
        this.sessions = sessions;
        this.throttle = throttle;
        this.settings = settings;
        this.twoFactor = twoFactor;
        this.audit = audit;
        this.clock = clock;
        this.pending = users.pendingLogins();
    }

    /** The client of a request: the connection's peer, or what a trusted proxy says it is. */
    static InetAddress client(Context ctx, TrustedProxies proxies) {
        InetAddress peer = TrustedProxies.literal(ctx.req().getRemoteAddr())
                .orElseThrow(() -> new IllegalStateException("the server gave no peer address"));
        return proxies.client(peer, Collections.list(ctx.req().getHeaders("X-Forwarded-For")));
    }

    /**
     * Whether cookies set on this request are {@code Secure}: always with {@code web.secure_cookies}, and by
     * default whenever the browser came over https (TLS here, or a trusted proxy that says so), so that a
     * dashboard behind an https proxy never needs the setting to keep its session off plain http.
     */
    private boolean secure(Context ctx) {
        if (settings.secureCookies()) {
            return true;
        }
        InetAddress peer = TrustedProxies.literal(ctx.req().getRemoteAddr()).orElse(null);
        return peer != null && settings.trustedProxies().overHttps(peer, ctx.req().isSecure(),
                Collections.list(ctx.req().getHeaders("X-Forwarded-Proto")));
    }

    public void register(RoutesConfig routes) {
        routes.get("/login", ctx -> form(ctx, null, HttpStatus.OK));
        routes.post("/login", this::login);
        routes.post("/login/code", this::code);
        routes.post("/logout", this::logout);
    }

    private boolean formTokenOk(Context ctx) {
        String cookieToken = ctx.cookie(LOGIN_CSRF_COOKIE);
        String formToken = ctx.formParam(AuthGate.CSRF_FIELD);
        return cookieToken != null && formToken != null && java.security.MessageDigest.isEqual(
                cookieToken.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                formToken.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The throttle's answer, or null after answering 429 when the client or name has failed too often. */
    private LoginThrottle.Attempt begin(Context ctx, String user, Runnable again) {
        LoginThrottle.Attempt attempt = throttle.begin(client(ctx, settings.trustedProxies()), user);
        if (!attempt.allowed()) {
            long wait = attempt.retryAfter().orElseThrow().toSeconds();
            ctx.header("Retry-After", Long.toString(wait));
            audit.record(ctx, clip(user), AuditTrail.LOGIN_FAILED, "throttled");
            ctx.attribute("dmarclens.login.error", "Too many failed logins. Wait " + Math.max(1, (wait + 59) / 60)
                    + " minute(s) and try again.");
            ctx.status(HttpStatus.TOO_MANY_REQUESTS);
            again.run();
            return null;
        }
        return attempt;
    }

    private void login(Context ctx) {
        String user = Objects.requireNonNullElse(ctx.formParam("username"), "").trim();
        String password = Objects.requireNonNullElse(ctx.formParam("password"), "");
        if (!formTokenOk(ctx)) {
            form(ctx, "The login form expired. Please try again.", HttpStatus.FORBIDDEN);
            return;
        }
        LoginThrottle.Attempt attempt = begin(ctx, user,
                () -> form(ctx, ctx.attribute("dmarclens.login.error"), HttpStatus.TOO_MANY_REQUESTS));
        if (attempt == null) {
            return;
        }
        // Counted as a failure already (see LoginThrottle.begin): a name that cannot exist needs no bcrypt.
        Optional<String> credential = user.isEmpty() || user.length() > 64 || password.length() > 1024
                ? Optional.empty() : users.authenticate(user, password.toCharArray());
        if (credential.isEmpty()) {
            audit.record(ctx, clip(user), AuditTrail.LOGIN_FAILED, "password");
            form(ctx, "Wrong user name or password.", HttpStatus.UNAUTHORIZED);
            return;
        }
        String next = safeNext(ctx.formParam("next"));
        if (twoFactor.enrolled(user)) {
            // The password stays counted as a failure until the code is right too: guessing codes after a
            // stolen password meets the same limit as guessing passwords.
            byte[] b = new byte[24];
            random.nextBytes(b);
            String id = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
            java.time.Instant now = clock.instant();
            if (!pending.begin(new io.dmarclens.store.users.PendingLogin(Sessions.digest(id), user, credential.get(),
                    now, now.plus(CODE_WAIT), next), MAX_PENDING_PER_USER, MAX_PENDING)) {
                ctx.header("Retry-After", "60");
                form(ctx, "Too many logins are waiting for their code. Try again in a minute.",
                        HttpStatus.SERVICE_UNAVAILABLE);
                return;
            }
            ctx.res().addHeader("Set-Cookie", PENDING_COOKIE + "=" + id + "; Path=/login; Max-Age=" + CODE_WAIT.toSeconds()
                    + "; HttpOnly; SameSite=Strict" + (secure(ctx) ? "; Secure" : ""));
            codeForm(ctx, null, HttpStatus.OK);
            return;
        }
        attempt.succeeded();
        boolean mustEnrol = users.account(user).map(a -> twoFactor.required(a.role())).orElse(false);
        audit.record(ctx, user, AuditTrail.LOGIN, mustEnrol ? "password; must enrol a second factor" : "password");
        Sessions.Session s = sessions.create(user, credential.get(), mustEnrol);
        ctx.header("Set-Cookie", cookie(s.id(), sessions.cookieLifetime().toSeconds(), secure(ctx)));
        ctx.redirect(mustEnrol ? "/account/two-factor" : next, HttpStatus.SEE_OTHER);
    }

    /** The second step: the code of the login whose password was right. */
    private void code(Context ctx) {
        if (!formTokenOk(ctx)) {
            form(ctx, "The login form expired. Please try again.", HttpStatus.FORBIDDEN);
            return;
        }
        String id = ctx.cookie(PENDING_COOKIE);
        io.dmarclens.store.users.PendingLogin p = id == null || id.length() > 100 ? null
                : pending.find(Sessions.digest(id), clock.instant()).orElse(null);
        if (p == null) {
            form(ctx, "The login took too long. Please log in again.", HttpStatus.UNAUTHORIZED);
            return;
        }
        LoginThrottle.Attempt attempt = begin(ctx, p.user(),
                () -> codeForm(ctx, ctx.attribute("dmarclens.login.error"), HttpStatus.TOO_MANY_REQUESTS));
        if (attempt == null) {
            return;
        }
        String code = Objects.requireNonNullElse(ctx.formParam("code"), "");
        // The account may have changed since the password was checked.
        boolean sameCredential = users.credentialStamp(p.user()).map(p.credential()::equals).orElse(false);
        if (!sameCredential || code.length() > 64 || !twoFactor.verify(p.user(), code)) {
            audit.record(ctx, p.user(), AuditTrail.LOGIN_FAILED, "second factor");
            codeForm(ctx, "Wrong code. Enter the current code from your app, or a recovery code.",
                    HttpStatus.UNAUTHORIZED);
            return;
        }
        if (pending.take(p.digest(), clock.instant()).isEmpty()) {
            // Completed (or lapsed) meanwhile through another request, maybe on another node: one session per step.
            form(ctx, "The login took too long. Please log in again.", HttpStatus.UNAUTHORIZED);
            return;
        }
        attempt.succeeded();
        audit.record(ctx, p.user(), AuditTrail.LOGIN, "password and second factor");
        Sessions.Session s = sessions.create(p.user(), p.credential(), false);
        ctx.header("Set-Cookie", cookie(s.id(), sessions.cookieLifetime().toSeconds(), secure(ctx)));
        ctx.redirect(p.next(), HttpStatus.SEE_OTHER);
    }

    /** A typed user name as the audit log keeps it: at most 64 characters, no control characters. */
    private static String clip(String user) {
        String t = user.length() > 64 ? user.substring(0, 64) : user;
        return t.replaceAll("\\p{Cntrl}", "?");
    }

    private void logout(Context ctx) {
        sessions.invalidate(ctx.cookie(AuthGate.SESSION_COOKIE));
        ctx.header("Set-Cookie", cookie("", 0, secure(ctx)));
        ctx.redirect("/login", HttpStatus.SEE_OTHER);
    }

    private static String cookie(String value, long maxAge, boolean secure) {
        return AuthGate.SESSION_COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAge
                + "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    /** Only a local path may follow the login, never another site. */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")
                || next.length() > 2000 || next.chars().anyMatch(c -> c < 0x20)) {
            return "/";
        }
        return next;
    }

    private void codeForm(Context ctx, String error, HttpStatus status) {
        Html h = head(ctx, "/login/code", error);
        h.open("label").text("Code from your authenticator app (or a recovery code)");
        h.empty("input", "type", "text", "name", "code", "id", "code", "autocomplete", "one-time-code",
                "inputmode", "numeric", "required", "required", "autofocus", "autofocus", "maxlength", "64");
        h.close();
        h.el("button", "Verify", "type", "submit", "class", "button primary", "id", "verify");
        h.close().close().close();
        ctx.status(status).contentType("text/html; charset=utf-8").result(h.toString());
    }

    private void form(Context ctx, String error, HttpStatus status) {
        Html h = head(ctx, "/login", error);
        h.empty("input", "type", "hidden", "name", "next",
                "value", safeNext(ctx.formParam("next") != null ? ctx.formParam("next") : ctx.queryParam("next")));
        h.open("label").text("User name");
        h.empty("input", "type", "text", "name", "username", "id", "username", "autocomplete", "username",
                "required", "required", "autofocus", "autofocus", "maxlength", "64");
        h.close();
        h.open("label").text("Password");
        h.empty("input", "type", "password", "name", "password", "id", "password",
                "autocomplete", "current-password", "required", "required");
        h.close();
        h.el("button", "Log in", "type", "submit", "class", "button primary", "id", "login");
        h.close().close().close();
        ctx.status(status).contentType("text/html; charset=utf-8").result(h.toString());
    }

    /** The page up to the open form, with a fresh double-submit token for it. */
    private Html head(Context ctx, String action, String error) {
        Html h = new Html().doctype();
        h.open("html", "lang", "en").open("head");
        h.empty("meta", "charset", "utf-8");
        h.empty("meta", "name", "viewport", "content", "width=device-width, initial-scale=1");
        h.el("title", "Log in \u00B7 DMARC Lens");
        h.empty("link", "rel", "stylesheet", "href", "/static/app.css");
        h.empty("link", "rel", "icon", "href", "/static/favicon.svg", "type", "image/svg+xml");
        h.close();
        h.open("body", "class", "login-page");
        h.open("form", "method", "post", "action", action, "class", "login-card");
        h.open("div", "class", "brand").el("span", "", "class", "logo").text("DMARC Lens").close();
        h.el("p", "Sign in to see your domains' DMARC, failure and TLS reports.", "class", "muted");
        if (error != null) {
            h.el("p", error, "class", "error", "role", "alert");
        }
        byte[] b = new byte[24];
        random.nextBytes(b);
        String loginToken = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        ctx.res().addHeader("Set-Cookie", LOGIN_CSRF_COOKIE + "=" + loginToken + "; Path=/login; Max-Age=3600; HttpOnly; SameSite=Strict"
                + (secure(ctx) ? "; Secure" : ""));
        h.empty("input", "type", "hidden", "name", AuthGate.CSRF_FIELD, "value", loginToken);
        return h;
    }
}
