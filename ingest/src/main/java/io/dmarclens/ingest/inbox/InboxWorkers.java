package io.dmarclens.ingest.inbox;

import io.dmarclens.ingest.pipeline.ImportException;
import io.dmarclens.parser.Bounded;
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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
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
 * the inbox and is tried again with a growing delay; once the store takes a run again, or a message brought
 * forward as a probe every {@link #PROBE_EVERY} goes through, every message waiting for the store is tried at
 * once instead of sitting out its delay. A message that makes its worker fail with an
 * {@link Error} (out of memory, a stack overflow in a library) is quarantined at once, since trying it again
 * would do the same, and the worker is replaced by a new thread of the same name.
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
    /**
     * While messages wait for the store, one of them is tried this often whatever its own delay: the store's
     * return is seen within this time even when no new mail arrives to show it.
     */
    static final Duration PROBE_EVERY = Duration.ofSeconds(2);
    /**
     * One message taking longer than this (the largest report allowed takes a few minutes) is named in
     * {@link #problem()}: a worker caught in a loop processes nothing else.
     */
    static final Duration STUCK_AFTER = Duration.ofMinutes(15);

    private final DurableInbox inbox;
    private final IngestLog log;
    private final MessageProcessor processor;
    private final BlockingQueue<InboxMessage> queue = new LinkedBlockingQueue<>();
    /** The worker threads by number; a worker that dies is replaced in its place. */
    private final List<Thread> workers = new CopyOnWriteArrayList<>();
    private final AtomicInteger restarts = new AtomicInteger();
    /** Why the last run could not be stored (the store or disk failed), until a run is; null when fine. */
    private volatile String unavailable;
    private final Duration stuckAfter;
    /** The message each worker is processing, and since when ({@link System#nanoTime()}: elapsed time only). */
    private final Map<String, Busy> busy = new ConcurrentHashMap<>();
    private final ScheduledExecutorService retries;
    private final InboxCleaner cleaner;
    private final QuarantineBounds bounds;
    private final Map<String, CompletableFuture<IngestLogEntry>> inFlight = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> unexpectedFailures = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> retriesSoFar = new ConcurrentHashMap<>();
    /**
     * Messages waiting for their next try because the store (or our disk) failed, not the message: these are
     * brought forward when the store works again. A message that fails on its own waits out its delay.
     */
    private final Map<String, Waiting> waitingForStore = new ConcurrentHashMap<>();
    /** Messages brought forward: their early try does not lengthen their delay if it fails again. */
    private final Set<String> early = ConcurrentHashMap.newKeySet();
    /** Completed the first time a message is set to wait for the store (the junk allowance stops counting it). */
    private final Map<String, CompletableFuture<Void>> storeWaits = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicBoolean probing = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean stopping;

    public InboxWorkers(DurableInbox inbox, IngestLog log, MessageProcessor processor, int threads) {
        this(inbox, log, processor, threads, STUCK_AFTER);
    }

    /** @param stuckAfter how long one message may take before {@link #problem()} names its worker stuck */
    InboxWorkers(DurableInbox inbox, IngestLog log, MessageProcessor processor, int threads, Duration stuckAfter) {
        this.stuckAfter = stuckAfter;
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
        this.bounds = new QuarantineBounds(inbox, log);
        for (int i = 0; i < threads; i++) {
            startWorker(i);
        }
    }

    private void startWorker(int index) {
        Thread t = new Thread(() -> work(index), "inbox-worker-" + (index + 1));
        t.start(); // before it is listed, so that problem() never sees a worker not started yet
        if (index < workers.size()) {
            workers.set(index, t);
        } else {
            workers.add(t);
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

    /**
     * Completes when the message is first left in the inbox to wait for the store (it failed for the store's
     * or the disk's sake, not its own): from then on it is known to be waiting, not junk. Never completes for
     * a message processed at the first try.
     */
    public CompletableFuture<Void> waitingForStore(String id) {
        return storeWaits.computeIfAbsent(id, k -> new CompletableFuture<>());
    }

    /** The completion of a message queued in this run, when there is one. */
    public CompletableFuture<IngestLogEntry> outcome(String id) {
        return inFlight.get(id);
    }

    /** Messages queued, being processed, or processed and not yet deleted from the inbox. */
    public int backlog() {
        return inFlight.size() + cleaner.pending();
    }

    /** How many workers died and were replaced since the start. */
    public int restarts() {
        return restarts.get();
    }

    /** Worker threads running now (the configured count unless one died and could not be replaced). */
    public int liveWorkers() {
        return (int) workers.stream().filter(Thread::isAlive).count();
    }

    /**
     * Why the inbox cannot be processed now, in words, or empty: the workers are stopping, a worker is not
     * running or has been on one message for {@link #STUCK_AFTER}, or the last run could not be stored (the
     * store or the disk fails; its messages wait in the inbox).
     */
    public Optional<String> problem() {
        if (stopping) {
            return Optional.of("the inbox workers are stopping");
        }
        for (Thread t : workers) {
            if (!t.isAlive()) {
                return Optional.of(t.getName() + " is not running");
            }
        }
        long now = System.nanoTime();
        for (Map.Entry<String, Busy> b : busy.entrySet()) {
            Duration taken = Duration.ofNanos(now - b.getValue().sinceNanos());
            if (taken.compareTo(stuckAfter) > 0) {
                return Optional.of(String.format(java.util.Locale.ROOT, "%s has been processing message %s for %d s",
                        b.getKey(), b.getValue().messageId(), taken.toSeconds()));
            }
        }
        String why = unavailable;
        return why == null ? Optional.empty() : Optional.of("messages cannot be stored: " + why);
    }

    /** Runs one worker; when it dies of anything but a stop, a new thread takes its place. */
    private void work(int index) {
        boolean replace = true;
        try {
            replace = takeRuns();
        } finally {
            if (replace && !stopping) {
                try {
                    startWorker(index);
                    restarts.incrementAndGet();
                    LOG.warn("Inbox worker {} was replaced by a new thread", index + 1);
                } catch (Throwable e) { // out of memory for a new thread, say: problem() reports it
                    LOG.error("Cannot start a new inbox worker {}: {}", index + 1, e.toString());
                }
            }
        }
    }

    /** Takes runs until stopped (false) or until this thread must give way to a new one (true). */
    private boolean takeRuns() {
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
                return false; // stop(): what is queued stays in the inbox
            } catch (RuntimeException e) {
                LOG.error("Inbox worker failed; its messages stay in the inbox", e);
                // Only those not finished already: a finished message's files may be gone.
                run.stream().filter(m -> inFlight.containsKey(m.id())).forEach(m -> retryLater(m, e, false));
            } catch (Error e) {
                // The message that caused it, if one did, is quarantined already (process); the rest waits.
                LOG.error("Inbox worker {} stopped by {}; a new thread takes over",
                        Thread.currentThread().getName(), Bounded.text(e.toString(), Bounded.ITEM));
                LOG.debug("Inbox worker stopped by", e);
                run.stream().filter(m -> inFlight.containsKey(m.id())).forEach(m -> retryLater(m, e, false));
                return true;
            } finally {
                run.clear();
            }
        }
        return false;
    }

    /** Processes a run of messages, commits it, then records each outcome. */
    private void process(List<InboxMessage> run) {
        long token = processor.begin();
        List<IngestLog.Finished> done = new ArrayList<>(run.size());
        Error fatal = null;
        for (InboxMessage m : run) {
            if (stopping) {
                break; // the rest stays in the inbox for the next start
            }
            String worker = Thread.currentThread().getName();
            busy.put(worker, new Busy(m.id(), System.nanoTime()));
            try {
                done.add(new IngestLog.Finished(m, processOne(m)));
            } catch (ImportException | StoreException | IOException e) {
                unavailable = Bounded.text(String.valueOf(e.getMessage()), Bounded.ITEM); // not the message's fault
                retryLater(m, e, true);
            } catch (RuntimeException e) {
                retryLater(m, e, false);
            } catch (Error e) {
                // Out of memory, a stack overflow in a library: this message would do it again, so it goes
                // to quarantine now, and the worker, whose state the error may have broken, gives way.
                LOG.error("Message {} stopped inbox worker {}; quarantining it", m.id(),
                        Thread.currentThread().getName());
                done.add(new IngestLog.Finished(m, ProcessingResult.invalid("processing failed with "
                        + Bounded.text(e.toString(), Bounded.ITEM) + "; retry it after "
                        + (e instanceof OutOfMemoryError ? "raising the heap (-Xmx)" : "an upgrade"))));
                fatal = e;
                break;
            } finally {
                busy.remove(worker);
            }
        }
        if (!done.isEmpty()) {
            finishRun(token, done);
        }
        if (fatal != null) {
            throw fatal;
        }
    }

    private void finishRun(long token, List<IngestLog.Finished> done) {
        try {
            processor.commit(token);
        } catch (RuntimeException e) {
            unavailable = Bounded.text(String.valueOf(e.getMessage()), Bounded.ITEM);
            done.forEach(f -> retryLater(f.message(), e, true));
            return;
        }
        List<IngestLogEntry> entries;
        try {
            entries = log.finished(done);
        } catch (StoreException e) {
            unavailable = Bounded.text(String.valueOf(e.getMessage()), Bounded.ITEM);
            // Stored, but not logged: processing again finds the reports stored and logs them then.
            done.forEach(f -> retryLater(f.message(), e, true));
            return;
        }
        boolean wasUnavailable = unavailable != null;
        unavailable = null;
        int n = retryWaitingNow(); // the store works: what waits for it need not sit out its delay
        if (wasUnavailable || n > 0) {
            // Said at the first commit after a failure too, when every waiting message came back in this run
            // (their retries fell due together) and none was left to bring forward.
            LOG.info("The store takes messages again: {} waiting are tried now", n);
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
            return ProcessingResult.invalid("internal error while processing: " + Bounded.text(e.toString(), Bounded.ITEM));
        }
    }

    private void finish(InboxMessage m, ProcessingResult result, IngestLogEntry entry) {
        try {
            if (result.error() != null) {
                bounds.record(inbox.quarantine(m));
                Quarantine.share(inbox, log, m.id());
                LOG.info("Quarantined message {} from {}: {}", m.id(), Bounded.text(m.origin().describe(), Bounded.ITEM),
                        Bounded.text(result.error(), Bounded.REASON));
            } else {
                cleaner.delete(m);
                LOG.debug("Message {}: {} reports stored, {} duplicates", m.id(), result.reports(), result.duplicates());
            }
        } catch (IOException e) {
            retryLater(m, e, true); // still in the inbox: found logged and stored when tried again
            return;
        }
        unexpectedFailures.remove(m.id());
        retriesSoFar.remove(m.id());
        early.remove(m.id());
        storeWaits.remove(m.id());
        CompletableFuture<IngestLogEntry> future = inFlight.remove(m.id());
        if (future != null) {
            future.complete(entry);
        }
    }

    /**
     * Leaves a message in the inbox and queues it again after its delay, which doubles with each try up to
     * {@link #LAST_RETRY}; a try brought forward does not count.
     *
     * @param forStore it failed for the store's (or the disk's) sake: brought forward once the store works
     */
    private void retryLater(InboxMessage m, Throwable e, boolean forStore) {
        AtomicInteger tries = retriesSoFar.computeIfAbsent(m.id(), k -> new AtomicInteger());
        int n = early.remove(m.id()) ? Math.max(0, tries.get() - 1) : tries.getAndIncrement();
        Duration delay = FIRST_RETRY.multipliedBy(1L << Math.min(n, 7));
        if (delay.compareTo(LAST_RETRY) > 0) {
            delay = LAST_RETRY;
        }
        LOG.warn("Cannot process message {} now ({}); it stays in the inbox, next try in {} s", m.id(),
                Bounded.text(String.valueOf(e), Bounded.ITEM), delay.toSeconds());
        if (forStore) {
            waitingForStore(m.id()).complete(null);
        }
        if (!stopping) {
            try {
                Waiting w = new Waiting(m);
                if (forStore) {
                    waitingForStore.put(m.id(), w);
                }
                w.next = retries.schedule(() -> {
                    waitingForStore.remove(m.id(), w);
                    if (!stopping) {
                        queue.add(m);
                    }
                }, delay.toMillis(), TimeUnit.MILLISECONDS);
                if (forStore && probing.compareAndSet(false, true)) {
                    retries.schedule(this::probe, PROBE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                // stopping: the message stays in the inbox for the next start
            }
        }
    }

    /**
     * Brings one message waiting for the store forward, and comes back while any waits: when it is stored,
     * the store works again and {@link #retryWaitingNow} sends the rest.
     */
    private void probe() {
        if (stopping) {
            return;
        }
        for (String id : List.copyOf(waitingForStore.keySet())) {
            if (bringForward(id)) {
                break;
            }
        }
        probing.set(false);
        if (!waitingForStore.isEmpty() && probing.compareAndSet(false, true)) {
            try {
                retries.schedule(this::probe, PROBE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                probing.set(false);
            }
        }
    }

    /** Queues every message waiting for the store now, in place of its scheduled try. */
    /** @return how many were brought forward */
    private int retryWaitingNow() {
        if (waitingForStore.isEmpty()) {
            return 0;
        }
        int n = 0;
        for (String id : List.copyOf(waitingForStore.keySet())) {
            n += bringForward(id) ? 1 : 0;
        }
        return n;
    }

    private boolean bringForward(String id) {
        Waiting w = waitingForStore.remove(id);
        // A try that has started already queues its message itself.
        if (w == null || w.next == null || !w.next.cancel(false) || stopping) {
            return false;
        }
        early.add(id);
        queue.add(w.message);
        return true;
    }

    /** A message waiting for its next try, and that try. */
    private static final class Waiting {
        final InboxMessage message;
        volatile ScheduledFuture<?> next;

        Waiting(InboxMessage message) {
            this.message = message;
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
            // A worker replaced during the stop is in the list in its place; the new one sees the stop at once.
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

    private record Busy(String messageId, long sinceNanos) {
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(30));
    }
}
