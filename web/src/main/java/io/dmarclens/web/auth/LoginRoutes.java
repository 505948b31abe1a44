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

/** The login form, the login check with its rate limit, and logout. */
public final class LoginRoutes {
    /** Double-submit token for the login form itself, which has no session to hold a CSRF token yet. */
    static final String LOGIN_CSRF_COOKIE = "dmarclens_login";
    private final java.security.SecureRandom random = new java.security.SecureRandom();
    private final UserStore users;
    private final Sessions sessions;
    private final LoginThrottle throttle;
    private final WebSettings settings;

    public LoginRoutes(UserStore users, Sessions sessions, LoginThrottle throttle, WebSettings settings) {
        this.users = users;
        this.sessions = sessions;
        this.throttle = throttle;
        this.settings = settings;
    }

    /** The client of a request: the connection's peer, or what a trusted proxy says it is. */
    static InetAddress client(Context ctx, TrustedProxies proxies) {
        InetAddress peer = TrustedProxies.literal(ctx.req().getRemoteAddr())
                .orElseThrow(() -> new IllegalStateException("the server gave no peer address"));
        return proxies.client(peer, Collections.list(ctx.req().getHeaders("X-Forwarded-For")));
    }

    public void register(RoutesConfig routes) {
        routes.get("/login", ctx -> form(ctx, null, HttpStatus.OK));
        routes.post("/login", this::login);
        routes.post("/logout", this::logout);
    }

    private void login(Context ctx) {
        String user = Objects.requireNonNullElse(ctx.formParam("username"), "").trim();
        String password = Objects.requireNonNullElse(ctx.formParam("password"), "");
        String cookieToken = ctx.cookie(LOGIN_CSRF_COOKIE);
        String formToken = ctx.formParam(AuthGate.CSRF_FIELD);
        if (cookieToken == null || formToken == null || !java.security.MessageDigest.isEqual(
                cookieToken.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                formToken.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            form(ctx, "The login form expired. Please try again.", HttpStatus.FORBIDDEN);
            return;
        }
        LoginThrottle.Attempt attempt = throttle.begin(client(ctx, settings.trustedProxies()), user);
        if (!attempt.allowed()) {
            long wait = attempt.retryAfter().orElseThrow().toSeconds();
            ctx.header("Retry-After", Long.toString(wait));
            form(ctx, "Too many failed logins. Wait " + Math.max(1, (wait + 59) / 60) + " minute(s) and try again.",
                    HttpStatus.TOO_MANY_REQUESTS);
            return;
        }
        // Counted as a failure already (see LoginThrottle.begin): a name that cannot exist needs no bcrypt.
        Optional<String> credential = user.isEmpty() || user.length() > 64 || password.length() > 1024
                ? Optional.empty() : users.authenticate(user, password.toCharArray());
        if (credential.isEmpty()) {
            form(ctx, "Wrong user name or password.", HttpStatus.UNAUTHORIZED);
            return;
        }
        attempt.succeeded();
        Sessions.Session s = sessions.create(user, credential.get());
        ctx.header("Set-Cookie", cookie(s.id(), sessions.cookieLifetime().toSeconds()));
        ctx.redirect(safeNext(ctx.formParam("next")), HttpStatus.SEE_OTHER);
    }

    private void logout(Context ctx) {
        sessions.invalidate(ctx.cookie(AuthGate.SESSION_COOKIE));
        ctx.header("Set-Cookie", cookie("", 0));
        ctx.redirect("/login", HttpStatus.SEE_OTHER);
    }

    private String cookie(String value, long maxAge) {
        return AuthGate.SESSION_COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAge
                + "; HttpOnly; SameSite=Strict" + (settings.secureCookies() ? "; Secure" : "");
    }

    /** Only a local path may follow the login, never another site. */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")
                || next.length() > 2000 || next.chars().anyMatch(c -> c < 0x20)) {
            return "/";
        }
        return next;
    }

    private void form(Context ctx, String error, HttpStatus status) {
        Html h = new Html().doctype();
        h.open("html", "lang", "en").open("head");
        h.empty("meta", "charset", "utf-8");
        h.empty("meta", "name", "viewport", "content", "width=device-width, initial-scale=1");
        h.el("title", "Log in \u00B7 DMARC Lens");
        h.empty("link", "rel", "stylesheet", "href", "/static/app.css");
        h.empty("link", "rel", "icon", "href", "/static/favicon.svg", "type", "image/svg+xml");
        h.close();
        h.open("body", "class", "login-page");
        h.open("form", "method", "post", "action", "/login", "class", "login-card");
        h.open("div", "class", "brand").el("span", "", "class", "logo").text("DMARC Lens").close();
        h.el("p", "Sign in to see your domains' DMARC, failure and TLS reports.", "class", "muted");
        if (error != null) {
            h.el("p", error, "class", "error", "role", "alert");
        }
        byte[] b = new byte[24];
        random.nextBytes(b);
        String loginToken = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        ctx.header("Set-Cookie", LOGIN_CSRF_COOKIE + "=" + loginToken + "; Path=/login; Max-Age=3600; HttpOnly; SameSite=Strict"
                + (settings.secureCookies() ? "; Secure" : ""));
        h.empty("input", "type", "hidden", "name", AuthGate.CSRF_FIELD, "value", loginToken);
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
}
