package io.dmarclens.web.pages;

import io.dmarclens.store.users.Account;
import io.dmarclens.web.RouteModule;
import io.dmarclens.web.auth.AuditTrail;
import io.dmarclens.web.auth.AuthGate;
import io.dmarclens.web.auth.Principal;
import io.dmarclens.web.auth.UserStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import java.time.Instant;
import java.util.Optional;

/**
 * "My tokens": every logged-in browser user creates API tokens for themselves (narrowed to some of their domains
 * and to an expiry, the secret shown once), sees them listed (never the secret) and revokes them. A token itself
 * cannot manage tokens: the page needs a browser session, and tokens never post.
 */
public final class TokenRoutes implements RouteModule {
    static final String PATH = "/account/tokens";
    private final PageSupport support;
    private final UserStore users;
    private final AuditTrail audit;

    public TokenRoutes(PageSupport support, UserStore users, AuditTrail audit) {
        this.support = support;
        this.users = users;
        this.audit = audit;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get(PATH, ctx -> page(ctx, null, null, HttpStatus.OK));
        routes.post(PATH, this::create);
        routes.post(PATH + "/{id}/revoke", this::revoke);
    }

    private static Principal browser(Context ctx) {
        Principal p = AuthGate.principal(ctx);
        if (p.session() == null) {
            throw new ForbiddenResponse("API tokens are managed in a browser session, not with a token");
        }
        return p;
    }

    private void page(Context ctx, String secret, String error, HttpStatus status) {
        Principal p = browser(ctx);
        String scope = users.account(p.user()).map(Account::scope).orElse(Account.ALL);
        Instant now = support.clock().instant();
        ctx.status(status);
        support.page(ctx, "My API tokens", PATH, null, h -> {
            h.el("p", "A token reads the JSON API and exports as you (" + p.role().id() + ", domains: " + scope
                    + "), narrowed to the domains and expiry you give it. It cannot change anything.", "class", "muted");
            if (secret != null) {
                TokenForms.shownOnce(h, secret);
            }
            if (error != null) {
                h.el("p", error, "class", "error", "role", "alert", "id", "token-error");
            }
            TokenForms.createForm(h, PATH, p.csrfToken(), "all of yours");
            h.el("h2", "Your tokens");
            TokenForms.table(h, users.tokens(p.user()), PATH + "/", p.csrfToken(), now, "tokens");
        });
    }

    private void create(Context ctx) {
        Principal p = browser(ctx);
        String secret;
        try {
            String expires = Optional.ofNullable(ctx.formParam("expires")).orElse("").strip();
            Optional<Instant> at = expires.isEmpty() ? Optional.empty() : Optional.of(users.expiry(expires));
            String domains = Optional.ofNullable(ctx.formParam("domains")).filter(d -> !d.isBlank()).orElse(null);
            secret = users.issueToken(p.user(), ctx.formParam("label"), domains, at);
        } catch (IllegalArgumentException e) {
            page(ctx, null, "No token made: " + e.getMessage() + ".", HttpStatus.BAD_REQUEST);
            return;
        }
        audit.record(ctx, p.user(), AuditTrail.TOKEN_CREATE, "user " + p.user() + " token " + UserStore.tokenId(secret));
        ctx.header("Cache-Control", "no-store");
        page(ctx, secret, null, HttpStatus.OK);
    }

    private void revoke(Context ctx) {
        Principal p = browser(ctx);
        String id = ctx.pathParam("id");
        // Only the own tokens: another user's token id is unknown here (404), as if it did not exist.
        if (!users.revokeToken(p.user(), id)) {
            throw new NotFoundResponse("you hold no token " + id);
        }
        audit.record(ctx, p.user(), AuditTrail.TOKEN_REVOKE, "user " + p.user() + " token " + id);
        ctx.redirect(PATH, HttpStatus.SEE_OTHER);
    }
}
