package io.dmarclens.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.app.config.RetentionSettings;
import io.dmarclens.index.EmbeddedStore;
import io.dmarclens.index.audit.SqliteAuditLog;
import io.dmarclens.store.audit.AuditEntry;
import io.dmarclens.store.audit.AuditQuery;
import io.dmarclens.store.cluster.Duty;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.retention.RetentionResult;
import io.dmarclens.web.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the retention job runs, on a real embedded store and audit log with a clock the test moves: only on duty,
 * at once when the cluster never ran it, then when the last run (its own, the command's, another node's) is
 * {@code retention.every} old; and each run takes its "now" from the clock, so reports age out as it moves.
 */
class RetentionJobTest {
    @TempDir
    Path dir;

    @Test
    void runsOnDutyOncePerPeriodCountingTheClustersLastRunAndAgesReportsByItsClock() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2025-03-01T06:00:00Z"));
        try (EmbeddedStore store = EmbeddedStore.open(dir, clock); SqliteAuditLog audit = SqliteAuditLog.open(dir)) {
            RetentionWorld.Stored stored = RetentionWorld.fill(store, clock);
            List<Instant> recorded = new ArrayList<>();
            RetentionJob job = new RetentionJob(store, audit, new RetentionSettings(Duration.ofDays(400), null,
                    Duration.ofDays(1)), "n1", clock, (r, at) -> recorded.add(at));
            AtomicBoolean held = new AtomicBoolean(false);
            Duty duty = held::get;

            assertEquals(Optional.empty(), job.runIfDue(duty), "not on duty: another node holds the jobs lease");
            assertEquals(stored.messages(), store.overview().totals(ReportFilter.all()).messages());

            held.set(true);
            RetentionResult first = job.runIfDue(duty).orElseThrow(() -> new AssertionError("never ran: due at once"));
            assertEquals(stored.oldReports(), first.aggregateReports());
            assertEquals(stored.recentMessages(), store.overview().totals(ReportFilter.all()).messages());
            assertEquals(List.of(clock.instant()), recorded, "the metrics are told, with the clock's time");

            clock.advance(Duration.ofHours(23));
            assertEquals(Optional.empty(), job.runIfDue(duty), "the last run is 23 h old, not a day");

            // Another node (or the command) ran it meanwhile: the period counts from that run.
            audit.append(new AuditEntry(clock.instant(), RetentionJob.BY_SERVE, RetentionJob.ACTION, "elsewhere", "n2"));
            clock.advance(Duration.ofHours(2));
            assertEquals(Optional.empty(), job.runIfDue(duty), "n2 ran it 2 h ago");

            // 395 days on, the recent reports (10 days old at the start) are over 400 days old.
            clock.advance(Duration.ofDays(395));
            RetentionResult later = job.runIfDue(duty).orElseThrow(() -> new AssertionError("due again"));
            assertEquals(stored.recentReports(), later.aggregateReports());
            assertEquals(0, store.overview().totals(ReportFilter.all()).messages());

            List<AuditEntry> runs = audit.find(new AuditQuery(Optional.empty(), Optional.of(RetentionJob.ACTION),
                    Optional.empty(), Optional.empty(), 10));
            assertEquals(List.of("n1", "n2", "n1"), runs.stream().map(AuditEntry::address).toList(), runs.toString());
            assertEquals(clock.instant(), runs.get(0).at());
            assertTrue(runs.get(0).subject().startsWith(stored.recentReports() + " aggregate reports ("),
                    runs.get(0).subject());
            assertTrue(runs.get(0).subject().endsWith("(reports 400d, raw sources forever)"), runs.get(0).subject());
            job.close();
        }
    }
}
