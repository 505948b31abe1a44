package io.dmarclens.alerts.digest;

import io.dmarclens.store.StoreException;
import io.dmarclens.store.alerts.AlertLog;
import io.dmarclens.store.alerts.Notice;
import io.dmarclens.store.alerts.Outbox;
import io.dmarclens.store.query.PolicyImpact;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the digests to the outbox when they are due, on the injected clock: a daily digest covers
 * yesterday (UTC) and is written at the configured hour; a weekly one covers the seven days before the week
 * starts. The first start only notes the period due then (no digest of the past). Each period is written once: the last period written is remembered in the alert log, and a digest
 * already in the outbox (a crash between writing it and remembering) is not written again.
 */
public final class DigestScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DigestScheduler.class);
    private static final String MEMORY_KEY = "digest.last_period_end";

    private final DigestSettings settings;
    private final DigestCollector collector;
    private final DigestWriter writer;
    private final AlertLog log;
    private final Outbox outbox;
    private final Clock clock;
    private ScheduledExecutorService worker;

    public DigestScheduler(DigestSettings settings, DigestCollector collector, DigestWriter writer, AlertLog log,
                           Outbox outbox, Clock clock) {
        this.settings = settings;
        this.collector = collector;
        this.writer = writer;
        this.log = log;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** The latest period whose digest is due at {@code now}, if any. */
    Optional<DigestPeriod> duePeriod(Instant now) {
        if (settings.cadence() == DigestSettings.Cadence.OFF) {
            return Optional.empty();
        }
        LocalDateTime t = LocalDateTime.ofInstant(now, ZoneOffset.UTC);
        LocalDate writeDay = t.getHour() >= settings.hour() ? t.toLocalDate() : t.toLocalDate().minusDays(1);
        if (settings.cadence() == DigestSettings.Cadence.DAILY) {
            return Optional.of(new DigestPeriod(writeDay.minusDays(1), writeDay.minusDays(1)));
        }
        LocalDate weekStart = writeDay.with(TemporalAdjusters.previousOrSame(settings.weekStart()));
        return Optional.of(new DigestPeriod(weekStart.minusDays(7), weekStart.minusDays(1)));
    }

    /**
     * Writes the due digests not written yet.
     *
     * @return the digests written to the outbox
     */
    public synchronized List<Notice> tick() {
        Instant now = clock.instant();
        Optional<DigestPeriod> due = duePeriod(now);
        if (due.isEmpty()) {
            return List.of();
        }
        DigestPeriod period = due.get();
        Optional<String> last = log.ruleState(MEMORY_KEY);
        if (last.isEmpty()) {
            // The first start: the next period is the first digest (no digest of a past before DMARC Lens ran).
            log.saveRuleState(MEMORY_KEY, period.to().toString(), now);
            return List.of();
        }
        if (!LocalDate.parse(last.get()).isBefore(period.to())) {
            return List.of();
        }
        List<String> scopes = new ArrayList<>();
        if (settings.allDomains()) {
            scopes.add(AlertLog.ALL_DOMAINS);
        }
        if (settings.perDomain()) {
            collector.domains(period).stream().map(PolicyImpact::domain).forEach(scopes::add);
        }
        List<String> alreadyQueued = outbox.recent(500).stream().map(q -> q.notice())
                .filter(n -> n.kind() == Notice.Kind.DIGEST).map(Notice::subject).toList();
        List<Notice> written = new ArrayList<>();
        for (String scope : scopes) {
            Notice n = writer.write(collector.collect(scope, period), settings.cadence().word(), now);
            if (alreadyQueued.contains(n.subject())) {
                continue;
            }
            outbox.enqueue(n);
            written.add(n);
        }
        log.saveRuleState(MEMORY_KEY, period.to().toString(), now);
        if (!written.isEmpty()) {
            LOG.info("{} {} digest(s) for {} written to the outbox", written.size(), settings.cadence().word(), period);
        }
        return written;
    }

    /** Looks for due digests every {@code every} on a thread of its own until closed. */
    public DigestScheduler start(Duration every) {
        return start(every, io.dmarclens.store.cluster.Duty.always());
    }

    /** As {@link #start(Duration)}, only while {@code onDuty} (in a cluster: the node holding the jobs' lease). */
    public synchronized DigestScheduler start(Duration every, io.dmarclens.store.cluster.Duty onDuty) {
        if (worker == null && settings.cadence() != DigestSettings.Cadence.OFF) {
            worker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "alert-digests");
                t.setDaemon(true);
                return t;
            });
            worker.scheduleWithFixedDelay(() -> {
                if (!onDuty.held()) {
                    return;
                }
                try {
                    tick();
                } catch (StoreException | IllegalStateException e) {
                    LOG.warn("digests could not be written, trying again later: {}", e.getMessage());
                    LOG.debug("digest failure", e);
                }
            }, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        }
        return this;
    }

    @Override
    public void close() {
        ScheduledExecutorService w;
        synchronized (this) {
            w = worker;
            worker = null;
        }
        if (w != null) {
            w.shutdown();
            try {
                if (!w.awaitTermination(30, TimeUnit.SECONDS)) {
                    w.shutdownNow();
                }
            } catch (InterruptedException e) {
                w.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }
}
