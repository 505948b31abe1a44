package io.dmarclens.ingest.inbox;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The small pool of threads that takes messages out of the durable inbox, hands each to the
 * {@link MessageProcessor} and records the outcome: stored messages leave the inbox, messages without a
 * report go to quarantine. When the processor fails for a reason that is not the message's (the store is
 * unavailable), the message stays in the inbox and is tried again with a growing delay.
 */
public final class InboxWorkers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InboxWorkers.class);
    /** A message whose processing throws an unexpected (runtime) error this often is quarantined. */
    private static final int MAX_UNEXPECTED_FAILURES = 3;
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LAST_RETRY = Duration.ofMinutes(2);

    private final DurableInbox inbox;
    private final IngestLog log;
    private final MessageProcessor processor;
    private final ExecutorService workers;
    private final ScheduledExecutorService retries;
    private final InboxCleaner cleaner;
    private final Map<String, CompletableFuture<IngestLogEntry>> inFlight = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> unexpectedFailures = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> retriesSoFar = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    public InboxWorkers(DurableInbox inbox, IngestLog log, MessageProcessor processor, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("inbox workers must be at least 1, not " + threads);
        }
        this.inbox = inbox;
        this.log = log;
        this.processor = processor;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(threads, r -> named(r, "inbox-worker-" + n.incrementAndGet()));
        this.retries = Executors.newSingleThreadScheduledExecutor(r -> named(r, "inbox-retry"));
        this.cleaner = new InboxCleaner(inbox);
    }

    private static Thread named(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(false);
        return t;
    }

    /** Queues everything the inbox holds from before (a crash or a stop); call once before accepting. */
    public int recover() throws IOException {
        List<InboxMessage> pending = inbox.recover();
        if (!pending.isEmpty()) {
            LOG.info("Resuming {} messages accepted before the last stop", pending.size());
        }
        for (InboxMessage m : pending) {
            log.accepted(m);
            submit(m);
        }
        return pending.size();
    }

    /** Queues a message already in the inbox; the future completes when it is stored or quarantined. */
    public CompletableFuture<IngestLogEntry> submit(InboxMessage message) {
        CompletableFuture<IngestLogEntry> done = inFlight.computeIfAbsent(message.id(), id -> new CompletableFuture<>());
        if (!stopping) {
            workers.execute(() -> process(message));
        }
        return done;
    }

    /** The completion of a message queued in this run, when there is one. */
    public CompletableFuture<IngestLogEntry> outcome(String id) {
        return inFlight.get(id);
    }

    /** Messages queued, being processed, or processed and not yet deleted from the inbox. */
    public int backlog() {
        return inFlight.size() + cleaner.pending();
    }

    private void process(InboxMessage m) {
        if (stopping) {
            return; // stays in the inbox for the next start
        }
        CompletableFuture<IngestLogEntry> done = inFlight.get(m.id());
        try {
            ProcessingResult result;
            try {
                result = processor.process(m, inbox.pendingData(m));
            } catch (RuntimeException e) {
                int failures = unexpectedFailures.computeIfAbsent(m.id(), k -> new AtomicInteger()).incrementAndGet();
                if (failures < MAX_UNEXPECTED_FAILURES) {
                    throw e;
                }
                LOG.error("Message {} failed {} times with an unexpected error; quarantining it", m.id(), failures, e);
                result = ProcessingResult.invalid("internal error while processing: " + e);
            }
            IngestLogEntry entry = log.finished(m, result);
            if (result.error() != null) {
                inbox.quarantine(m);
                LOG.info("Quarantined message {} from {}: {}", m.id(), m.origin().describe(), result.error());
            } else {
                cleaner.delete(m);
                LOG.debug("Message {}: {} reports stored, {} duplicates", m.id(), result.reports(), result.duplicates());
            }
            unexpectedFailures.remove(m.id());
            retriesSoFar.remove(m.id());
            inFlight.remove(m.id());
            if (done != null) {
                done.complete(entry);
            }
        } catch (Exception e) {
            int n = retriesSoFar.computeIfAbsent(m.id(), k -> new AtomicInteger()).getAndIncrement();
            Duration delay = FIRST_RETRY.multipliedBy(1L << Math.min(n, 7));
            if (delay.compareTo(LAST_RETRY) > 0) {
                delay = LAST_RETRY;
            }
            LOG.warn("Cannot process message {} now ({}); it stays in the inbox, next try in {} s", m.id(), e,
                    delay.toSeconds());
            if (!stopping) {
                retries.schedule(() -> {
                    if (!stopping) {
                        workers.execute(() -> process(m));
                    }
                }, delay.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /**
     * Stops taking messages, lets each worker finish the message it holds, and returns once they have
     * (or after {@code timeout}). Messages not yet processed stay in the inbox for the next start.
     */
    public void stop(Duration timeout) {
        stopping = true;
        retries.shutdownNow();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Inbox workers still busy after {} s; their messages stay in the inbox", timeout.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        cleaner.stop();
        inFlight.values().forEach(f -> f.completeExceptionally(new IllegalStateException("stopped before processing")));
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(30));
    }
}
