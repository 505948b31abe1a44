package io.dmarclens.store.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** One holder at a time, taken over once the holder is gone, and off duty before its lease could be taken. */
class LeaseKeeperTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-02T06:00:00Z"), ZoneOffset.UTC);

    @Test
    void oneKeeperHoldsTheLeaseAndAnotherTakesOverWhenItIsReleased() {
        SingleNode store = new SingleNode();
        LeaseKeeper a = new LeaseKeeper(store, "imap:reports", "node-a", Duration.ofSeconds(30), CLOCK);
        LeaseKeeper b = new LeaseKeeper(store, "imap:reports", "node-b", Duration.ofSeconds(30), CLOCK);
        a.tick();
        b.tick();
        assertTrue(a.held());
        assertFalse(b.held());
        a.tick(); // renewed
        assertTrue(a.held());
        a.close();
        assertFalse(a.held());
        b.tick();
        assertTrue(b.held());
        b.close();
    }

    @Test
    void aHolderThatCannotRenewGoesOffDutyBeforeTheLeaseExpires() throws Exception {
        AtomicBoolean reachable = new AtomicBoolean(true);
        SingleNode inner = new SingleNode();
        Leases flaky = new Leases() {
            @Override
            public Optional<Lease> acquire(String name, String holder, Instant now, Duration ttl) {
                check();
                return inner.acquire(name, holder, now, ttl);
            }

            @Override
            public Optional<Lease> renew(Lease held, Instant now, Duration ttl) {
                check();
                return inner.renew(held, now, ttl);
            }

            @Override
            public void release(Lease held) {
                check();
                inner.release(held);
            }

            @Override
            public List<Lease> current() {
                return inner.current();
            }

            private void check() {
                if (!reachable.get()) {
                    throw new StoreException("the store cannot be reached");
                }
            }
        };
        Duration ttl = Duration.ofMillis(600);
        LeaseKeeper a = new LeaseKeeper(flaky, "job:retention", "node-a", ttl, CLOCK);
        long before = System.nanoTime();
        a.tick();
        assertTrue(a.held());
        reachable.set(false);
        a.tick(); // fails: still held for what is left of the time to live
        while (a.held()) {
            Thread.sleep(10);
        }
        long offDuty = System.nanoTime() - before;
        assertTrue(offDuty < ttl.toNanos(), "off duty after " + offDuty / 1_000_000 + " ms, before the lease expires");
        reachable.set(true);
        a.tick(); // the lease is still its own in the store: renewed
        assertTrue(a.held());
        assertEquals("node-a", inner.current().get(0).holder());
        a.close();
    }
}
