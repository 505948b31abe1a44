package io.dmarclens.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.ingest.inbox.InboxLimits;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A logged-in user (or a stolen session) uploading junk as fast as it can, and uploads while the disk is
 * nearly full: the real dashboard with a real inbox, concurrent HTTP requests, bounded in count and time.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UploadAttackTest {
    private static final int JUNK_SIZE = 2_000;

    @TempDir
    Path dir;

    @Test
    void junkUploadsPastTheAllowanceGet429AndTheQuarantineStaysWithinItsBound() throws Exception {
        long bound = 3L * JUNK_SIZE + 100;
        InboxLimits limits = InboxLimits.none().withJunkPerSender(5).withQuarantine(bound, Duration.ofDays(30));
        try (TestApp app = TestApp.withInbox(dir, limits)) {
            WebClient session = app.loggedIn();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int n = i;
                statuses.add(pool.submit(() -> upload(session, n).statusCode()));
            }
            int accepted = 0;
            int throttled = 0;
            for (Future<Integer> f : statuses) {
                int status = f.get();
                assertTrue(status == 202 || status == 429, "status " + status);
                accepted += status == 202 ? 1 : 0;
                throttled += status == 429 ? 1 : 0;
            }
            pool.shutdown();
            assertTrue(accepted >= 5, accepted + " accepted");
            assertTrue(throttled > 0, "some of 40 junk uploads must be refused");
            app.ingestService().awaitIdle(Duration.ofSeconds(30));

            // Once the junk is counted, every further upload of this user is refused, with a reason.
            HttpResponse<String> refused = upload(session, 99);
            assertEquals(429, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("held no report"), refused.body());

            long bytes = 0;
            int kept = 0;
            try (Stream<Path> files = Files.list(dir.resolve("data/quarantine"))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".msg")).toList()) {
                    bytes += Files.size(f);
                    kept++;
                }
            }
            assertTrue(bytes <= bound, bytes + " bytes in the quarantine");
            assertEquals(accepted - kept, app.ingestService().droppedFromQuarantine());
            HttpResponse<String> page = session.get("/ingest");
            assertTrue(page.body().contains("(oldest first): " + (accepted - kept) + "<"), "the Ingest page shows it");
            // Only what is still held is listed.
            HttpResponse<String> api = session.get("/api/ingest/quarantine");
            assertEquals(kept, api.body().split("\"id\":\"", -1).length - 1, api.body());
        }
    }

    @Test
    void belowTheFreeDiskThresholdUploadsGet507AndNothingIsStored() throws Exception {
        try (TestApp app = TestApp.withInbox(dir, InboxLimits.none().withMinFreeDisk(Long.MAX_VALUE))) {
            WebClient session = app.loggedIn();
            HttpResponse<String> r = upload(session, 1);
            assertEquals(507, r.statusCode(), r.body());
            assertTrue(r.body().contains("disk is nearly full"), r.body());
            try (Stream<Path> files = Files.list(dir.resolve("data/inbox/new"))) {
                assertEquals(0, files.count());
            }
        }
    }

    private static HttpResponse<String> upload(WebClient session, int n) throws Exception {
        String junk = "<html>junk " + n + " " + "x".repeat(JUNK_SIZE) + "</html>";
        return session.postFile("/api/ingest/upload", Map.of("_csrf", session.csrf()), "files", "junk-" + n + ".xml",
                junk.substring(0, JUNK_SIZE).getBytes(StandardCharsets.UTF_8));
    }
}
