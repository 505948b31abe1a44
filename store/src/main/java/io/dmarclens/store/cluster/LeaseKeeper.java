package io.dmarclens.store.cluster;

import io.dmarclens.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds one lease for this node as long as it can: tries to take it every {@code ttl / 3}, and once held renews
 * it as often. {@link #held()} is true only while the lease certainly has not expired: until {@code ttl} minus a
 * margin after the start of the last successful request, measured on this process's monotonic clock. A holder
 * that cannot renew (the store is gone, the process stalled) therefore stops being on duty before another node
 * could take the lease over; a node that died loses it at most {@code ttl} after its last renewal, and another
 * node takes it within {@code ttl / 3} after that.
 */
public final class LeaseKeeper implements Duty, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);

    private final Leases leases;
    private final String name;
    private final String holder;
    private final Duration ttl;
    private final Clock clock;
    private final long marginNanos;
    private final ScheduledExecutorService timer;
    private volatile Lease lease;
    /** {@link System#nanoTime()} until which the lease is certainly ours; 0 when not held. */
    private volatile long heldUntil;
    private volatile boolean wasHeld;

    /**
     * @param name   the lease, e.g. {@code imap:reports}
     * @param holder this node's name
     * @param ttl    how long a lease lasts unrenewed (renewed every third of it)
     * @param clock  the time written into the lease (the other nodes compare it with theirs)
     */
    public LeaseKeeper(Leases leases, String name, String holder, Duration ttl, Clock clock) {
        this.leases = Objects.requireNonNull(leases, "leases");
        this.name = Objects.requireNonNull(name, "name");
        this.holder = Objects.requireNonNull(holder, "holder");
        if (ttl.toMillis() < 300) {
            throw new IllegalArgumentException("a lease must last at least 300 ms, not " + ttl);
        }
        this.ttl = ttl;
        this.clock = clock;
        // Room for the clocks of two nodes to differ a little and for the request's own way back.
        this.marginNanos = ttl.toNanos() / 10;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lease-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts trying to take the lease (at once, then every third of its time to live). */
    public LeaseKeeper start() {
        long every = Math.max(100, ttl.toMillis() / 3);
        timer.scheduleWithFixedDelay(this::tick, 0, every, TimeUnit.MILLISECONDS);
        return this;
    }

    /** The lease's name. */
    public String name() {
        return name;
    }

    @Override
    public boolean held() {
        long until = heldUntil;
        return until != 0 && System.nanoTime() - until < 0;
    }

    /** Takes or renews the lease once (the timer's work; tests call it to step). */
    void tick() {
        long started = System.nanoTime();
        try {
            Instant now = clock.instant();
            Lease current = lease;
            java.util.Optional<Lease> got = current == null ? leases.acquire(name, holder, now, ttl)
                    : leases.renew(current, now, ttl);
            if (got.isEmpty() && current != null) {
                // Taken over while we could not renew (or released): try to take it again as anyone would.
                got = leases.acquire(name, holder, now, ttl);
            }
            if (got.isPresent()) {
                lease = got.get();
                heldUntil = started + ttl.toNanos() - marginNanos;
                if (!wasHeld) {
                    LOG.info("Lease {} taken by this node ({})", name, holder);
                    wasHeld = true;
                }
            } else {
                lease = null;
                heldUntil = 0;
                if (wasHeld) {
                    LOG.warn("Lease {} lost: another node holds it now", name);
                    wasHeld = false;
                }
            }
        } catch (StoreException e) {
            // The lease may still be ours: held() runs out by itself unless a later renewal works.
            LOG.warn("Lease {}: cannot renew or take it ({}); on duty for at most its time to live", name, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Lease {}: renewal failed", name, e);
        }
    }

    /** Stops renewing and gives the lease up, so that another node takes it at once. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Lease l = lease;
        heldUntil = 0;
        lease = null;
        if (l != null) {
            try {
                leases.release(l);
            } catch (StoreException e) {
                LOG.debug("Lease {}: cannot release it ({}); it expires by itself", name, e.getMessage());
            }
        }
    }
}
