package io.dmarclens.ingest.inbox;

import io.dmarclens.store.ingestlog.InboxMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes processed messages out of the inbox on its own thread, so that the workers go on to the next
 * message at once: on ext4 a rename or unlink waits for the journal that the receivers' fsyncs keep
 * busy, and took as long as storing the report (JFR, {@code bench smtp}). A message not yet deleted when the
 * process dies is processed again at the next start and found to be stored already (a duplicate in the
 * store's eyes, still STORED in the ingest log): nothing is lost or stored twice.
 */
final class InboxCleaner {
    private static final Logger LOG = LoggerFactory.getLogger(InboxCleaner.class);
    private static final int BATCH = 256;

    private final DurableInbox inbox;
    private final BlockingQueue<InboxMessage> done = new LinkedBlockingQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final Thread thread;
    private volatile boolean stopping;

    InboxCleaner(DurableInbox inbox) {
        this.inbox = inbox;
        this.thread = new Thread(this::run, "inbox-cleaner");
        thread.setDaemon(true); // what it has not deleted at exit is found to be stored at the next start
        thread.start();
    }

    /** Queues a stored message for deletion. */
    void delete(InboxMessage message) {
        pending.incrementAndGet();
        done.add(message);
    }

    /** Messages stored and not yet deleted. */
    int pending() {
        return pending.get();
    }

    /** Deletes what is queued, then ends the thread. */
    void stop() {
        stopping = true;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteQueued();
    }

    private void run() {
        while (!stopping) {
            try {
                InboxMessage first = done.take();
                delete(List.of(first));
                deleteQueued();
            } catch (InterruptedException e) {
                return; // stop() deletes the rest
            }
        }
    }

    private synchronized void deleteQueued() {
        List<InboxMessage> batch = new ArrayList<>(BATCH);
        while (done.drainTo(batch, BATCH) > 0) {
            delete(batch);
            batch.clear();
        }
    }

    private synchronized void delete(List<InboxMessage> messages) {
        for (InboxMessage m : messages) {
            try {
                inbox.complete(m);
            } catch (IOException e) {
                LOG.warn("Cannot delete processed message {} from the inbox ({}); the next start finds it stored",
                        m.id(), e.toString());
            } finally {
                pending.decrementAndGet();
            }
        }
    }
}
