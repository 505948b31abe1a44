package io.dmarclens.web.pages;

import io.dmarclens.web.RouteModule;
import io.dmarclens.web.auth.AuditTrail;
import io.dmarclens.web.auth.AuthGate;
import io.dmarclens.web.auth.Principal;
import io.dmarclens.web.auth.Sessions;
import io.dmarclens.web.auth.Totp;
import io.dmarclens.web.auth.TwoFactor;
import io.dmarclens.web.html.Html;
import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The own two-factor page: enrol a TOTP app by QR code (confirmed by a first code), see the recovery codes
 * once, or turn the second factor off where the role does not require it. Any logged-in browser user may
 * use it for their own account, and an enrol-only session may use nothing else.
 */
public final class TwoFactorRoutes implements RouteModule {
    private static final String PATH = "/account/two-factor";
    private final PageSupport support;
    private final TwoFactor twoFactor;
    private final Sessions sessions;
    private final AuditTrail audit;
    /** The secret shown to each session, until it is confirmed by a code. */
    private final Map<String, byte[]> offered = new ConcurrentHashMap<>();

    public TwoFactorRoutes(PageSupport support, TwoFactor twoFactor, Sessions sessions, AuditTrail audit) {
        this.support = support;
        this.twoFactor = twoFactor;
        this.sessions = sessions;
        this.audit = audit;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get(PATH, this::page);
        routes.get(PATH + "/qr.svg", this::qr);
        routes.post(PATH, this::confirm);
        routes.post(PATH + "/remove", this::remove);
    }

    private static Sessions.Session session(Context ctx) {
        Principal p = AuthGate.principal(ctx);
        if (p.session() == null) {
            throw new BadRequestResponse("the second factor is set up in a browser session, not with an API token");
        }
        return p.session();
    }

    private void page(Context ctx) {
        Sessions.Session s = session(ctx);
        Principal p = AuthGate.principal(ctx);
        if (twoFactor.enrolled(p.user())) {
            support.page(ctx, "Two-factor login", PATH, null, h -> {
                h.el("p", "Two-factor login is on for " + p.user() + ".", "id", "two-factor-on");
                if (twoFactor.required(p.role())) {
                    h.el("p", "Your role (" + p.role().id() + ") requires it. To move it to a new phone, an admin "
                            + "resets it on the Users page (or runs 'dmarc-lens users set " + p.user()
                            + " --reset-two-factor') and you enrol again.",
                            "class", "muted");
                } else {
                    removeForm(h, p, null);
                }
            });
            return;
        }
        byte[] secret = offered.computeIfAbsent(s.id(), k -> twoFactor.newSecret());
        enrolPage(ctx, p, secret, null, HttpStatus.OK);
    }

    /** The QR code of the secret offered to this session (never cached: it holds the secret). */
    private void qr(Context ctx) {
        Sessions.Session s = session(ctx);
        byte[] secret = offered.get(s.id());
        if (secret == null) {
            throw new io.javalin.http.NotFoundResponse("no two-factor enrolment under way: open " + PATH);
        }
        ctx.header("Cache-Control", "no-store");
        ctx.contentType("image/svg+xml").result(TwoFactor.qrSvg(TwoFactor.otpauthUri(AuthGate.principal(ctx).user(),
                secret)));
    }

    private void enrolPage(Context ctx, Principal p, byte[] secret, String error, HttpStatus status) {
        ctx.status(status);
        support.page(ctx, "Two-factor login", PATH, null, h -> {
            if (p.session().enrolOnly()) {
                h.el("p", "Your role (" + p.role().id() + ") requires a two-factor login: set it up to go on.",
                        "class", "notice", "role", "alert");
            }
            h.el("p", "Scan this code with an authenticator app (any app for TOTP codes), then enter the "
                    + "six-digit code it shows.");
            h.empty("img", "src", PATH + "/qr.svg", "alt", "QR code", "id", "two-factor-qr",
                    "width", "240", "height", "240");
            h.open("p").text("Or type this key into the app: ").el("code", Totp.base32(secret), "id", "two-factor-key")
                    .close();
            if (error != null) {
                h.el("p", error, "class", "error", "role", "alert");
            }
            h.open("form", "method", "post", "action", PATH);
            h.empty("input", "type", "hidden", "name", AuthGate.CSRF_FIELD, "value", p.csrfToken());
            h.open("label").text("Code");
            h.empty("input", "type", "text", "name", "code", "id", "code", "autocomplete", "one-time-code",
                    "inputmode", "numeric", "required", "required", "maxlength", "6");
            h.close();
            h.el("button", "Turn on two-factor login", "type", "submit", "class", "button primary", "id", "enrol");
            h.close();
        });
    }

    private void confirm(Context ctx) {
        Sessions.Session s = session(ctx);
        Principal p = AuthGate.principal(ctx);
        byte[] secret = offered.get(s.id());
        if (secret == null || twoFactor.enrolled(p.user())) {
            ctx.redirect(PATH, HttpStatus.SEE_OTHER);
            return;
        }
        Optional<List<String>> codes = twoFactor.confirm(p.user(), secret, ctx.formParam("code"));
        if (codes.isEmpty()) {
            enrolPage(ctx, p, secret, "That code is not the current one: check the time on your phone and try "
                    + "again.", HttpStatus.BAD_REQUEST);
            return;
        }
        offered.remove(s.id());
        sessions.completeEnrolment(s.id());
        audit.record(ctx, p.user(), AuditTrail.TWO_FACTOR, "enrolled");
        support.page(ctx, "Two-factor login", PATH, null, h -> {
            h.el("p", "Two-factor login is on.", "id", "two-factor-on");
            h.el("p", "Keep these recovery codes somewhere safe: each logs you in once without your phone. "
                    + "They are shown only now.", "class", "notice");
            h.open("ul", "id", "recovery-codes");
            codes.get().forEach(c -> h.el("li", c));
            h.close();
            h.a("/", "Go on to the dashboard", "class", "button");
        });
    }

    private void remove(Context ctx) {
        session(ctx);
        Principal p = AuthGate.principal(ctx);
        if (twoFactor.required(p.role())) {
            throw new io.javalin.http.ForbiddenResponse("your role requires a two-factor login: an admin can reset it on the Users page");
        }
        if (!twoFactor.verify(p.user(), ctx.formParam("code"))) {
            ctx.status(HttpStatus.BAD_REQUEST);
            support.page(ctx, "Two-factor login", PATH, null, h -> removeForm(h, p, "Wrong code."));
            return;
        }
        twoFactor.remove(p.user());
        audit.record(ctx, p.user(), AuditTrail.TWO_FACTOR, "removed");
        ctx.redirect(PATH, HttpStatus.SEE_OTHER);
    }

    private static void removeForm(Html h, Principal p, String error) {
        if (error != null) {
            h.el("p", error, "class", "error", "role", "alert");
        }
        h.open("form", "method", "post", "action", PATH + "/remove");
        h.empty("input", "type", "hidden", "name", AuthGate.CSRF_FIELD, "value", p.csrfToken());
        h.open("label").text("Current code (to turn it off)");
        h.empty("input", "type", "text", "name", "code", "required", "required", "maxlength", "64");
        h.close();
        h.el("button", "Turn off two-factor login", "type", "submit", "class", "button");
        h.close();
    }
}
