package io.dmarclens.ingest.inbox;

import io.dmarclens.store.StoreException;
import io.dmarclens.store.ingestlog.InboxMessage;
import io.dmarclens.store.ingestlog.IngestLog;
import io.dmarclens.store.ingestlog.MessageOrigin;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest log's entries written while a sender waits for its answer (a message accepted or refused), each
 * waited for at most {@link #WAIT}. The message is safe in the inbox before its entry is written, and the entry
 * is written again when the message is processed, so a slow log must not hold the sender: a store on a cluster
 * that lost a node can take the client's whole request timeout (30 s) to answer, longer than SMTP clients wait
 * for the reply to their data. An entry that takes longer goes on being written behind the answer; at most
 * {@link #BACKLOG} such writes wait for a thread, and entries beyond that are left to processing.
 */
final class IntakeLog {
    private static final Logger LOG = LoggerFactory.getLogger(IntakeLog.class);
    static final Duration WAIT = Duration.ofSeconds(5);
    static final int THREADS = 8;
    static final int BACKLOG = 1_000;

    private final IngestLog log;
    private final Duration wait;
    private final ThreadPoolExecutor writers;

    IntakeLog(IngestLog log) {
        this(log, WAIT);
    }

    IntakeLog(IngestLog log, Duration wait) {
        this.log = log;
        this.wait = wait;
        AtomicInteger threads = new AtomicInteger();
        // No thread stays when nothing is written: the intake has no close, and a thread idle for a minute ends.
        this.writers = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(BACKLOG),
                r -> {
                    Thread t = new Thread(r, "intake-log-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        writers.allowCoreThreadTimeOut(true);
    }

    /** Logs {@code message} as accepted; never fails and returns within the wait. */
    void accepted(InboxMessage message) {
        write(() -> log.accepted(message), "accepted message " + message.id());
    }

    /** Logs a refusal; never fails and returns within the wait (the refusal itself matters more). */
    void rejected(MessageOrigin origin, long size, String reason) {
        write(() -> log.rejected(origin, size, reason), "rejected message from " + origin.describe());
    }

    private void write(Runnable entry, String what) {
        Future<?> written;
        try {
            written = writers.submit(entry);
        } catch (RejectedExecutionException full) {
            LOG.warn("Cannot log {}: {} entries already wait for the ingest log; it is logged when processed",
                    what, BACKLOG);
            return;
        }
        try {
            written.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException slow) {
            LOG.warn("Logging {} takes longer than {} s: answered without waiting, the entry is still being written",
                    what, wait.toSeconds());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof StoreException) {
                // The message is safe in the inbox; its log entry is written again once it is processed.
                LOG.warn("Cannot log {}: {}", what, cause.getMessage());
            } else if (cause instanceof RuntimeException r) {
                throw r;
            } else {
                throw new IllegalStateException(cause);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
