package io.dmarclens.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.ingest.inbox.InboxLimits;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
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
            ExecutorService pool = Executors.newFixedThreadPool(8);
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
            // Counted at acceptance, not once processed (before, 26 of 40 got in with an allowance of 5).
            assertEquals(5, accepted, "a burst gets exactly the allowance");
            assertEquals(35, throttled);
            app.ingestService().awaitIdle(Duration.ofSeconds(30));

            // With the allowance spent on junk, every further upload of this user is refused, with a reason.
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
            // The ingest log no longer calls the dropped ones quarantined, and says why they went.
            String log = session.get("/api/ingest/log").body();
            assertEquals(accepted - kept, log.split("\"dropped\"", -1).length - 1, log);
            assertEquals(kept, log.split("\"quarantined\"", -1).length - 1, log);
            assertTrue(log.contains("(quarantine.max_size)"), log);
        }
    }

    @Test
    void reportsOfAUserWithJunkGetInWhileTheAllowanceHasRoom() throws Exception {
        try (TestApp app = TestApp.withInbox(dir, InboxLimits.none().withJunkPerSender(3))) {
            WebClient session = app.loggedIn();
            for (int i = 0; i < 2; i++) {
                assertEquals(202, upload(session, i).statusCode());
            }
            app.ingestService().awaitIdle(Duration.ofSeconds(30));
            // Two junk files of an allowance of three: each report takes the free place while it waits and
            // gives it back once stored, so a user can go on uploading reports one after another.
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> r = session.postFile("/api/ingest/upload", Map.of("_csrf", session.csrf()), "files",
                        "report-" + i + ".xml", report("room-" + i).getBytes(StandardCharsets.UTF_8));
                assertEquals(202, r.statusCode(), "report " + i + ": " + r.body());
                app.ingestService().awaitIdle(Duration.ofSeconds(30));
            }
            assertTrue(session.get("/api/ingest/log").body().split("\"stored\"", -1).length - 1 >= 5,
                    "the reports were stored");
            assertEquals(202, upload(session, 3).statusCode(), "the third junk file still fits");
            app.ingestService().awaitIdle(Duration.ofSeconds(30));
            HttpResponse<String> refused = session.postFile("/api/ingest/upload", Map.of("_csrf", session.csrf()),
                    "files", "report-x.xml", report("room-x").getBytes(StandardCharsets.UTF_8));
            assertEquals(429, refused.statusCode(), "with the allowance spent on junk, reports wait too");
        }
    }

    private static String report(String id) {
        long begin = LocalDate.of(2024, 6, 20).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
        return """
                <?xml version="1.0"?>
                <feedback>
                  <report_metadata><org_name>reporter.example</org_name><email>dmarc@reporter.example</email>
                    <report_id>%s</report_id><date_range><begin>%d</begin><end>%d</end></date_range>
                  </report_metadata>
                  <policy_published><domain>example.com</domain><adkim>r</adkim><aspf>r</aspf><p>none</p>
                    <sp>none</sp><pct>100</pct></policy_published>
                  <record>
                    <row><source_ip>192.0.2.10</source_ip><count>3</count>
                      <policy_evaluated><disposition>none</disposition><dkim>pass</dkim><spf>pass</spf></policy_evaluated>
                    </row>
                    <identifiers><header_from>example.com</header_from></identifiers>
                    <auth_results><dkim><domain>example.com</domain><result>pass</result></dkim>
                      <spf><domain>example.com</domain><result>pass</result></spf></auth_results>
                  </record>
                </feedback>
                """.formatted(id, begin, begin + 86_399);
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
