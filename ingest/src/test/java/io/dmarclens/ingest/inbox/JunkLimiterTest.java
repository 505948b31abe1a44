package io.dmarclens.ingest.inbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The junk allowance: counted at acceptance, atomically, credited back for reports, bounded without forgiving. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JunkLimiterTest {
    private static final Duration HOUR = Duration.ofHours(1);
    private final MovingClock clock = new MovingClock(Instant.parse("2026-03-02T10:00:00Z"));

    @Test
    void aConcurrentBurstGetsExactlyTheAllowance() throws Exception {
        JunkLimiter limiter = new JunkLimiter(5, HOUR, clock);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Optional<JunkLimiter.Charge>>> granted = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            granted.add(pool.submit(() -> {
                start.await();
                return limiter.charge("smtp 192.0.2.1");
            }));
        }
        start.countDown();
        List<JunkLimiter.Charge> charges = new ArrayList<>();
        for (Future<Optional<JunkLimiter.Charge>> f : granted) {
            f.get().ifPresent(charges::add);
        }
        pool.shutdown();
        assertEquals(5, charges.size(), "pending messages count before any is processed");
        assertTrue(limiter.allows("smtp 192.0.2.1"), "while they wait, one may yet turn out a report");
        assertTrue(limiter.allows("smtp 192.0.2.2"), "other senders are not affected");
        charges.forEach(c -> c.settle(false));
        assertFalse(limiter.allows("smtp 192.0.2.1"), "all five junk: refused at once");
    }

    @Test
    void aChargeWaitsForAWaitingMessageToBeCreditedBack() throws Exception {
        JunkLimiter limiter = new JunkLimiter(2, HOUR, clock);
        String sender = "smtp 192.0.2.1";
        JunkLimiter.Charge first = limiter.charge(sender).orElseThrow();
        JunkLimiter.Charge second = limiter.charge(sender).orElseThrow();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Future<Optional<JunkLimiter.Charge>> waiting = pool.submit(() -> limiter.charge(sender, Duration.ofSeconds(20)));
        Thread.sleep(200);
        assertFalse(waiting.isDone(), "full of waiting messages: it waits");
        first.settle(true); // a report: its place is free
        assertTrue(waiting.get(5, TimeUnit.SECONDS).isPresent(), "and takes the place given back");

        // Once every waiting message has turned out junk there is nothing to wait for: refused at once.
        Future<Optional<JunkLimiter.Charge>> hopeless = pool.submit(() -> limiter.charge(sender, Duration.ofSeconds(20)));
        Thread.sleep(200);
        assertFalse(hopeless.isDone());
        long before = System.nanoTime();
        second.settle(false);
        waiting.get().get().settle(false);
        assertTrue(hopeless.get(5, TimeUnit.SECONDS).isEmpty());
        assertTrue(System.nanoTime() - before < TimeUnit.SECONDS.toNanos(5), "not after the whole wait");

        // And a wait for messages that never finish ends at its bound.
        JunkLimiter other = new JunkLimiter(1, HOUR, clock);
        other.charge("upload bob").orElseThrow();
        long started = System.nanoTime();
        assertTrue(other.charge("upload bob", Duration.ofMillis(300)).isEmpty());
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(waited >= 250 && waited < 5_000, waited + " ms");
        pool.shutdown();
    }

    @Test
    void reportsAreCreditedBackJunkStaysForTheWindow() {
        JunkLimiter limiter = new JunkLimiter(3, HOUR, clock);
        String sender = "upload alice";
        for (int i = 0; i < 2; i++) {
            limiter.charge(sender).orElseThrow().settle(false); // junk
        }
        // One slot left: a report takes it while pending and gives it back once stored, however often.
        for (int i = 0; i < 10; i++) {
            JunkLimiter.Charge report = limiter.charge(sender).orElseThrow();
            assertTrue(limiter.charge(sender).isEmpty(), "while the report is pending the allowance is used");
            report.settle(true);
        }
        limiter.charge(sender).orElseThrow().settle(false); // the third junk
        assertTrue(limiter.charge(sender).isEmpty());
        clock.advance(HOUR.minusSeconds(1));
        assertFalse(limiter.allows(sender), "junk counts for the whole window");
        clock.advance(Duration.ofSeconds(2));
        assertTrue(limiter.charge(sender).isPresent(), "an hour after the junk the sender may send again");
    }

    @Test
    void aChargeReleasedOrSettledTwiceCountsOnce() {
        JunkLimiter limiter = new JunkLimiter(1, HOUR, clock);
        JunkLimiter.Charge c = limiter.charge("smtp 192.0.2.1").orElseThrow();
        c.release(); // not accepted after all (too large, disk low)
        c.release();
        c.settle(false);
        assertTrue(limiter.allows("smtp 192.0.2.1"), "a released charge never becomes junk");
        JunkLimiter.Charge d = limiter.charge("smtp 192.0.2.1").orElseThrow();
        d.settle(true);
        d.settle(true);
        assertTrue(limiter.charge("smtp 192.0.2.1").isPresent(), "settling twice credits once");
    }

    @Test
    void operatorChannelsAndAZeroAllowanceAreNotLimited() {
        assertTrue(new JunkLimiter(1, HOUR, clock).charge("").isPresent());
        JunkLimiter off = new JunkLimiter(0, HOUR, clock);
        for (int i = 0; i < 100; i++) {
            off.charge("smtp 192.0.2.1").orElseThrow().settle(false);
        }
        assertTrue(off.allows("smtp 192.0.2.1"));
    }

    @Test
    void aFloodOfNewSendersNeverForgivesAThrottledOne() throws InterruptedException {
        JunkLimiter limiter = new JunkLimiter(3, HOUR, 100, clock);
        for (int i = 0; i < 3; i++) {
            limiter.charge("smtp 192.0.2.1").orElseThrow().settle(false);
        }
        // 20,000 senders, one junk message each: far past the 100 counters tracked one by one.
        int granted = 0;
        for (int i = 0; i < 20_000; i++) {
            Optional<JunkLimiter.Charge> c = limiter.charge("smtp 10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255));
            if (c.isPresent()) {
                c.get().settle(false);
                granted++;
            }
        }
        assertTrue(limiter.trackedSenders() <= 100, limiter.trackedSenders() + " counters");
        assertFalse(limiter.allows("smtp 192.0.2.1"), "the throttled sender is still throttled");
        assertTrue(granted < 20_000, "strangers past the table share buckets, which only makes them stricter");
        // The buckets hold at most the allowance each: 1024 buckets, 3 each, besides the 100 tracked senders.
        assertTrue(granted <= 100 * 3 + 1024 * 3, granted + " granted");
        clock.advance(HOUR.plusSeconds(1));
        assertTrue(limiter.allows("smtp 192.0.2.1"), "the window ends for everyone");
        Thread.sleep(1_100); // the table is swept at most once a second
        limiter.charge("smtp 192.0.2.99").orElseThrow().settle(true);
        assertEquals(1, limiter.trackedSenders(), "the expired counters are swept, the next sender has its own");
    }

    /** A clock the test moves. */
    static final class MovingClock extends Clock {
        private volatile Instant now;

        MovingClock(Instant start) {
            now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
