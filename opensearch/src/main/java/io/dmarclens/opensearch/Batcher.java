package io.dmarclens.opensearch;

import io.dmarclens.store.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Writes that several threads make at the same moment, sent in one request: the first caller sends what waits
 * (its own write), and callers that come while that request is out wait for it, then the first of them sends
 * every write that gathered meanwhile. Nobody waits for a timer: a lone write goes at once, and under a burst
 * each request carries what arrived during the one before. Each caller returns once its own write has its
 * outcome, and throws its own failure.
 *
 * @param <T> what one write is
 * @param <R> what a write comes back with (null when nothing)
 */
final class Batcher<T, R> {
    /** Writes per request at most. */
    static final int MAX_BATCH = 256;

    /** One caller's write and its outcome, which {@code send} sets with {@link #done} or {@link #fail}. */
    static final class Item<T, R> {
        private final T value;
        private volatile R result;
        private volatile RuntimeException error;
        private volatile boolean finished;

        private Item(T value) {
            this.value = value;
        }

        T value() {
            return value;
        }

        void done() {
            finished = true;
        }

        void done(R r) {
            result = r;
            finished = true;
        }

        void fail(RuntimeException e) {
            error = e;
            finished = true;
        }
    }

    private final Consumer<List<Item<T, R>>> send;
    private final Object lock = new Object();
    private final List<Item<T, R>> waiting = new ArrayList<>();
    private boolean sending;

    /** @param send writes a batch in one request and sets every item's outcome; may throw for all of them */
    Batcher(Consumer<List<Item<T, R>>> send) {
        this.send = send;
    }

    /**
     * Writes {@code value} (with whatever else is waiting) and returns once it is written, with what
     * {@code send} gave it.
     *
     * @throws StoreException (or what {@code send} threw) when this write failed
     */
    R write(T value) {
        Item<T, R> mine = new Item<>(value);
        List<Item<T, R>> batch;
        synchronized (lock) {
            waiting.add(mine);
            while (sending && !mine.finished) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    if (waiting.remove(mine)) {
                        throw new StoreException("interrupted before the write was sent");
                    }
                    // Sent already: its outcome comes with the request that carries it.
                    awaitQuietly(mine);
                    break;
                }
            }
            if (mine.finished) {
                return outcome(mine);
            }
            sending = true;
            int n = Math.min(waiting.size(), MAX_BATCH);
            batch = new ArrayList<>(waiting.subList(0, n));
            waiting.subList(0, n).clear();
        }
        try {
            send.accept(batch);
        } catch (RuntimeException e) {
            for (Item<T, R> item : batch) {
                if (!item.finished) {
                    item.fail(e);
                }
            }
        } finally {
            synchronized (lock) {
                for (Item<T, R> item : batch) {
                    if (!item.finished) {
                        item.fail(new StoreException("a batched write was left without an outcome"));
                    }
                }
                sending = false;
                lock.notifyAll();
            }
        }
        return outcome(mine);
    }

    /** Waits (holding the lock) until the request carrying {@code item} is over, ignoring interrupts. */
    private void awaitQuietly(Item<T, R> item) {
        while (!item.finished) {
            try {
                lock.wait();
            } catch (InterruptedException again) {
                // the interrupt status is set already; the outcome is near
            }
        }
    }

    private static <R> R outcome(Item<?, R> item) {
        RuntimeException e = item.error;
        if (e != null) {
            throw e;
        }
        return item.result;
    }
}
