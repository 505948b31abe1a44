package io.dmarclens.app.cli;

import io.dmarclens.app.config.RetentionSettings;
import io.dmarclens.store.Store;
import io.dmarclens.store.StoreException;
import io.dmarclens.store.audit.AuditEntry;
import io.dmarclens.store.audit.AuditLog;
import io.dmarclens.store.audit.AuditQuery;
import io.dmarclens.store.cluster.Duty;
import io.dmarclens.store.retention.RetentionResult;
import io.dmarclens.web.IngestConsole;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention in {@code serve}: applies {@code retention.*} every {@code retention.every}, once per cluster. Only a
 * node on duty (holding the jobs lease) runs it, and each run is written to the audit log (action
 * {@value #ACTION}, by {@value #BY_SERVE} from the node's name), which every node of a cluster shares: the last
 * entry says when the cluster last ran it, so a node that takes the lease over runs it when it is due, not again
 * at once nor a whole period late. A node asks whether a run is due every {@code retention.every}, at most every
 * minute.
 */
final class RetentionJob implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);
    /** The audit log's action of a retention run. */
    static final String ACTION = "retention";
    /** The audit log's user of a run by serve (its address is the node's name). */
    static final String BY_SERVE = "serve";
    private static final Duration MAX_CHECK = Duration.ofMinutes(1);

    private final Store store;
    private final AuditLog audit;
    private final RetentionSettings settings;
    private final String node;
    private final Clock clock;
    private final BiConsumer<RetentionResult, Instant> recorded;
    private final ScheduledExecutorService worker;
    private volatile boolean failing;

    /**
     * @param recorded told of each run (the metrics), or null
     */
    RetentionJob(Store store, AuditLog audit, RetentionSettings settings, String node, Clock clock,
                 BiConsumer<RetentionResult, Instant> recorded) {
        this.store = store;
        this.audit = audit;
        this.settings = settings;
        this.node = node;
        this.clock = clock;
        this.recorded = recorded == null ? (r, at) -> { } : recorded;
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "retention");
            t.setDaemon(true);
            return t;
        });
    }

    /** Asks whether a run is due now and then every {@code retention.every} (at most a minute), while on duty. */
    RetentionJob start(Duty duty) {
        long check = Math.min(settings.every().toMillis(), MAX_CHECK.toMillis());
        worker.scheduleWithFixedDelay(() -> runIfDue(duty), 0, check, TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * Runs retention when this node is on duty and the cluster's last run is {@code retention.every} old (or there
     * was none).
     *
     * @return what it removed, or empty when it did not run
     */
    Optional<RetentionResult> runIfDue(Duty duty) {
        try {
            if (!duty.held()) {
                return Optional.empty();
            }
            Instant now = clock.instant();
            Optional<AuditEntry> last = lastRun(audit);
            if (last.isPresent() && now.isBefore(last.get().at().plus(settings.every()))) {
                return Optional.empty();
            }
            RetentionResult r = store.applyRetention(settings.policy(), now);
            String removed = describe(r);
            audit.append(new AuditEntry(now, BY_SERVE, ACTION, removed + " (" + settings.describe() + ")", node));
            recorded.accept(r, now);
            LOG.info("Retention ({}): removed {}", settings.describe(), removed);
            failing = false;
            return Optional.of(r);
        } catch (StoreException e) {
            // The store is down: the next check tries again; said once, not every minute.
            if (!failing) {
                LOG.warn("Retention cannot run now ({}); trying again", e.getMessage());
                failing = true;
            }
        } catch (RuntimeException e) {
            LOG.error("Retention failed", e);
        }
        return Optional.empty();
    }

    /** The cluster's last retention run (by serve or the command), from the audit log. */
    static Optional<AuditEntry> lastRun(AuditLog audit) {
        List<AuditEntry> last = audit.find(new AuditQuery(Optional.empty(), Optional.of(ACTION), Optional.empty(),
                Optional.empty(), 1));
        return last.stream().findFirst();
    }

    /** The Ingest page's retention line: the policy and the last run; the policy alone while the store fails. */
    static IngestConsole.RetentionView view(AuditLog audit, RetentionSettings settings) {
        Optional<AuditEntry> last;
        try {
            last = lastRun(audit);
        } catch (StoreException e) {
            last = Optional.empty();
        }
        return last.map(e -> new IngestConsole.RetentionView(settings.describe(), e.at(),
                        e.user().equals(BY_SERVE) ? e.address() : "the command line", e.subject()))
                .orElse(new IngestConsole.RetentionView(settings.describe(), null, "", ""));
    }

    /** What a run removed, in words (the log line, the audit entry and the command's output). */
    static String describe(RetentionResult r) {
        return r.aggregateReports() + " aggregate reports (" + r.records() + " records), " + r.failureReports()
                + " failure reports, " + r.tlsReports() + " TLS reports, the raw bytes of " + r.rawSourcesCleared()
                + " sources, " + r.sourceFiles() + " sources no report refers to";
    }

    @Override
    public void close() {
        worker.shutdownNow();
        try {
            worker.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
