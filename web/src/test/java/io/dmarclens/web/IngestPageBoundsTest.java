package io.dmarclens.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #14: two quarantined mails with 41 MB reasons made {@code /ingest} answer 500 on every load and
 * {@code /api/ingest/quarantine} 94 MB. Rows written like that before reasons were bounded stay in
 * {@code ingest.db}; the page and the API must still answer, small.
 */
class IngestPageBoundsTest {
    @TempDir
    Path dir;

    @Test
    void aHugeReasonStoredBeforeReasonsWereBoundedBreaksNeitherThePageNorTheApi() throws Exception {
        try (TestApp app = TestApp.withInbox(dir)) {
            WebClient session = app.loggedIn();
            HttpResponse<String> up = session.postFile("/api/ingest/upload", java.util.Map.of("_csrf", session.csrf()),
                    "files", "junk.xml", "<html>no report here</html>".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(202, up.statusCode(), up.body());
            assertTrue(app.ingestService().awaitIdle(java.time.Duration.ofSeconds(20)));
            // What a release before #14 wrote for a mail of 335,544 parts: a reason of tens of megabytes.
            try (java.sql.Connection db = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/ingest.db"));
                 java.sql.PreparedStatement ps = db.prepareStatement("UPDATE ingest_log SET detail=? WHERE status='QUARANTINED'")) {
                ps.setString(1, "mail holds no readable report: " + "part 1 (application/gzip): gzip stream holds no report; "
                        .repeat(200_000));
                assertEquals(1, ps.executeUpdate());
            }
            for (String path : java.util.List.of("/ingest", "/api/ingest/quarantine?size=500", "/api/ingest/log?size=500")) {
                HttpResponse<String> r = session.get(path);
                assertEquals(200, r.statusCode(), path);
                int bytes = r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
                assertTrue(bytes < 1 << 20, path + " is " + bytes + " bytes");
                assertTrue(r.body().contains("more characters)"), path + " says the reason was cut");
            }
        }
    }
}
