package io.dmarclens.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.store.audit.AuditEntry;
import io.dmarclens.store.audit.AuditQuery;
import io.dmarclens.store.users.Role;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * #12 roles on a real server, by direct HTTP requests (a hidden button is no protection): what a viewer, an
 * analyst and an admin may and may not do, with sessions and with tokens, and the audit log entries each
 * action leaves.
 */
@Timeout(120)
class RolesTest {
    private static final String ANALYST = "carl";

    @TempDir
    Path dir;

    @Test
    void eachRoleMayDoItsOwnAndNothingMore() throws Exception {
        try (TestApp app = TestApp.start(dir)) {
            app.users.addOrReplace(ANALYST, TestApp.PASSWORD.toCharArray());
            app.users.setRole(ANALYST, Role.ANALYST);
            WebClient admin = app.loggedIn(TestApp.USER);
            WebClient viewer = app.loggedIn(TestApp.OTHER_USER);
            WebClient analyst = app.loggedIn(ANALYST);
            long report = firstId(admin.get("/reports").body());
            String original = "/reports/" + report + "/original";
            String apiOriginal = "/api/reports/" + report + "/original";

            // Reading: everyone.
            for (WebClient c : List.of(admin, analyst, viewer)) {
                assertEquals(200, c.get("/reports/" + report).statusCode());
                assertEquals(200, c.get("/api/records.csv").statusCode());
                assertEquals(200, c.get("/failures").statusCode());
            }
            // Raw downloads: analysts and admins.
            assertEquals(403, viewer.get(original).statusCode());
            assertEquals(403, viewer.get(apiOriginal).statusCode());
            assertEquals(200, analyst.get(original).statusCode());
            assertEquals(200, admin.get(apiOriginal).statusCode());
            // Changes: not viewers; quarantine actions: admins only.
            assertEquals(403, viewer.postForm("/ingest/upload", Map.of("_csrf", viewer.csrf())).statusCode());
            assertNotEquals(403, analyst.postForm("/ingest/upload", Map.of("_csrf", analyst.csrf())).statusCode());
            for (WebClient c : List.of(viewer, analyst)) {
                assertEquals(403, c.postForm("/ingest/quarantine/abc/retry", Map.of("_csrf", c.csrf())).statusCode());
                assertEquals(403, c.postForm("/api/ingest/quarantine/abc/retry", Map.of("_csrf", c.csrf())).statusCode());
            }
            assertNotEquals(403, admin.postForm("/ingest/quarantine/abc/retry", Map.of("_csrf", admin.csrf())).statusCode());
            // The audit log: admins only, and only admins see its link.
            for (WebClient c : List.of(viewer, analyst)) {
                for (String path : List.of("/audit", "/api/audit", "/api/audit.csv")) {
                    assertEquals(403, c.get(path).statusCode(), path);
                }
                assertFalse(c.get("/").body().contains("href=\"/audit\""));
            }
            assertTrue(admin.get("/").body().contains("href=\"/audit\""));
            assertEquals(200, admin.get("/audit").statusCode());

            // Tokens carry their user's role.
            String viewerToken = app.users.issueToken(TestApp.OTHER_USER);
            String adminToken = app.users.issueToken(TestApp.USER);
            assertEquals(200, viewer.get("/api/reports", "Authorization", "Bearer " + viewerToken).statusCode());
            assertEquals(403, app.client().get(apiOriginal, "Authorization", "Bearer " + viewerToken).statusCode());
            assertEquals(403, app.client().get("/api/audit", "Authorization", "Bearer " + viewerToken).statusCode());
            assertEquals(200, app.client().get(apiOriginal, "Authorization", "Bearer " + adminToken).statusCode());
            assertEquals(200, app.client().get("/api/audit", "Authorization", "Bearer " + adminToken).statusCode());

            // A changed role holds at once, for the session that is already open.
            app.users.setRole(ANALYST, Role.VIEWER);
            assertEquals(403, analyst.get(original).statusCode());
        }
    }

    @Test
    void loginsExportsDownloadsAndChangesLeaveAuditEntriesAdminsCanFilterAndExport() throws Exception {
        try (TestApp app = TestApp.start(dir)) {
            WebClient admin = app.loggedIn(TestApp.USER);
            WebClient viewer = app.loggedIn(TestApp.OTHER_USER);
            assertEquals(401, app.client().login(TestApp.OTHER_USER, "wrong password").statusCode());
            long report = firstId(admin.get("/reports").body());
            assertEquals(200, viewer.get("/api/records.csv?domain=example.com").statusCode());
            assertEquals(200, admin.get("/reports/" + report + "/original").statusCode());
            assertEquals(403, viewer.get("/reports/" + report + "/original").statusCode());
            admin.postForm("/ingest/quarantine/abc/retry", Map.of("_csrf", admin.csrf()));

            List<AuditEntry> all = app.users.auditLog().orElseThrow().find(AuditQuery.all(100));
            assertTrue(has(all, TestApp.USER, "login", ""), all.toString());
            assertTrue(has(all, TestApp.OTHER_USER, "login", ""), all.toString());
            assertTrue(has(all, TestApp.OTHER_USER, "login.failed", "password"), all.toString());
            assertTrue(has(all, TestApp.OTHER_USER, "export", "/api/records.csv?domain=example.com"), all.toString());
            assertTrue(has(all, TestApp.USER, "download", "/reports/" + report + "/original"), all.toString());
            assertFalse(has(all, TestApp.OTHER_USER, "download", ""), "a refused download is no download");
            assertTrue(all.stream().allMatch(e -> e.address().equals("127.0.0.1")), all.toString());

            String failed = admin.get("/api/audit.csv?action=login.failed").body();
            assertTrue(failed.contains(TestApp.OTHER_USER) && failed.contains("login.failed"), failed);
            assertFalse(failed.contains("export"), failed);
            String page = admin.get("/audit?user=" + TestApp.OTHER_USER).body();
            assertTrue(page.contains("/api/records.csv?domain=example.com"), "the viewer's export on the page");
            assertFalse(page.contains("/reports/" + report + "/original"), "the admin's download filtered out");
            // Nothing on the dashboard changes it: no route takes a change.
            assertEquals(404, admin.postForm("/audit", Map.of("_csrf", admin.csrf())).statusCode());
        }
    }

    private static boolean has(List<AuditEntry> all, String user, String action, String subjectPart) {
        return all.stream().anyMatch(e -> e.user().equals(user) && e.action().equals(action)
                && e.subject().contains(subjectPart));
    }

    private static long firstId(String json) {
        Matcher m = Pattern.compile("href=\"/reports/(\\d+)").matcher(json);
        assertTrue(m.find(), json);
        return Long.parseLong(m.group(1));
    }
}
