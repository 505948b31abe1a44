package io.dmarclens.store.alerts;

import java.time.Instant;
import java.util.List;

/**
 * The durable queue of notices to deliver. A notice is enqueued before anything is sent (the alert log
 * enqueues the notices of alerts it opens and resolves in the same transaction), and stays until the
 * deliverer says it was delivered: a restart neither loses nor repeats it. The deliverer (mail, web hooks)
 * takes what is due, sends it, and reports back.
 *
 * <p>Every method throws {@link io.dmarclens.store.StoreException} when the queue cannot be read or written.
 */
public interface Outbox {
    /**
     * Writes a notice to the queue, due at once.
     *
     * @return its position in the queue (its id)
     */
    long enqueue(Notice notice);

    /** Notices not delivered yet whose next attempt is due at {@code now}, oldest first. */
    List<QueuedNotice> due(Instant now, int limit);

    /**
     * Takes notice {@code id} for one delivery attempt, so that of several deliverers (one per node of a cluster)
     * exactly one sends it: true when it was still undelivered and due at {@code now}, and it is then not due
     * again before {@code until} (a deliverer that dies while sending leaves it to the next at that time); false
     * when another deliverer took it first or it was delivered. A compare-and-set: two racing takers, one wins.
     */
    boolean claim(long id, Instant now, Instant until);

    /** The notice was delivered: it leaves the queue of due notices (and stays visible as delivered). */
    void delivered(long id, Instant at);

    /**
     * The notice reached one of its channels (a mail recipient, a web hook), recorded at once so that a
     * retry for the channels that failed does not repeat it on this one.
     */
    void deliveredTo(long id, String channel, Instant at);

    /** The channels the notice has reached so far. */
    java.util.Set<String> channelsDone(long id);

    /** An attempt failed: counted, with its error, and tried again at {@code retryAt}. */
    void failed(long id, Instant at, String error, Instant retryAt);

    /** The notices of one alert with their delivery state, oldest first (for the dashboard). */
    List<QueuedNotice> forAlert(long alertId);

    /** The latest notices with their delivery state, newest first (for the dashboard). */
    List<QueuedNotice> recent(int limit);

    /**
     * One notice in the queue.
     *
     * @param id          its position in the queue
     * @param notice      the notice
     * @param attempts    attempts that failed so far
     * @param nextAttempt when it is due (null once delivered)
     * @param deliveredAt when it was delivered, or null
     * @param lastError   the last attempt's error, or null
     */
    record QueuedNotice(long id, Notice notice, int attempts, Instant nextAttempt, Instant deliveredAt,
                        String lastError) {
        public boolean isDelivered() {
            return deliveredAt != null;
        }
    }
}
