package io.dmarclens.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.store.audit.AuditEntry;
import io.dmarclens.store.audit.AuditQuery;
import io.dmarclens.store.users.Account;
import io.dmarclens.store.users.Role;
import io.dmarclens.web.auth.UserStore;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "My tokens" page and the admin users page on a real server, by direct HTTP requests (a hidden button is no
 * protection): who may reach which route, tokens made with a scope and an expiry and shown once, revoked by their
 * owner or an admin and refused at once, user changes by an admin audited under the admin's name, the last admin
 * kept, CSRF everywhere.
 */
@Timeout(120)
class TokensAndUsersPagesTest {
    private static final Pattern NEW_TOKEN = Pattern.compile("id=\"new-token\">(dl_[A-Za-z0-9_-]+)<");
    private static final String ANALYST = "carol";

    @TempDir
    Path dir;

    private static String made(HttpResponse<String> r) {
        Matcher m = NEW_TOKEN.matcher(r.body());
        assertTrue(m.find(), r.body());
        return m.group(1);
    }

    private static Map<String, String> form(WebClient c, String... kv) {
        Map<String, String> f = new java.util.LinkedHashMap<>();
        f.put("_csrf", c.csrf());
        for (int i = 0; i < kv.length; i += 2) {
            f.put(kv[i], kv[i + 1]);
        }
        return f;
    }

    @Test
    void viewersAndAnalystsCannotReachTheAdminPageNorOthersTokensAndTokensCannotManageTokens() throws Exception {
        try (TestApp app = TestApp.start(dir)) {
            app.users.create(ANALYST, TestApp.PASSWORD.toCharArray(), Role.ANALYST);
            String adminToken = app.users.issueToken(TestApp.USER, "admin's", null, java.util.Optional.empty());
            String adminTokenId = UserStore.tokenId(adminToken);
            WebClient viewer = app.loggedIn(TestApp.OTHER_USER);
            WebClient analyst = app.loggedIn(ANALYST);
            for (WebClient c : List.of(viewer, analyst)) {
                assertEquals(403, c.get("/users").statusCode());
                assertEquals(403, c.postForm("/users", form(c, "name", "mallory", "role", "admin",
                        "password", "a long password")).statusCode());
                assertEquals(403, c.postForm("/users/" + TestApp.USER + "/role", form(c, "role", "viewer")).statusCode());
                assertEquals(403, c.postForm("/users/" + TestApp.OTHER_USER + "/scope", form(c, "domains", "all"))
                        .statusCode());
                assertEquals(403, c.postForm("/users/" + TestApp.USER + "/tokens/" + adminTokenId + "/revoke",
                        form(c)).statusCode());
                assertEquals(403, c.postForm("/users/" + TestApp.USER + "/remove", form(c)).statusCode());
                assertEquals(403, c.postForm("/users/" + TestApp.USER + "/two-factor/reset", form(c)).statusCode());
                // Another user's token is not theirs to revoke, nor to see.
                assertEquals(404, c.postForm("/account/tokens/" + adminTokenId + "/revoke", form(c)).statusCode());
                assertFalse(c.get("/account/tokens").body().contains(adminTokenId));
                assertFalse(c.get("/").body().contains("href=\"/users\""), "no link to the admin page");
                assertEquals(200, c.get("/account/tokens").statusCode(), "their own tokens page");
            }
            assertEquals(200, app.client().get("/api/reports", "Authorization", "Bearer " + adminToken).statusCode(),
                    "the admin's token still works");
            assertEquals(Role.ADMIN, app.users.account(TestApp.USER).orElseThrow().role());

            // A token can neither see nor make nor revoke tokens, nor use the admin page's changes.
            String token = "Bearer " + adminToken;
            assertEquals(403, app.client().get("/account/tokens", "Authorization", token).statusCode());
            assertEquals(200, app.client().get("/users", "Authorization", token).statusCode(), "an admin's token reads");
            WebClient raw = app.client();
            for (String path : List.of("/account/tokens", "/account/tokens/" + adminTokenId + "/revoke",
                    "/users/" + TestApp.OTHER_USER + "/remove")) {
                java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(raw.base() + path))
                                .header("Authorization", token).header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("label=x")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertEquals(403, r.statusCode(), path);
            }
            assertEquals(1, app.users.tokens(TestApp.USER).size());
            assertTrue(app.users.exists(TestApp.OTHER_USER));

            // CSRF: a form without the session's token changes nothing.
            WebClient admin = app.loggedIn(TestApp.USER);
            assertEquals(403, admin.postForm("/users/" + TestApp.OTHER_USER + "/remove", Map.of("_csrf", "forged"))
                    .statusCode());
            assertEquals(403, viewer.postForm("/account/tokens", Map.of("_csrf", "forged", "label", "x")).statusCode());
            assertTrue(app.users.exists(TestApp.OTHER_USER));
            assertEquals(0, app.users.tokens(TestApp.OTHER_USER).size());
        }
    }

    @Test
    void aUserMakesANarrowedExpiringTokenSeenOnceAndRevokesItAtOnce() throws Exception {
        try (TestApp app = TestApp.start(dir)) {
            app.users.setScope(TestApp.OTHER_USER, "example.com,*.example.org");
            WebClient viewer = app.loggedIn(TestApp.OTHER_USER);

            HttpResponse<String> wider = viewer.postForm("/account/tokens", form(viewer, "label", "too wide",
                    "domains", "example.com,other.test", "expires", "P30D"));
            assertEquals(400, wider.statusCode());
            assertTrue(wider.body().contains("within its user&#39;s scope") || wider.body().contains("within its user's scope"),
                    wider.body());
            assertEquals(0, app.users.tokens(TestApp.OTHER_USER).size());

            HttpResponse<String> r = viewer.postForm("/account/tokens", form(viewer, "label", "grafana <b>",
                    "domains", "example.com", "expires", "P30D"));
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""));
            String secret = made(r);
            String id = UserStore.tokenId(secret);
            assertEquals(200, app.client().get("/api/reports", "Authorization", "Bearer " + secret).statusCode());

            String listed = viewer.get("/account/tokens").body();
            assertTrue(listed.contains(id) && listed.contains("grafana &lt;b&gt;") && listed.contains("example.com"),
                    listed);
            assertFalse(listed.contains(secret), "the secret is shown once, never listed");
            var token = app.users.tokens(TestApp.OTHER_USER).get(0);
            assertEquals("example.com", token.scope());
            assertTrue(token.expiresAt().isPresent());

            HttpResponse<String> revoked = viewer.postForm("/account/tokens/" + id + "/revoke", form(viewer));
            assertEquals(303, revoked.statusCode());
            assertEquals(401, app.client().get("/api/reports", "Authorization", "Bearer " + secret).statusCode(),
                    "refused at once");
            assertEquals(404, viewer.postForm("/account/tokens/" + id + "/revoke", form(viewer)).statusCode());

            List<AuditEntry> log = app.users.auditLog().orElseThrow().find(AuditQuery.all(100));
            assertTrue(log.stream().anyMatch(e -> e.user().equals(TestApp.OTHER_USER) && e.action().equals("token.create")
                    && e.subject().contains(id)), log.toString());
            assertTrue(log.stream().anyMatch(e -> e.user().equals(TestApp.OTHER_USER) && e.action().equals("token.revoke")
                    && e.subject().contains(id)), log.toString());
            assertFalse(log.toString().contains(secret), "the secret never reaches the log");
        }
    }

    @Test
    void anAdminManagesUsersEveryChangeAuditedAndTheLastAdminStays() throws Exception {
        try (TestApp app = TestApp.start(dir)) {
            WebClient admin = app.loggedIn(TestApp.USER);
            String page = admin.get("/users").body();
            assertTrue(page.contains("data-user=\"" + TestApp.OTHER_USER + "\"") && page.contains("href=\"/users\""), page);

            // Add with a made-up password, shown once, that logs in.
            HttpResponse<String> added = admin.postForm("/users", form(admin, "name", "dave", "role", "analyst",
                    "domains", "example.com", "password", ""));
            assertEquals(200, added.statusCode(), added.body());
            Matcher pw = Pattern.compile("with the password ([A-Za-z0-9_-]{16})").matcher(added.body());
            assertTrue(pw.find(), added.body());
            assertEquals(303, app.client().login("dave", pw.group(1)).statusCode());
            Account dave = app.users.account("dave").orElseThrow();
            assertEquals(Role.ANALYST, dave.role());
            assertEquals("example.com", dave.scope());
            assertEquals(400, admin.postForm("/users", form(admin, "name", "dave", "role", "viewer",
                    "password", "another long one")).statusCode(), "no second dave");
            assertEquals(400, admin.postForm("/users", form(admin, "name", "erin", "role", "viewer",
                    "domains", "not a domain!", "password", "a long password")).statusCode());
            assertFalse(app.users.exists("erin"), "nothing half made");

            assertEquals(303, admin.postForm("/users/dave/role", form(admin, "role", "viewer")).statusCode());
            assertEquals(303, admin.postForm("/users/dave/scope", form(admin, "domains", "*.example.org, Example.com"))
                    .statusCode());
            assertEquals(Role.VIEWER, app.users.account("dave").orElseThrow().role());
            assertEquals("*.example.org,example.com", app.users.account("dave").orElseThrow().scope());

            String daveToken = app.users.issueToken("dave");
            assertTrue(admin.get("/users").body().contains(UserStore.tokenId(daveToken)), "the admin sees dave's tokens");
            assertEquals(303, admin.postForm("/users/dave/tokens/" + UserStore.tokenId(daveToken) + "/revoke",
                    form(admin)).statusCode());
            assertEquals(401, app.client().get("/api/reports", "Authorization", "Bearer " + daveToken).statusCode());
            assertEquals(404, admin.postForm("/users/nobody/role", form(admin, "role", "viewer")).statusCode());

            app.users.twoFactor(java.util.Set.of(), TestData.CLOCK).confirm("dave", new byte[20],
                    io.dmarclens.web.auth.Totp.code(new byte[20], Math.floorDiv(TestData.CLOCK.instant().getEpochSecond(), 30)));
            assertTrue(admin.get("/users").body().contains("/users/dave/two-factor/reset"));
            assertEquals(303, admin.postForm("/users/dave/two-factor/reset", form(admin)).statusCode());
            assertTrue(app.users.account("dave").orElseThrow().totpSecret().isEmpty());

            // The last admin: neither demoted nor removed, from the page as on the command line.
            HttpResponse<String> demote = admin.postForm("/users/" + TestApp.USER + "/role", form(admin, "role", "viewer"));
            assertEquals(400, demote.statusCode());
            assertTrue(demote.body().contains("last admin"), demote.body());
            assertEquals(400, admin.postForm("/users/" + TestApp.USER + "/remove", form(admin)).statusCode());
            assertEquals(Role.ADMIN, app.users.account(TestApp.USER).orElseThrow().role());

            assertEquals(303, admin.postForm("/users/dave/remove", form(admin)).statusCode());
            assertFalse(app.users.exists("dave"));

            List<AuditEntry> log = app.users.auditLog().orElseThrow().find(AuditQuery.all(100));
            for (String[] e : new String[][]{{"user.add", "user dave"}, {"user.role", "user dave role analyst"},
                    {"user.scope", "user dave scope example.com"}, {"user.role", "user dave role viewer"},
                    {"user.scope", "user dave scope *.example.org,example.com"},
                    {"token.revoke", "user dave token " + UserStore.tokenId(daveToken)},
                    {"two-factor", "user dave reset"}, {"user.remove", "user dave"}}) {
                assertTrue(log.stream().anyMatch(a -> a.user().equals(TestApp.USER) && a.action().equals(e[0])
                        && a.subject().equals(e[1])), e[0] + " " + e[1] + " in " + log);
            }
        }
    }
}
