package io.dmarclens.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmarclens.app.config.ConfigLoader;
import io.dmarclens.app.config.ConfigOverrides;
import io.dmarclens.app.config.ServeConfig;
import io.dmarclens.store.Clocks;
import io.dmarclens.store.audit.AuditEntry;
import io.dmarclens.store.audit.AuditQuery;
import io.dmarclens.web.WebClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} with {@code retention.reports: 400d}: the scheduled run (on the one node, which holds the jobs
 * lease) deletes the reports older than that, the dashboard's totals drop by exactly their messages, and the run is
 * logged in the audit log, counted in the metrics and shown on the Ingest page; it runs again every
 * {@code retention.every}. "Today" is the process clock's ({@link Clocks#system()}, moved by
 * {@code dmarclens.clock.shift} in CI), and the reports are dated from it.
 */
class ServeRetentionTest {
    @TempDir
    Path dir;

    @Test
    void theScheduledRunDeletesOldReportsAndTheDashboardTotalsDropByTheirMessages() throws Exception {
        Path data = dir.resolve("data");
        RetentionWorld.Stored stored = RetentionWorld.fillEmbedded(data, Clocks.system());
        ServeConfig config = new ConfigLoader(Map.of("DMARC_LENS_RETENTION_REPORTS", RetentionWorld.POLICY,
                "DMARC_LENS_RETENTION_EVERY", "2s", "DMARC_LENS_NODE_NAME", "solo")).load(null,
                new ConfigOverrides(data, "127.0.0.1:0", "127.0.0.1:0", List.of("reports.example.com"), true));
        try (ServeRuntime serve = ServeRuntime.start(config)) {
            serve.users().addOrReplace("alice", "correct horse battery".toCharArray());
            WebClient web = new WebClient(serve.web().port());
            assertEquals(303, web.login("alice", "correct horse battery").statusCode());
            LocalDate today = LocalDate.now(serve.clock());
            String everything = "/api/overview?range=custom&from=" + today.minusDays(RetentionWorld.OLD_DAYS + 30)
                    + "&to=" + today;

            List<AuditEntry> runs = awaitRuns(serve, 2);
            AuditEntry first = runs.get(runs.size() - 1);
            assertEquals("solo", first.address(), "run by this node: " + first);
            assertTrue(first.subject().startsWith(stored.oldReports() + " aggregate reports ("), first.subject());
            assertTrue(runs.get(0).subject().startsWith("0 aggregate reports (0 records)"),
                    "the next run finds nothing more: " + runs.get(0));
            assertTrue(runs.get(0).at().isAfter(first.at()), "a later run: " + runs);

            JsonNode overview = new ObjectMapper().readTree(web.get(everything).body());
            assertEquals(stored.recentMessages(), overview.path("messages").asLong(), overview.toString());
            assertEquals(stored.recentReports(), overview.path("reports").asLong(), overview.toString());

            String metrics = serve.metrics().scrape();
            assertTrue(metrics.contains("dmarclens_retention_removed_total{what=\"aggregate_reports\"} "
                    + (double) stored.oldReports()), metrics);
            assertTrue(metrics.contains("dmarclens_retention_runs_total"), metrics);

            HttpResponse<String> ingest = web.get("/ingest");
            assertEquals(200, ingest.statusCode());
            assertTrue(ingest.body().contains("id=\"retention-last\""), ingest.body());
            assertTrue(ingest.body().contains("Policy: reports 400d, raw sources forever"), ingest.body());
            assertTrue(ingest.body().contains(" on solo: 0 aggregate reports"), ingest.body());
        }
    }

    /** The audit log's retention runs, newest first, once there are {@code n}. */
    static List<AuditEntry> awaitRuns(ServeRuntime serve, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<AuditEntry> runs = List.of();
        while (System.nanoTime() < deadline) {
            runs = serve.users().auditLog().orElseThrow().find(new AuditQuery(Optional.empty(),
                    Optional.of(RetentionJob.ACTION), Optional.empty(), Optional.empty(), 100));
            if (runs.size() >= n) {
                return runs;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not " + n + " retention runs within 60 s: " + runs);
    }
}
