package io.dmarclens.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.app.config.ConfigLoader;
import io.dmarclens.app.config.ConfigOverrides;
import io.dmarclens.app.config.ServeConfig;
import io.dmarclens.opensearch.OpenSearchAuditLog;
import io.dmarclens.opensearch.testing.DropIndicesAfterClass;
import io.dmarclens.opensearch.testing.OpenSearchTestNode;
import io.dmarclens.store.Clocks;
import io.dmarclens.store.audit.AuditEntry;
import io.dmarclens.store.audit.AuditLog;
import io.dmarclens.store.audit.AuditQuery;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code serve} nodes on one OpenSearch store, both with the {@code jobs} role and retention every 2 s: only the
 * node holding the jobs lease runs retention (the cluster's audit log names the node of every run), the old reports
 * are gone for both, and when that node stops the other takes the lease over and runs it.
 */
@ExtendWith(DropIndicesAfterClass.class)
class TwoNodeRetentionTest {
    @TempDir
    Path dir;

    private ServeConfig config(String name) {
        OpenSearchTestNode node = OpenSearchTestNode.shared();
        return new ConfigLoader(Map.of("DMARC_LENS_STORE_OPENSEARCH_INDEX_PREFIX",
                OpenSearchTestNode.prefix(getClass(), dir), "DMARC_LENS_STORE_OPENSEARCH_REPLICAS", "0",
                "DMARC_LENS_NODE_NAME", name, "DMARC_LENS_NODE_ROLES", "inbox,jobs",
                "DMARC_LENS_RETENTION_REPORTS", RetentionWorld.POLICY, "DMARC_LENS_RETENTION_EVERY", "2s"))
                .load(null, new ConfigOverrides(dir.resolve(name), "127.0.0.1:0", "127.0.0.1:0",
                        List.of("reports.example.com"), true, node.url().toString()));
    }

    @Test
    void onlyTheJobsLeaseHolderRunsRetentionAndTheOtherTakesOverWhenItStops() throws Exception {
        Clock clock = Clocks.system();
        ServeConfig one = config("n1");
        RetentionWorld.Stored stored = RetentionWorld.fillOpenSearch(one.store().opensearch(), clock);
        try (AuditLog audit = OpenSearchAuditLog.open(one.store().opensearch())) {
            ServeRuntime n1 = ServeRuntime.start(one);
            try (ServeRuntime n2 = ServeRuntime.start(config("n2"))) {
                try {
                    await(() -> n1.heldLeases().contains(ClusterNode.JOBS), "n1 holds the jobs lease");
                    int before = awaitRuns(audit, r -> true).size();
                    // Two more periods with both nodes up.
                    List<AuditEntry> runs = awaitRuns(audit, r -> r.size() >= before + 2);
                    assertTrue(runs.stream().allMatch(r -> r.address().equals("n1")), "only n1 ran it: " + runs);
                    assertFalse(n2.heldLeases().contains(ClusterNode.JOBS));
                    AuditEntry first = runs.get(runs.size() - 1);
                    assertTrue(first.subject().startsWith(stored.oldReports() + " aggregate reports ("), first.subject());
                    RetentionWorld.assertOnlyRecentLeft(n2.store(), stored);
                } finally {
                    n1.close();
                }
                List<AuditEntry> after = awaitRuns(audit, r -> r.get(0).address().equals("n2"));
                assertTrue(n2.heldLeases().contains(ClusterNode.JOBS), "n2 took the jobs lease over");
                assertTrue(after.get(0).subject().startsWith("0 aggregate reports (0 records)"), after.get(0).subject());
                assertEquals(1, after.stream().filter(r -> r.address().equals("n2")).count(),
                        "n2 ran it once so far: " + after);
            }
        }
    }

    private static List<AuditEntry> awaitRuns(AuditLog audit, Predicate<List<AuditEntry>> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        List<AuditEntry> runs = List.of();
        while (System.nanoTime() < deadline) {
            runs = audit.find(new AuditQuery(Optional.empty(), Optional.of(RetentionJob.ACTION), Optional.empty(),
                    Optional.empty(), 100));
            if (!runs.isEmpty() && done.test(runs)) {
                return runs;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("retention runs not as awaited within 90 s: " + runs);
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60 s: " + what);
            }
            Thread.sleep(50);
        }
    }
}
