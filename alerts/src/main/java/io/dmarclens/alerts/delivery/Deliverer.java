package io.dmarclens.alerts.delivery;

import io.dmarclens.store.StoreException;
import io.dmarclens.store.alerts.Outbox;
import io.dmarclens.store.alerts.Outbox.QueuedNotice;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox: takes the notices that are due, sends each to the channels of its domain that it has
 * not reached yet, records each channel as soon as it took the notice, and marks the notice delivered when
 * all have; otherwise counts the failure and tries again after a back-off that doubles up to a maximum.
 *
 * <p>What this guarantees (docs/alerts.md, "Delivery guarantees"): a notice is in the outbox before anything
 * is sent, so a crash or a relay that is down never loses it; each channel gets it once, except when the
 * process dies in the instant between a channel taking it and the outbox recording that: then that channel
 * gets it again after the restart, with the same Message-ID or {@code X-DmarcLens-Delivery} value. Several
 * deliverers on one outbox (the nodes of a cluster) send each notice once: each takes a notice
 * ({@link Outbox#claim}) before sending it, and only one take succeeds.
 */
public final class Deliverer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Deliverer.class);
    private static final int BATCH = 50;
    /**
     * How long a taken notice is left to the deliverer that took it: longer than a pass over a batch can take
     * (every channel has its own timeout of seconds), short enough that a notice of a deliverer that died goes out
     * soon from another node.
     */
    static final Duration CLAIM = Duration.ofMinutes(5);

    private final Outbox outbox;
    private final Routes routes;
    private final Clock clock;
    private final Duration firstRetry;
    private final Duration maxRetry;
    private volatile DeliveryAttempts attempts = DeliveryAttempts.NONE;
    private ScheduledExecutorService worker;

    /**
     * @param outbox     the notices
     * @param routes     where they go
     * @param clock      the moment of each pass (due notices, retry times)
     * @param firstRetry the wait after the first failure; it doubles with each failure
     * @param maxRetry   the longest wait between attempts
     */
    public Deliverer(Outbox outbox, Routes routes, Clock clock, Duration firstRetry, Duration maxRetry) {
        this.outbox = outbox;
        this.routes = routes;
        this.clock = clock;
        this.firstRetry = firstRetry;
        this.maxRetry = maxRetry;
    }

    /** Tells {@code listener} of every attempt from now on (the metrics count them). */
    public Deliverer reportingTo(DeliveryAttempts listener) {
        this.attempts = listener;
        return this;
    }

    /**
     * One pass: sends every notice due now.
     *
     * @return the notices delivered to all their channels in this pass
     */
    public synchronized int deliverDue() {
        int delivered = 0;
        for (QueuedNotice q : outbox.due(clock.instant(), BATCH)) {
            // Every node of a cluster runs a deliverer on the one outbox: only the one that takes a notice sends it.
            Instant now = clock.instant();
            if (!outbox.claim(q.id(), now, now.plus(CLAIM))) {
                continue;
            }
            if (deliver(q)) {
                delivered++;
            }
        }
        return delivered;
    }

    private boolean deliver(QueuedNotice q) {
        Set<String> done = outbox.channelsDone(q.id());
        List<String> errors = new ArrayList<>();
        for (Channel channel : routes.channelsFor(q.notice().domain())) {
            if (done.contains(channel.id())) {
                continue;
            }
            try {
                channel.send(q);
                tell(channel, true);
                outbox.deliveredTo(q.id(), channel.id(), clock.instant());
            } catch (DeliveryException e) {
                tell(channel, false);
                errors.add(e.getMessage());
            }
        }
        Instant now = clock.instant();
        if (errors.isEmpty()) {
            outbox.delivered(q.id(), now);
            LOG.debug("notice {} ({}) delivered", q.id(), q.notice().subject());
            return true;
        }
        Instant retryAt = now.plus(backoff(q.attempts()));
        outbox.failed(q.id(), now, String.join("; ", errors), retryAt);
        LOG.warn("notice {} not delivered yet (attempt {}), next attempt at {}: {}", q.id(), q.attempts() + 1, retryAt,
                errors.get(0));
        return false;
    }

    private void tell(Channel channel, boolean sent) {
        String id = channel.id();
        int colon = id.indexOf(':');
        try {
            attempts.attempted(colon < 0 ? id : id.substring(0, colon), sent);
        } catch (RuntimeException e) {
            LOG.warn("delivery listener failed: {}", e.toString());
        }
    }

    /** The wait after {@code failedBefore + 1} failures. */
    Duration backoff(int failedBefore) {
        Duration d = firstRetry;
        for (int i = 0; i < failedBefore && d.compareTo(maxRetry) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(maxRetry) > 0 ? maxRetry : d;
    }

    /** Runs a pass every {@code every} on a thread of its own until closed. */
    public synchronized Deliverer start(Duration every) {
        if (worker == null) {
            worker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "alert-delivery");
                t.setDaemon(true);
                return t;
            });
            worker.scheduleWithFixedDelay(this::safePass, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        }
        return this;
    }

    private void safePass() {
        try {
            deliverDue();
        } catch (StoreException | IllegalStateException e) {
            LOG.warn("alert delivery pass failed, trying again on the next: {}", e.getMessage());
            LOG.debug("alert delivery pass failure", e);
        }
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
