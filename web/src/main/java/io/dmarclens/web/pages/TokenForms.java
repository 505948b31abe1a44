package io.dmarclens.web.pages;

import io.dmarclens.store.users.ApiToken;
import io.dmarclens.web.auth.AuthGate;
import io.dmarclens.web.html.Html;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/** The token table and the creation form, shared by the own token page and the admin users page. */
final class TokenForms {
    /** The expiries offered in the dashboard (the command line takes any period or day). */
    static final String[][] EXPIRIES = {{"P30D", "30 days"}, {"P90D", "90 days"}, {"P1Y", "1 year"}, {"", "never"}};

    private TokenForms() {
    }

    static String when(Optional<Instant> at, String none) {
        return at.map(DateTimeFormatter.ISO_INSTANT::format).orElse(none);
    }

    /**
     * The tokens as a table, each with a revoke button posting to {@code revokeBase + id + "/revoke"}; never the
     * secrets, which are not kept.
     */
    static void table(Html h, List<ApiToken> tokens, String revokeBase, String csrf, Instant now, String tableId) {
        if (tokens.isEmpty()) {
            h.el("p", "No API tokens.", "class", "muted", "id", tableId + "-none");
            return;
        }
        h.open("table", "class", "data", "id", tableId);
        h.open("thead").open("tr");
        for (String c : new String[]{"Id", "Label", "Domains", "Created", "Expires", "Last used", ""}) {
            h.el("th", c);
        }
        h.close().close();
        h.open("tbody");
        for (ApiToken t : tokens) {
            h.open("tr", "data-token", t.id());
            h.open("td").el("code", t.id()).close();
            h.el("td", t.label());
            h.el("td", t.scope().equals("all") ? "all of the user's" : t.scope());
            h.el("td", DateTimeFormatter.ISO_INSTANT.format(t.createdAt()));
            h.el("td", when(t.expiresAt(), "never") + (t.expiredAt(now) ? " (expired)" : ""));
            h.el("td", when(t.lastUsedAt(), "never"));
            h.open("td");
            h.open("form", "method", "post", "action", revokeBase + io.dmarclens.web.DashboardFilter.enc(t.id()) + "/revoke");
            h.empty("input", "type", "hidden", "name", AuthGate.CSRF_FIELD, "value", csrf);
            h.el("button", "Revoke", "type", "submit", "class", "button small danger", "data-revoke", t.id());
            h.close();
            h.close();
            h.close();
        }
        h.close().close();
    }

    /** The form that creates a token, posting to {@code action}. */
    static void createForm(Html h, String action, String csrf, String scopeHint) {
        h.open("form", "method", "post", "action", action, "class", "filters", "id", "token-form");
        h.empty("input", "type", "hidden", "name", AuthGate.CSRF_FIELD, "value", csrf);
        h.open("label").text("Label");
        h.empty("input", "type", "text", "name", "label", "id", "token-label", "maxlength", "64");
        h.close();
        h.open("label").text("Domains (empty: " + scopeHint + ")");
        h.empty("input", "type", "text", "name", "domains", "id", "token-domains", "placeholder", "example.com,*.example.org");
        h.close();
        h.open("label").text("Expires after");
        h.open("select", "name", "expires", "id", "token-expires");
        for (String[] e : EXPIRIES) {
            h.el("option", e[1], "value", e[0]);
        }
        h.close();
        h.close();
        h.el("button", "Create token", "type", "submit", "class", "button small", "id", "token-create");
        h.close();
    }

    /** The secret of a token just made, shown once. */
    static void shownOnce(Html h, String secret) {
        h.open("div", "class", "notice", "role", "status");
        h.el("p", "Your new token: copy it now, it is not shown again. Send it as 'Authorization: Bearer TOKEN'.");
        h.el("code", secret, "id", "new-token");
        h.close();
    }
}
