package io.dmarclens.ingest.inbox;

import io.dmarclens.store.ingestlog.IngestLogEntry;
import io.dmarclens.store.ingestlog.IngestStatus;
import io.dmarclens.store.ingestlog.MessageOrigin;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * How many messages each sender may have in the inbox that are not known to be reports: a sender's
 * allowance counts every message of it that is accepted and not processed yet, and every one that ended
 * in quarantine within the window. Keeps a stranger from filling the quarantine as fast as it can send.
 *
 * <p>A message is counted the moment it is accepted ({@link #charge}, one atomic step with the check), so a
 * burst of concurrent messages cannot pass the allowance before any of them is processed; once processed
 * as a report (stored or duplicate) it is credited back, and once quarantined it stays counted until it is
 * older than the window. A message left waiting because the store is unavailable (not for anything in it)
 * stops counting while it waits ({@link Charge#waitsForStore}): during a long store outage a relay's mail
 * piles up in the inbox without being taken for junk; if it turns out junk when processed, it counts then.
 * What waits for the store is bounded by the inbox's free-disk floor instead. Memory is bounded: at most {@code trackedSenders} counters, then new senders
 * share a fixed array of hashed counters, where strangers' messages add up together. Overflow only
 * makes the limit stricter: no count is forgotten before it leaves the window or is credited back.
 */
public final class JunkLimiter {
    /** Senders tracked one by one before new ones share {@link #OVERFLOW_BUCKETS} counters. */
    public static final int DEFAULT_TRACKED_SENDERS = 10_000;
    private static final int OVERFLOW_BUCKETS = 1024;
    private static final long SWEEP_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final int allowance;
    private final Duration window;
    private final int trackedSenders;
    private final Clock clock;
    // All state below is guarded by "this": each operation is a map lookup beside an fsync of the message.
    private final Map<String, Counter> counters = new HashMap<>();
    private final Counter[] overflow = new Counter[OVERFLOW_BUCKETS];
    private long lastSweep = System.nanoTime() - SWEEP_INTERVAL_NANOS;

    /**
     * @param allowance      messages one sender may have pending or quarantined per window; 0 for no limit
     * @param trackedSenders senders counted one by one; past it new senders share hashed counters
     */
    public JunkLimiter(int allowance, Duration window, int trackedSenders, Clock clock) {
        if (allowance < 0) {
            throw new IllegalArgumentException("junk per window must not be negative, not " + allowance);
        }
        if (trackedSenders < 1) {
            throw new IllegalArgumentException("tracked senders must be at least 1, not " + trackedSenders);
        }
        this.allowance = allowance;
        this.window = window;
        this.trackedSenders = trackedSenders;
        this.clock = clock;
    }

    public JunkLimiter(int allowance, Duration window, Clock clock) {
        this(allowance, window, DEFAULT_TRACKED_SENDERS, clock);
    }

    /**
     * Who a message is counted against: the SMTP peer (IPv6 per /64, as one host often holds a /64) or the
     * uploading user; empty for channels the operator set up (IMAP, files), which are never limited.
     */
    public static String sender(MessageOrigin origin) {
        return switch (origin.channel()) {
            case SMTP -> "smtp " + SenderAddress.of(origin.detail("peer"));
            case UPLOAD -> "upload " + origin.detail("user");
            default -> "";
        };
    }

    /**
     * False when {@code sender} has used its allowance on junk, so that no message of its can be accepted
     * whatever becomes of those waiting: a look that counts nothing (SMTP asks at {@code MAIL FROM}, so
     * that a refused sender does not send its DATA). An allowance filled by messages still waiting may yet
     * have room once they are processed: {@link #charge} decides, and waits for that.
     */
    public synchronized boolean allows(String sender) {
        if (unlimited(sender)) {
            return true;
        }
        Counter c = counterOf(sender, clock.instant().minus(window));
        return c == null || c.used(clock.instant().minus(window)) < allowance || c.pending > 0;
    }

    /** As {@link #charge(String, Duration)} without waiting. */
    public Optional<Charge> charge(String sender) {
        try {
            return charge(sender, Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * Counts one message of {@code sender} against its allowance, when the allowance has room for it. When
     * it is full but some of it is messages still waiting to be processed, waits up to {@code maxWait} for
     * one of them to be credited back (a reporter's burst goes on as fast as the inbox takes it); when the
     * rest is junk, or once they all turn out junk, refuses at once.
     *
     * @return the charge to settle once the message is processed (or {@link Charge#release released} if it
     *         was not accepted after all); empty when the sender has used its allowance
     * @throws InterruptedException when interrupted while waiting; nothing was counted
     */
    public synchronized Optional<Charge> charge(String sender, Duration maxWait) throws InterruptedException {
        if (unlimited(sender)) {
            return Optional.of(new Charge(null));
        }
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (true) {
            Instant horizon = clock.instant().minus(window);
            Counter c = counterOf(sender, horizon);
            if (c == null || c.used(horizon) < allowance) {
                if (c == null) {
                    c = newCounter(sender);
                }
                c.pending++;
                return Optional.of(new Charge(c));
            }
            long left = deadline - System.nanoTime();
            if (c.pending == 0 || left <= 0) {
                return Optional.empty(); // all junk: nothing to wait for
            }
            TimeUnit.NANOSECONDS.timedWait(this, left); // woken by every settle and release
        }
    }

    /**
     * The counter {@code sender} counts in: its own, or its bucket while the bucket holds anything (it may
     * have counted there before: nothing is forgotten); an empty bucket is no one's. Null when it has none.
     */
    private Counter counterOf(String sender, Instant horizon) {
        Counter c = counters.get(sender);
        if (c == null) {
            Counter shared = overflow[bucket(sender)];
            c = shared != null && shared.used(horizon) > 0 ? shared : null;
        }
        return c;
    }

    /** Counters tracked one by one (tests: the bound holds). */
    synchronized int trackedSenders() {
        return counters.size();
    }

    private boolean unlimited(String sender) {
        return allowance == 0 || sender.isEmpty();
    }

    private Counter newCounter(String sender) {
        if (counters.size() >= trackedSenders) {
            sweep();
        }
        if (counters.size() < trackedSenders) {
            Counter c = new Counter();
            counters.put(sender, c);
            return c;
        }
        int b = bucket(sender);
        if (overflow[b] == null) {
            overflow[b] = new Counter();
        }
        return overflow[b];
    }

    /** Drops counters with nothing pending and no junk left in the window; at most once a second, as it walks the table. */
    private void sweep() {
        long now = System.nanoTime();
        if (now - lastSweep < SWEEP_INTERVAL_NANOS) {
            return;
        }
        lastSweep = now;
        Instant horizon = clock.instant().minus(window);
        counters.values().removeIf(c -> c.used(horizon) == 0);
    }

    private synchronized void settle(Counter c, boolean junk) {
        c.pending--;
        if (junk) {
            c.junk.addLast(clock.instant());
            // Only the newest `allowance` junk times decide a refusal and when it ends.
            while (c.junk.size() > allowance) {
                c.junk.removeFirst();
            }
        }
        notifyAll();
    }

    private synchronized void release(Counter c) {
        c.pending--;
        notifyAll();
    }

    private synchronized void junkLater(Counter c) {
        c.junk.addLast(clock.instant());
        while (c.junk.size() > allowance) {
            c.junk.removeFirst();
        }
        notifyAll();
    }

    private static int bucket(String sender) {
        return Math.floorMod(sender.hashCode() * 0x9E3779B9, OVERFLOW_BUCKETS);
    }

    /** One sender's messages in flight and its recent junk (or, past the table's bound, a bucket's). */
    private static final class Counter {
        int pending;
        final ArrayDeque<Instant> junk = new ArrayDeque<>();

        /** Pending messages plus junk newer than {@code horizon}, forgetting older junk. */
        int used(Instant horizon) {
            while (!junk.isEmpty() && !junk.peekFirst().isAfter(horizon)) {
                junk.removeFirst();
            }
            return pending + junk.size();
        }
    }

    /** One message counted against its sender's allowance until it is known to be a report. */
    public final class Charge {
        private final Counter counter;
        private boolean settled;
        /** Waiting for the store: no longer pending; only junk, if it turns out so, still counts. */
        private boolean waiting;

        private Charge(Counter counter) {
            this.counter = counter;
        }

        /**
         * Settles the charge when {@code outcome} completes: a stored or duplicate report is credited back;
         * anything else (quarantined, dropped, or processing that never finished) stays counted as junk.
         */
        public void settleWith(CompletableFuture<IngestLogEntry> outcome) {
            outcome.whenComplete((entry, failure) -> settle(entry != null
                    && (entry.status() == IngestStatus.STORED || entry.status() == IngestStatus.DUPLICATE)));
        }

        /** The message was processed: as a report ({@code valid}) it is credited back, else it counts as junk. */
        public void settle(boolean valid) {
            boolean wasWaiting;
            synchronized (this) {
                wasWaiting = waiting;
            }
            if (take()) {
                if (!wasWaiting) {
                    JunkLimiter.this.settle(counter, !valid);
                } else if (!valid) {
                    junkLater(counter);
                }
            }
        }

        /**
         * The message waits in the inbox because the store is unavailable: that is not the sender's doing, so
         * it stops counting against the allowance until it is processed (and counts then only as junk).
         */
        public void waitsForStore() {
            synchronized (this) {
                if (settled || waiting || counter == null) {
                    return;
                }
                waiting = true;
            }
            JunkLimiter.this.release(counter);
        }

        /** The message was not accepted after all (too large, disk full): it does not count. */
        public void release() {
            boolean wasWaiting;
            synchronized (this) {
                wasWaiting = waiting;
            }
            if (take() && !wasWaiting) {
                JunkLimiter.this.release(counter);
            }
        }

        private synchronized boolean take() {
            if (settled || counter == null) {
                return false;
            }
            settled = true;
            return true;
        }
    }
}
