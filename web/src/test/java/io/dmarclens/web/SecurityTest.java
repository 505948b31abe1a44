package io.dmarclens.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Login, sessions, CSRF, tokens, headers and escaping, over real HTTP against a real store. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityTest {
    TestApp app;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        app = TestApp.start(dir);
    }

    @AfterAll
    void stop() throws Exception {
        app.close();
    }

    @Test
    void healthIsPublicEverythingElseNeedsALogin() throws Exception {
        WebClient anon = app.client();
        assertEquals(200, anon.get("/health").statusCode());
        HttpResponse<String> page = anon.get("/sources?range=7");
        assertEquals(303, page.statusCode());
        assertTrue(page.headers().firstValue("Location").orElse("").startsWith("/login?next="));
        for (String api : List.of("/api/overview", "/api/sources", "/api/sources.csv", "/api/search?q=ip:1.2.3.4",
                "/api/reports/1", "/api/charts/volume", "/api/ingest/log")) {
            assertEquals(401, anon.get(api).statusCode(), api);
        }
        assertEquals(401, anon.postForm("/ingest/upload", Map.of()).statusCode());
    }

    @Test
    void loginSetsAStrictHttpOnlySessionCookieAndWrongPasswordsAreRefused() throws Exception {
        WebClient c = app.client();
        assertEquals(401, c.login(TestApp.USER, "wrong password").statusCode());
        assertEquals(401, c.login("nobody", "wrong password").statusCode());
        HttpResponse<String> ok = c.login(TestApp.USER, TestApp.PASSWORD);
        assertEquals(303, ok.statusCode());
        String cookie = ok.headers().allValues("Set-Cookie").stream().filter(v -> v.startsWith("dmarclens_session="))
                .findFirst().orElseThrow();
        assertTrue(cookie.contains("HttpOnly"), cookie);
        assertTrue(cookie.contains("SameSite=Strict"), cookie);
        assertEquals(200, c.get("/").statusCode());
    }

    @Test
    void loginWithoutTheFormTokenIsRefused() throws Exception {
        WebClient c = app.client();
        HttpResponse<String> r = c.postForm("/login", Map.of("username", TestApp.USER, "password", TestApp.PASSWORD));
        assertEquals(403, r.statusCode());
    }

    @Test
    void loginAttemptsAreRateLimitedPerUser() throws Exception {
        app.users.addOrReplace("bob", "bob's password".toCharArray());
        WebClient c = app.client();
        for (int i = 0; i < 5; i++) {
            assertEquals(401, c.login("bob", "guess " + i).statusCode());
        }
        // even the right password is not checked while the limit holds
        assertEquals(429, c.login("bob", "bob's password").statusCode());
        // other users are not locked out by bob's attacker
        assertEquals(303, app.client().login(TestApp.USER, TestApp.PASSWORD).statusCode());
    }

    @Test
    void formPostsWithoutTheCsrfTokenAreRefused() throws Exception {
        WebClient c = app.loggedIn();
        assertEquals(403, c.postForm("/logout", Map.of()).statusCode());
        assertEquals(403, c.postForm("/logout", Map.of("_csrf", "forged")).statusCode());
        assertEquals(403, c.postForm("/ingest/quarantine/x/retry", Map.of()).statusCode());
        assertEquals(200, c.get("/").statusCode(), "still logged in");
        assertEquals(303, c.postForm("/logout", Map.of("_csrf", c.csrf())).statusCode());
        assertEquals(303, c.get("/").statusCode(), "logged out");
    }

    @Test
    void apiTokensReadButCannotChangeAnything() throws Exception {
        String token = app.users.issueToken(TestApp.USER);
        WebClient c = app.client();
        HttpResponse<String> r = c.get("/api/overview?range=30", "Authorization", "Bearer " + token);
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("\"messages\""));
        assertEquals(401, c.get("/api/overview", "Authorization", "Bearer dl_not-a-token").statusCode());
        HttpResponse<String> post = c.postFile("/api/ingest/upload", Map.of(), "files", "a.xml", new byte[]{1});
        assertEquals(401, post.statusCode(), "no token, no session");
    }

    @Test
    void securityHeadersForbidInlineScriptsAndFraming() throws Exception {
        WebClient c = app.loggedIn();
        HttpResponse<String> r = c.get("/");
        String csp = r.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertTrue(csp.contains("script-src 'self'"), csp);
        assertFalse(csp.contains("unsafe-inline"), csp);
        assertTrue(csp.contains("frame-ancestors 'none'"), csp);
        assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElseThrow());
        assertFalse(Pattern.compile("<script>(?!</script>)").matcher(r.body()).find(), "no inline script in the page");
        assertFalse(r.body().contains(" onerror=") || r.body().contains(" onclick="), "no inline handlers");
    }

    /** Every page that can show the payload report's values shows them as text. */
    @Test
    void scriptPayloadsFromReportsAreShownAsText() throws Exception {
        WebClient c = app.loggedIn();
        long xssReport = app.store.reports().reports(io.dmarclens.store.query.ReportFilter.all(),
                io.dmarclens.store.query.ReportSort.NEWEST, io.dmarclens.store.query.Page.first(500)).stream()
                .filter(r -> r.reporter().equals(TestData.XSS)).findFirst().orElseThrow().id();
        long xssFailure = app.store.failureReports().failureReports(io.dmarclens.store.query.ReportFilter.all(),
                io.dmarclens.store.query.Page.first(10)).stream()
                .filter(f -> f.subject().startsWith(TestData.XSS)).findFirst().orElseThrow().id();
        List<String> pages = List.of("/?range=7", "/sources?range=7", "/sources/198.51.100.200?range=7",
                "/reporters?range=7", "/reports?range=7", "/reports/" + xssReport, "/failures?range=7",
                "/failures/" + xssFailure, "/failures/" + xssFailure + "?reveal=1", "/domains?range=7",
                "/search?range=7&q=ip:198.51.100.200", "/search?range=7&q=" + java.net.URLEncoder.encode(
                        "<script>", java.nio.charset.StandardCharsets.UTF_8));
        int shownAsText = 0;
        for (String p : pages) {
            HttpResponse<String> r = c.get(p);
            assertEquals(200, r.statusCode(), p);
            String body = r.body();
            assertFalse(body.contains(TestData.XSS), p + " holds the raw script payload");
            assertFalse(body.contains("<img src=x"), p + " holds the raw attribute payload");
            if (body.contains("&lt;script&gt;window.__xss=1&lt;/script&gt;")) {
                shownAsText++;
            }
        }
        assertTrue(shownAsText >= 6, "the payload is visible as text on the pages that show it: " + shownAsText);
        String csv = c.get("/api/reports.csv?range=7").body();
        assertTrue(csv.contains(TestData.XSS), "CSV carries the value as data");
        Matcher json = Pattern.compile("\"reporter\":\"([^\"]*)\"").matcher(c.get("/api/reporters?range=7").body());
        boolean found = false;
        while (json.find()) {
            found |= json.group(1).equals("\\u003Cscript\\u003Ewindow.__xss=1\\u003C/script\\u003E")
                    || json.group(1).equals(TestData.XSS);
        }
        assertTrue(found, "JSON carries the value as a string");
    }
}
