package io.dmarclens.ingest.inbox;

import io.dmarclens.ingest.pipeline.ImportException;
import io.dmarclens.store.StoreException;
import io.dmarclens.store.ingestlog.InboxMessage;
import io.dmarclens.store.ingestlog.IngestLog;
import io.dmarclens.store.ingestlog.IngestLogEntry;
import io.dmarclens.store.ingestlog.ProcessingResult;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The small pool of threads that takes messages out of the durable inbox, hands them to the
 * {@link MessageProcessor} and records the outcome: stored messages leave the inbox, messages without a
 * report go to quarantine. A worker takes every message waiting (up to {@link #MAX_RUN}) as one run and
 * commits the run at once: at a trickle each message is its own run, under a burst the per-commit costs
 * (database commit, search index catch-up, ingest log transaction) are shared by many messages. When the
 * processor fails for a reason that is not the message's (the store is unavailable), the message stays in
 * the inbox and is tried again with a growing delay.
 */
public final class InboxWorkers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InboxWorkers.class);
    /** A message whose processing throws an unexpected (runtime) error this often is quarantined. */
    private static final int MAX_UNEXPECTED_FAILURES = 3;
    /** Messages per run at most: bounds how long a run's messages wait for their commit. */
    static final int MAX_RUN = 32;
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LAST_RETRY = Duration.ofMinutes(2);
    private static final long IDLE_POLL_MS = 200;

    private final DurableInbox inbox;
    private final IngestLog log;
    private final MessageProcessor processor;
    private final BlockingQueue<InboxMessage> queue = new LinkedBlockingQueue<>();
    private final List<Thread> workers = new ArrayList<>();
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
        this.retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "inbox-retry");
            t.setDaemon(true);
            return t;
        });
        this.cleaner = new InboxCleaner(inbox);
        for (int i = 1; i <= threads; i++) {
            Thread t = new Thread(this::work, "inbox-worker-" + i);
            workers.add(t);
            t.start();
        }
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
            queue.add(message);
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

    private void work() {
        List<InboxMessage> run = new ArrayList<>(MAX_RUN);
        while (!stopping) {
            try {
                InboxMessage first = queue.poll(IDLE_POLL_MS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                run.add(first);
                queue.drainTo(run, MAX_RUN - 1);
                process(run);
            } catch (InterruptedException e) {
                return; // stop(): what is queued stays in the inbox
            } catch (RuntimeException e) {
                LOG.error("Inbox worker failed; its messages stay in the inbox", e);
                // Only those not finished already: a finished message's files may be gone.
                run.stream().filter(m -> inFlight.containsKey(m.id())).forEach(m -> retryLater(m, e));
            } finally {
                run.clear();
            }
        }
    }

    /** Processes a run of messages, commits it, then records each outcome. */
    private void process(List<InboxMessage> run) {
        long token = processor.begin();
        List<IngestLog.Finished> done = new ArrayList<>(run.size());
        for (InboxMessage m : run) {
            if (stopping) {
                break; // the rest stays in the inbox for the next start
            }
            try {
                done.add(new IngestLog.Finished(m, processOne(m)));
            } catch (IOException | RuntimeException e) {
                retryLater(m, e);
            }
        }
        if (done.isEmpty()) {
            return;
        }
        try {
            processor.commit(token);
        } catch (RuntimeException e) {
            done.forEach(f -> retryLater(f.message(), e));
            return;
        }
        List<IngestLogEntry> entries;
        try {
            entries = log.finished(done);
        } catch (StoreException e) {
            // Stored, but not logged: processing again finds the reports stored and logs them then.
            done.forEach(f -> retryLater(f.message(), e));
            return;
        }
        for (int i = 0; i < done.size(); i++) {
            finish(done.get(i).message(), done.get(i).result(), entries.get(i));
        }
    }

    private ProcessingResult processOne(InboxMessage m) throws IOException {
        try {
            return processor.process(m, inbox.pendingData(m));
        } catch (ImportException | StoreException e) {
            throw e; // not the message's fault: it stays in the inbox and is tried again, however often
        } catch (RuntimeException e) {
            int failures = unexpectedFailures.computeIfAbsent(m.id(), k -> new AtomicInteger()).incrementAndGet();
            if (failures < MAX_UNEXPECTED_FAILURES) {
                throw e;
            }
            LOG.error("Message {} failed {} times with an unexpected error; quarantining it", m.id(), failures, e);
            return ProcessingResult.invalid("internal error while processing: " + e);
        }
    }

    private void finish(InboxMessage m, ProcessingResult result, IngestLogEntry entry) {
        try {
            if (result.error() != null) {
                inbox.quarantine(m);
                LOG.info("Quarantined message {} from {}: {}", m.id(), m.origin().describe(), result.error());
            } else {
                cleaner.delete(m);
                LOG.debug("Message {}: {} reports stored, {} duplicates", m.id(), result.reports(), result.duplicates());
            }
        } catch (IOException e) {
            retryLater(m, e); // still in the inbox: found logged and stored when tried again
            return;
        }
        unexpectedFailures.remove(m.id());
        retriesSoFar.remove(m.id());
        CompletableFuture<IngestLogEntry> future = inFlight.remove(m.id());
        if (future != null) {
            future.complete(entry);
        }
    }

    private void retryLater(InboxMessage m, Exception e) {
        int n = retriesSoFar.computeIfAbsent(m.id(), k -> new AtomicInteger()).getAndIncrement();
        Duration delay = FIRST_RETRY.multipliedBy(1L << Math.min(n, 7));
        if (delay.compareTo(LAST_RETRY) > 0) {
            delay = LAST_RETRY;
        }
        LOG.warn("Cannot process message {} now ({}); it stays in the inbox, next try in {} s", m.id(), e,
                delay.toSeconds());
        if (!stopping) {
            try {
                retries.schedule(() -> {
                    if (!stopping) {
                        queue.add(m);
                    }
                }, delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                // stopping: the message stays in the inbox for the next start
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
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (Thread t : workers) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                t.join(Math.max(1, left));
                if (t.isAlive()) {
                    LOG.warn("Inbox worker {} still busy after {} s; its messages stay in the inbox", t.getName(),
                            timeout.toSeconds());
                }
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
