package io.dmarclens.web.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.web.TestApp;
import io.dmarclens.web.WebClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * #14, the ingest page attacked by a logged-in user on a real server: a control character in an upload's
 * file name, an upload larger than the limit, retries and downloads of ids that try to leave the
 * quarantine, and a notice in the URL. Each gets its own status and a short message, never a 500 nor a
 * stack trace, and the page never shows text taken from the URL.
 */
@Timeout(120)
class IngestAttackTest {
    @TempDir
    Path dir;

    @Test
    void uploadsWithBadNamesOrTooMuchDataAreRefusedWithTheirStatus() throws Exception {
        try (TestApp app = TestApp.withInbox(dir)) {
            byte[] report = "<feedback/>".getBytes(StandardCharsets.UTF_8);
            // Jetty may close a connection whose body it refused: each attempt gets a client of its own
            for (String name : List.of("evil\u001b[31m.xml", "nul\u0000.xml", "bell\u0007.xml")) {
                WebClient c = app.loggedIn();
                HttpResponse<String> r = c.postFile("/api/ingest/upload", Map.of("_csrf", c.csrf()), "files", name, report);
                assertEquals(400, r.statusCode(), r.body());
                assertTrue(r.body().contains("file name"), r.body());
                assertFalse(r.body().contains("\u001b"), "the control character is not echoed");
                assertNoTrace(r);
                c = app.loggedIn();
                HttpResponse<String> page = c.postFile("/ingest/upload", Map.of("_csrf", c.csrf()), "files", name, report);
                assertEquals(400, page.statusCode(), page.body());
                assertNoTrace(page);
            }
            // the console's limit in TestApp is 1 MiB; the dashboard's own request limit is 64 MiB
            WebClient c = app.loggedIn();
            HttpResponse<String> large = c.postFile("/api/ingest/upload", Map.of("_csrf", c.csrf()), "files", "big.xml",
                    new byte[2 << 20]);
            assertEquals(413, large.statusCode(), large.body());
            assertNoTrace(large);
            c = app.loggedIn();
            HttpResponse<String> huge = c.postFile("/api/ingest/upload", Map.of("_csrf", c.csrf()), "files", "huge.xml",
                    new byte[70 << 20]);
            assertEquals(413, huge.statusCode(), huge.body());
            assertNoTrace(huge);
            c = app.loggedIn();
            assertEquals(202, c.postFile("/api/ingest/upload", Map.of("_csrf", c.csrf()), "files", "fine.xml", report)
                    .statusCode(), "an ordinary upload still goes in");
        }
    }

    @Test
    void idsThatTryToLeaveTheQuarantineAreNotFound() throws Exception {
        try (TestApp app = TestApp.withInbox(dir)) {
            WebClient c = app.loggedIn();
            // Traversals, malformed ids, and a well-formed id the quarantine does not hold.
            for (String id : List.of("..", "...", "..%5C..%5Cweb.db", "%2e%2e%5cingest.db", "x..y", "a%20b", "%1b",
                    "20260302T100000000Z-0123456789ab")) {
                for (String path : List.of("/ingest/quarantine/" + id + "/retry", "/api/ingest/quarantine/" + id + "/retry")) {
                    HttpResponse<String> r = c.postForm(path, Map.of("_csrf", c.csrf()));
                    assertEquals(404, r.statusCode(), path + ": " + r.body());
                    assertNoTrace(r);
                }
                for (String path : List.of("/ingest/quarantine/" + id, "/api/ingest/quarantine/" + id)) {
                    HttpResponse<String> r = c.get(path);
                    assertEquals(404, r.statusCode(), path + ": " + r.body());
                    assertNoTrace(r);
                }
            }
        }
    }

    @Test
    void theIngestPageShowsNoTextFromTheUrl() throws Exception {
        try (TestApp app = TestApp.withInbox(dir)) {
            WebClient c = app.loggedIn();
            String lure = "Your session expired: call 0800 555 0100 or visit evil.example to log in again";
            HttpResponse<String> r = c.get("/ingest?notice=" + java.net.URLEncoder.encode(lure, StandardCharsets.UTF_8));
            assertEquals(200, r.statusCode());
            assertFalse(r.body().contains(lure), "text from the URL on the page");
            assertFalse(r.body().contains("id=\"notice\""), "a notice made of text from the URL");
            HttpResponse<String> uploaded = c.postFile("/ingest/upload", Map.of("_csrf", c.csrf()), "files", "a.xml",
                    "<feedback/>".getBytes(StandardCharsets.UTF_8));
            assertEquals(303, uploaded.statusCode());
            String location = uploaded.headers().firstValue("Location").orElse(null);
            assertNotNull(location);
            HttpResponse<String> after = c.get(location);
            assertTrue(after.body().contains("id=\"notice\""), after.body());
            assertTrue(after.body().contains("processed in the background"), after.body());
        }
    }

    static void assertNoTrace(HttpResponse<String> r) {
        assertFalse(r.body().contains("Exception"), r.body());
        assertFalse(r.body().contains("\tat "), r.body());
        assertFalse(r.body().contains("io.dmarclens."), r.body());
    }
}
