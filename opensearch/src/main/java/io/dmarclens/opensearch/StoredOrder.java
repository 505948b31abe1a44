package io.dmarclens.opensearch;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The order reports are stored in, as documents carry it ({@code seq}): the embedded store breaks the ties
 * of its lists (reports beginning together, failure reports arriving together) by row ids that count up as
 * rows are stored, and ids here are hashes of identities. Each value is the store clock's microseconds, or
 * one more than the last value this store gave out: strictly rising in one process, and in the order of the
 * clocks across processes (which share no counter).
 */
final class StoredOrder {
    private final Clock clock;
    private final AtomicLong last = new AtomicLong();

    StoredOrder(Clock clock) {
        this.clock = clock;
    }

    /** The next value, above every value given out before. */
    long next() {
        Instant now = clock.instant();
        long micros = Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000L), now.getNano() / 1_000);
        return last.updateAndGet(previous -> Math.max(previous + 1, micros));
    }
}
