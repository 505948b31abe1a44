package io.dmarclens.web.metrics;

import io.dmarclens.store.CommitListener;
import io.dmarclens.store.StoreCommit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What the store committed, counted by its commit listener: the figures are those of the store, whichever
 * implementation it is and whoever imported (inbox workers, uploads, a retry).
 */
final class StoreMeters implements CommitListener {
    private final Counter commits;
    private final Counter records;
    private final Counter failureReports;
    private final Counter tlsReports;

    StoreMeters(MeterRegistry registry) {
        commits = Counter.builder("dmarclens.store.commits")
                .description("Store commits that stored reports").register(registry);
        records = Counter.builder("dmarclens.store.records")
                .description("Aggregate report records stored").register(registry);
        failureReports = Counter.builder("dmarclens.store.failure.reports")
                .description("Failure (ruf) reports stored").register(registry);
        tlsReports = Counter.builder("dmarclens.store.tls.reports")
                .description("SMTP TLS reports stored").register(registry);
    }

    @Override
    public void committed(StoreCommit commit) {
        if (commit.isEmpty()) {
            return;
        }
        commits.increment();
        records.increment(commit.records());
        failureReports.increment(commit.failureReports());
        tlsReports.increment(commit.tlsReports());
    }
}
