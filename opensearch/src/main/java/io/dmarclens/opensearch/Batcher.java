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
 */
final class Batcher<T> {
    /** Writes per request at most. */
    static final int MAX_BATCH = 256;

    /** One caller's write and its outcome, which {@code send} sets with {@link #done} or {@link #fail}. */
    static final class Item<T> {
        private final T value;
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

        void fail(RuntimeException e) {
            error = e;
            finished = true;
        }
    }

    private final Consumer<List<Item<T>>> send;
    private final Object lock = new Object();
    private final List<Item<T>> waiting = new ArrayList<>();
    private boolean sending;

    /** @param send writes a batch in one request and sets every item's outcome; may throw for all of them */
    Batcher(Consumer<List<Item<T>>> send) {
        this.send = send;
    }

    /**
     * Writes {@code value} (with whatever else is waiting) and returns once it is written.
     *
     * @throws StoreException (or what {@code send} threw) when this write failed
     */
    void write(T value) {
        Item<T> mine = new Item<>(value);
        List<Item<T>> batch;
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
                outcome(mine);
                return;
            }
            sending = true;
            int n = Math.min(waiting.size(), MAX_BATCH);
            batch = new ArrayList<>(waiting.subList(0, n));
            waiting.subList(0, n).clear();
        }
        try {
            send.accept(batch);
        } catch (RuntimeException e) {
            for (Item<T> item : batch) {
                if (!item.finished) {
                    item.fail(e);
                }
            }
        } finally {
            synchronized (lock) {
                for (Item<T> item : batch) {
                    if (!item.finished) {
                        item.fail(new StoreException("a batched write was left without an outcome"));
                    }
                }
                sending = false;
                lock.notifyAll();
            }
        }
        outcome(mine);
    }

    /** Waits (holding the lock) until the request carrying {@code item} is over, ignoring interrupts. */
    private void awaitQuietly(Item<T> item) {
        while (!item.finished) {
            try {
                lock.wait();
            } catch (InterruptedException again) {
                // the interrupt status is set already; the outcome is near
            }
        }
    }

    private static void outcome(Item<?> item) {
        RuntimeException e = item.error;
        if (e != null) {
            throw e;
        }
    }
}
