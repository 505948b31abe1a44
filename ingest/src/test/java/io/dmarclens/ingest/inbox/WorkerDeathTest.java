package io.dmarclens.ingest.inbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.index.ingestlog.SqliteIngestLog;
import io.dmarclens.parser.Bounded;
import io.dmarclens.store.ingestlog.InboxMessage;
import io.dmarclens.store.ingestlog.IngestLog;
import io.dmarclens.store.ingestlog.IngestLogEntry;
import io.dmarclens.store.ingestlog.IngestStatus;
import io.dmarclens.store.ingestlog.MessageOrigin;
import io.dmarclens.store.ingestlog.ProcessingResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A message that makes its worker fail with an {@link Error} (issue #14: an OutOfMemoryError killed
 * {@code inbox-worker-2}, and every later report stayed pending) is quarantined with a short reason, the
 * worker is replaced, and the messages after it are stored as usual.
 */
class WorkerDeathTest {
    private static final ProcessingResult STORED = new ProcessingResult(1, 1, 0, Set.of("aggregate"), List.of(), null);

    @TempDir
    Path data;

    /** Stores every message but the poisoned ones, which throw what the message names. */
    private static final class Poisoned implements MessageProcessor {
        final List<String> stored = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();

        @Override
        public ProcessingResult process(InboxMessage message, Path file) throws java.io.IOException {
            String text = Files.readString(file);
            threads.add(Thread.currentThread().getName());
            if (text.startsWith("oom")) {
                throw new OutOfMemoryError("Java heap space " + "x".repeat(1_000_000));
            }
            if (text.startsWith("overflow")) {
                throw new StackOverflowError();
            }
            stored.add(text);
            return STORED;
        }
    }

    @Test
    void aMessageThatKillsItsWorkerIsQuarantinedAndTheWorkerReplaced() throws Exception {
        Poisoned processor = new Poisoned();
        DurableInbox inbox = DurableInbox.open(data);
        try (IngestLog log = SqliteIngestLog.open(data)) {
            InboxWorkers workers = new InboxWorkers(inbox, log, processor, 2);
            MessageIntake intake = new MessageIntake(inbox, log, workers);
            try {
                AcceptedMessage poison = intake.accept(MessageOrigin.file("f"), "poison", bytes("oom"));
                IngestLogEntry entry = poison.outcome().get(10, TimeUnit.SECONDS);
                assertEquals(IngestStatus.QUARANTINED, entry.status());
                assertTrue(entry.detail().startsWith("processing failed with java.lang.OutOfMemoryError: Java heap space"),
                        entry.detail());
                assertTrue(entry.detail().contains("raising the heap"), entry.detail());
                assertTrue(entry.detail().length() < 2 * Bounded.ITEM, "bounded: " + entry.detail().length());
                assertTrue(Files.exists(data.resolve("quarantine").resolve(poison.message().id() + ".msg")),
                        "kept in quarantine");

                awaitRestarts(workers, 1);
                assertEquals(2, workers.liveWorkers(), "both workers run again");
                assertEquals(Optional.empty(), workers.problem());
                assertTrue(liveThreadNames().containsAll(List.of("inbox-worker-1", "inbox-worker-2")),
                        liveThreadNames().toString());

                List<AcceptedMessage> later = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    later.add(intake.accept(MessageOrigin.file("f"), "good" + i, bytes("good " + i)));
                }
                for (AcceptedMessage m : later) {
                    assertEquals(IngestStatus.STORED, m.outcome().get(10, TimeUnit.SECONDS).status());
                }
                assertEquals(10, processor.stored.size());
            } finally {
                workers.stop(Duration.ofSeconds(5));
            }
        }
    }

    @Test
    void theRestOfARunIsStoredWhenOneOfItsMessagesKillsTheWorker() throws Exception {
        Poisoned processor = new Poisoned();
        DurableInbox inbox = DurableInbox.open(data);
        try (IngestLog log = SqliteIngestLog.open(data)) {
            // Accepted before the worker starts: recover() queues them, and one worker takes them as one run.
            List<InboxMessage> accepted = new ArrayList<>();
            for (String text : List.of("a", "b", "overflow", "c", "d")) {
                accepted.add(inbox.accept(MessageOrigin.file("f"), text, bytes(text)));
            }
            InboxWorkers workers = new InboxWorkers(inbox, log, processor, 1);
            try {
                workers.recover();
                for (InboxMessage m : accepted) {
                    var outcome = workers.outcome(m.id());
                    if (outcome != null) {
                        outcome.get(20, TimeUnit.SECONDS);
                    }
                }
                awaitRestarts(workers, 1);
                List<IngestStatus> statuses = new ArrayList<>();
                for (InboxMessage m : accepted) {
                    statuses.add(awaitFinished(log, m.id()));
                }
                assertEquals(List.of(IngestStatus.STORED, IngestStatus.STORED, IngestStatus.QUARANTINED,
                        IngestStatus.STORED, IngestStatus.STORED), statuses);
                assertTrue(log.get(accepted.get(2).id()).orElseThrow().detail()
                        .startsWith("processing failed with java.lang.StackOverflowError"));
                assertEquals(List.of("a", "b", "c", "d"), processor.stored.stream().sorted().toList());
                assertEquals(1, workers.liveWorkers());
                assertTrue(processor.threads.stream().allMatch("inbox-worker-1"::equals), processor.threads.toString());
            } finally {
                workers.stop(Duration.ofSeconds(5));
            }
        }
    }

    private static IngestStatus awaitFinished(IngestLog log, String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        IngestStatus status;
        while ((status = log.get(id).orElseThrow().status()) == IngestStatus.PENDING && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return status;
    }

    private static void awaitRestarts(InboxWorkers workers, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (workers.restarts() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(n, workers.restarts());
    }

    private static List<String> liveThreadNames() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName).toList();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aWorkerCaughtInOneMessageIsNamedUntilItIsDone() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        MessageProcessor slow = (message, file) -> {
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return STORED;
        };
        DurableInbox inbox = DurableInbox.open(data);
        try (IngestLog log = SqliteIngestLog.open(data)) {
            InboxWorkers workers = new InboxWorkers(inbox, log, slow, 1, Duration.ofMillis(200));
            MessageIntake intake = new MessageIntake(inbox, log, workers);
            try {
                AcceptedMessage m = intake.accept(MessageOrigin.file("f"), "slow", bytes("slow"));
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (workers.problem().isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                String problem = workers.problem().orElseThrow();
                assertTrue(problem.startsWith("inbox-worker-1 has been processing message " + m.message().id() + " for "),
                        problem);
                release.countDown();
                assertEquals(IngestStatus.STORED, m.outcome().get(10, TimeUnit.SECONDS).status());
                assertEquals(Optional.empty(), workers.problem());
            } finally {
                release.countDown();
                workers.stop(Duration.ofSeconds(5));
            }
        }
    }
}
