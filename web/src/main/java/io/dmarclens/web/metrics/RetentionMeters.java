package io.dmarclens.web.metrics;

import io.dmarclens.store.retention.RetentionResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What retention removed on this node, for {@code serve}'s scheduled runs to record: runs, what each removed (by
 * kind, a fixed label set), and when the last run was. Only the node holding the jobs lease runs retention, so
 * only its counters move; summed over the cluster's nodes they count each removal once.
 */
public final class RetentionMeters {
    private final Counter runs;
    private final Counter aggregateReports;
    private final Counter records;
    private final Counter failureReports;
    private final Counter tlsReports;
    private final Counter rawSources;
    private final Counter sourceFiles;
    private final AtomicLong lastRun = new AtomicLong();

    RetentionMeters(MeterRegistry registry) {
        runs = Counter.builder("dmarclens.retention.runs").description("Retention runs on this node")
                .register(registry);
        aggregateReports = removed(registry, "aggregate_reports");
        records = removed(registry, "records");
        failureReports = removed(registry, "failure_reports");
        tlsReports = removed(registry, "tls_reports");
        rawSources = removed(registry, "raw_sources");
        sourceFiles = removed(registry, "source_files");
        Gauge.builder("dmarclens.retention.last.run", lastRun, AtomicLong::get)
                .description("When this node last ran retention (Unix time), 0 before its first run")
                .baseUnit("seconds").register(registry);
    }

    private static Counter removed(MeterRegistry registry, String what) {
        return Counter.builder("dmarclens.retention.removed")
                .description("What retention removed: reports and records deleted, raw sources whose bytes went")
                .tag("what", what).register(registry);
    }

    /** Records one run at {@code at} that removed {@code r}. */
    public void record(RetentionResult r, Instant at) {
        runs.increment();
        aggregateReports.increment(r.aggregateReports());
        records.increment(r.records());
        failureReports.increment(r.failureReports());
        tlsReports.increment(r.tlsReports());
        rawSources.increment(r.rawSourcesCleared());
        sourceFiles.increment(r.sourceFiles());
        lastRun.set(at.getEpochSecond());
    }
}
