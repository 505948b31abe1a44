package io.dmarclens.ingest.inbox;

import io.dmarclens.store.StoreException;
import io.dmarclens.store.ingestlog.IngestLog;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the quarantine within its size and age bounds ({@link DurableInbox#boundQuarantine}) and tells the
 * ingest log which messages were dropped and why, so that the Ingest page does not go on calling them
 * quarantined. Besides each new quarantined message and the start, it can check on a schedule: the age
 * bound must hold even when nothing new arrives. The age is measured by the inbox's clock.
 */
public final class QuarantineBounds implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QuarantineBounds.class);

    private final DurableInbox inbox;
    private final IngestLog log;
    private ScheduledExecutorService schedule;

    public QuarantineBounds(DurableInbox inbox, IngestLog log) {
        this.inbox = inbox;
        this.log = log;
    }

    /** How often {@code serve} checks: a tenth of the age bound, between 1 second and 1 hour. */
    public static Duration interval(Duration maxAge) {
        Duration tenth = maxAge.dividedBy(10);
        if (tenth.compareTo(Duration.ofSeconds(1)) < 0) {
            return Duration.ofSeconds(1);
        }
        return tenth.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : tenth;
    }

    /**
     * Drops what is past the bounds now and logs each drop.
     *
     * @throws IOException when the quarantine cannot be read or a file not deleted
     */
    public List<DroppedMessage> enforce() throws IOException {
        List<DroppedMessage> dropped = inbox.boundQuarantine();
        record(dropped);
        return dropped;
    }

    /** Marks each message dropped in the ingest log; a log that cannot be written is warned about, not fatal. */
    public void record(List<DroppedMessage> dropped) {
        for (DroppedMessage d : dropped) {
            try {
                log.dropped(d.id(), d.reason());
            } catch (StoreException e) {
                LOG.warn("Cannot mark message {} dropped from the quarantine in the ingest log: {}", d.id(),
                        e.getMessage());
            }
        }
    }

    /** Checks every {@code interval} on a daemon thread of its own, until {@link #close}. */
    public synchronized QuarantineBounds every(Duration interval) {
        if (schedule != null) {
            throw new IllegalStateException("already checking on a schedule");
        }
        schedule = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "quarantine-bounds");
            t.setDaemon(true);
            return t;
        });
        long millis = Math.max(1, interval.toMillis());
        schedule.scheduleWithFixedDelay(this::enforceQuietly, millis, millis, TimeUnit.MILLISECONDS);
        return this;
    }

    private void enforceQuietly() {
        try {
            enforce();
        } catch (IOException | RuntimeException e) {
            // A scheduled task that throws is never run again: log and keep the schedule.
            LOG.warn("Cannot keep the quarantine within its bounds now: {}", e.toString());
        }
    }

    @Override
    public synchronized void close() {
        if (schedule != null) {
            schedule.shutdownNow();
            schedule = null;
        }
    }
}
