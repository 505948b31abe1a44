package io.dmarclens.web.pages;

import io.dmarclens.store.users.Account;
import io.dmarclens.store.users.Role;
import io.dmarclens.store.users.UserInfo;
import io.dmarclens.web.RouteModule;
import io.dmarclens.web.auth.AuditTrail;
import io.dmarclens.web.auth.AuthGate;
import io.dmarclens.web.auth.Principal;
import io.dmarclens.web.auth.TwoFactor;
import io.dmarclens.web.auth.UserStore;
import io.dmarclens.web.html.Html;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * The admin's users page ({@link io.dmarclens.web.auth.Access} keeps everybody else out): every user with role,
 * scope, second factor and tokens; add a user (with a password given or made up and shown once), change role and
 * scope, reset the second factor, revoke a token, remove a user. Each change goes to the audit log under the
 * admin's name. The last admin can be neither demoted nor removed ({@link UserStore}), here as on the command line.
 */
public final class UsersRoutes implements RouteModule {
    static final String PATH = "/users";
    private final PageSupport support;
    private final UserStore users;
    private final TwoFactor twoFactor;
    private final AuditTrail audit;
    private final SecureRandom random = new SecureRandom();

    public UsersRoutes(PageSupport support, UserStore users, TwoFactor twoFactor, AuditTrail audit) {
        this.support = support;
        this.users = users;
        this.twoFactor = twoFactor;
        this.audit = audit;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get(PATH, ctx -> page(ctx, null, null, HttpStatus.OK));
        routes.post(PATH, this::add);
        routes.post(PATH + "/{name}/role", this::role);
        routes.post(PATH + "/{name}/scope", this::scope);
        routes.post(PATH + "/{name}/two-factor/reset", this::resetTwoFactor);
        routes.post(PATH + "/{name}/tokens/{id}/revoke", this::revokeToken);
        routes.post(PATH + "/{name}/remove", this::remove);
    }

    private void page(Context ctx, String notice, String error, HttpStatus status) {
        Principal p = AuthGate.principal(ctx);
        Instant now = support.clock().instant();
        ctx.status(status);
        support.page(ctx, "Users", PATH, null, h -> {
            if (notice != null) {
                h.open("div", "class", "notice", "role", "status", "id", "users-notice").text(notice).close();
            }
            if (error != null) {
                h.el("p", error, "class", "error", "role", "alert", "id", "users-error");
            }
            addForm(h, p.csrfToken());
            h.open("table", "class", "data", "id", "users");
            h.open("thead").open("tr");
            for (String c : new String[]{"User", "Role", "Domains", "Two-factor", "Created", "Tokens", ""}) {
                h.el("th", c);
            }
            h.close().close();
            h.open("tbody");
            for (UserInfo u : users.list()) {
                row(h, u, p.csrfToken());
            }
            h.close().close();
            for (UserInfo u : users.list()) {
                if (u.tokens() > 0) {
                    h.el("h2", "Tokens of " + u.name());
                    TokenForms.table(h, users.tokens(u.name()), PATH + "/" + enc(u.name()) + "/tokens/", p.csrfToken(),
                            now, "tokens-" + u.name());
                }
            }
        });
    }

    private static void row(Html h, UserInfo u, String csrf) {
        String base = PATH + "/" + enc(u.name());
        h.open("tr", "data-user", u.name());
        h.el("td", u.name());
        h.open("td");
        form(h, base + "/role", csrf);
        h.open("select", "name", "role", "aria-label", "Role of " + u.name());
        for (Role r : Role.values()) {
            if (r == u.role()) {
                h.el("option", r.id(), "value", r.id(), "selected", "selected");
            } else {
                h.el("option", r.id(), "value", r.id());
            }
        }
        h.close();
        h.el("button", "Set", "type", "submit", "class", "button small secondary");
        h.close().close();
        h.open("td");
        form(h, base + "/scope", csrf);
        h.empty("input", "type", "text", "name", "domains", "value", u.scope(), "aria-label", "Domains of " + u.name());
        h.el("button", "Set", "type", "submit", "class", "button small secondary");
        h.close().close();
        h.open("td").text(u.twoFactor() ? "on " : "off");
        if (u.twoFactor()) {
            form(h, base + "/two-factor/reset", csrf);
            h.el("button", "Reset", "type", "submit", "class", "button small secondary");
            h.close();
        }
        h.close();
        h.el("td", DateTimeFormatter.ISO_INSTANT.format(u.createdAt()));
        h.el("td", u.tokens());
        h.open("td");
        form(h, base + "/remove", csrf);
        h.el("button", "Remove", "type", "submit", "class", "button small danger", "data-remove", u.name());
        h.close().close();
        h.close();
    }

    private static void form(Html h, String action, String csrf) {
        h.open("form", "method", "post", "action", action, "class", "inline");
        h.empty("input", "type", "hidden", "name", AuthGate.CSRF_FIELD, "value", csrf);
    }

    private static void addForm(Html h, String csrf) {
        h.el("h2", "Add a user");
        h.open("form", "method", "post", "action", PATH, "class", "filters", "id", "add-user");
        h.empty("input", "type", "hidden", "name", AuthGate.CSRF_FIELD, "value", csrf);
        h.open("label").text("Name");
        h.empty("input", "type", "text", "name", "name", "id", "new-name", "required", "required", "maxlength", "64");
        h.close();
        h.open("label").text("Role");
        h.open("select", "name", "role", "id", "new-role");
        h.el("option", "viewer", "value", "viewer");
        h.el("option", "analyst", "value", "analyst");
        h.el("option", "admin", "value", "admin");
        h.close().close();
        h.open("label").text("Domains");
        h.empty("input", "type", "text", "name", "domains", "id", "new-domains", "value", Account.ALL);
        h.close();
        h.open("label").text("Password (empty: make one up)");
        h.empty("input", "type", "password", "name", "password", "id", "new-password", "autocomplete", "new-password");
        h.close();
        h.el("button", "Add user", "type", "submit", "class", "button small", "id", "add-user-button");
        h.close();
    }

    private static String enc(String s) {
        return io.dmarclens.web.DashboardFilter.enc(s);
    }

    /** The user named in the path, 404 when there is none. */
    private String user(Context ctx) {
        String name = ctx.pathParam("name");
        if (!users.exists(name)) {
            throw new NotFoundResponse("no user named " + name);
        }
        return name;
    }

    private String admin(Context ctx) {
        return AuthGate.principal(ctx).user();
    }

    private void add(Context ctx) {
        String name = Optional.ofNullable(ctx.formParam("name")).orElse("").strip();
        String given = Optional.ofNullable(ctx.formParam("password")).orElse("");
        String made = null;
        char[] password;
        if (given.isEmpty()) {
            byte[] b = new byte[12];
            random.nextBytes(b);
            made = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
            password = made.toCharArray();
        } else {
            password = given.toCharArray();
        }
        try {
            Role role = Role.parse(ctx.formParam("role"));
            String domains = Optional.ofNullable(ctx.formParam("domains")).filter(d -> !d.isBlank()).orElse(Account.ALL);
            String scope = io.dmarclens.store.query.DomainScope.parse(domains).toString();
            users.create(name, password, role);
            users.setScope(name, scope);
            String by = admin(ctx);
            audit.record(ctx, by, AuditTrail.USER_ADD, "user " + name);
            audit.record(ctx, by, AuditTrail.USER_ROLE, "user " + name + " role " + role.id());
            audit.record(ctx, by, AuditTrail.USER_SCOPE, "user " + name + " scope " + scope);
        } catch (IllegalArgumentException e) {
            page(ctx, null, "No user added: " + e.getMessage() + ".", HttpStatus.BAD_REQUEST);
            return;
        } finally {
            Arrays.fill(password, '\0');
        }
        ctx.header("Cache-Control", "no-store");
        page(ctx, made == null ? "Added user " + name + "."
                : "Added user " + name + " with the password " + made + " (shown only now; they can be given a new one"
                + " with 'dmarc-lens users add " + name + "').", null, HttpStatus.OK);
    }

    private void role(Context ctx) {
        String name = user(ctx);
        try {
            Role role = Role.parse(ctx.formParam("role"));
            users.setRole(name, role);
            audit.record(ctx, admin(ctx), AuditTrail.USER_ROLE, "user " + name + " role " + role.id());
        } catch (IllegalArgumentException e) {
            page(ctx, null, "Role not changed: " + e.getMessage() + ".", HttpStatus.BAD_REQUEST);
            return;
        }
        ctx.redirect(PATH, HttpStatus.SEE_OTHER);
    }

    private void scope(Context ctx) {
        String name = user(ctx);
        try {
            String scope = users.setScope(name, ctx.formParam("domains")).orElseThrow(() -> new NotFoundResponse(
                    "no user named " + name));
            audit.record(ctx, admin(ctx), AuditTrail.USER_SCOPE, "user " + name + " scope " + scope);
        } catch (IllegalArgumentException e) {
            page(ctx, null, "Domains not changed: " + e.getMessage() + ".", HttpStatus.BAD_REQUEST);
            return;
        }
        ctx.redirect(PATH, HttpStatus.SEE_OTHER);
    }

    private void resetTwoFactor(Context ctx) {
        String name = user(ctx);
        twoFactor.remove(name);
        audit.record(ctx, admin(ctx), AuditTrail.TWO_FACTOR, "user " + name + " reset");
        ctx.redirect(PATH, HttpStatus.SEE_OTHER);
    }

    private void revokeToken(Context ctx) {
        String name = user(ctx);
        String id = ctx.pathParam("id");
        if (!users.revokeToken(name, id)) {
            throw new NotFoundResponse(name + " holds no token " + id);
        }
        audit.record(ctx, admin(ctx), AuditTrail.TOKEN_REVOKE, "user " + name + " token " + id);
        ctx.redirect(PATH, HttpStatus.SEE_OTHER);
    }

    private void remove(Context ctx) {
        String name = user(ctx);
        try {
            users.remove(name);
        } catch (IllegalArgumentException e) {
            page(ctx, null, "Not removed: " + e.getMessage() + ".", HttpStatus.BAD_REQUEST);
            return;
        }
        audit.record(ctx, admin(ctx), AuditTrail.USER_REMOVE, "user " + name);
        ctx.redirect(PATH, HttpStatus.SEE_OTHER);
    }
}
