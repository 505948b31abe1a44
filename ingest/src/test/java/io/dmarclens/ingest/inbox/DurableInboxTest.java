package io.dmarclens.ingest.inbox;

import io.dmarclens.index.ingestlog.SqliteIngestLog;
import io.dmarclens.store.ingestlog.InboxMessage;
import io.dmarclens.store.ingestlog.IngestLog;
import io.dmarclens.store.ingestlog.IngestLogEntry;
import io.dmarclens.store.ingestlog.IngestStatus;
import io.dmarclens.store.ingestlog.MessageOrigin;
import io.dmarclens.store.ingestlog.ProcessingResult;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableInboxTest {
    @TempDir
    Path data;

    private static final ProcessingResult STORED = new ProcessingResult(1, 3, 0, Set.of("aggregate"), List.of(), null);

    @Test
    void messagesAcceptedBeforeACrashAreProcessedAtTheNextStart() throws Exception {
        DurableInbox first = DurableInbox.open(data);
        InboxMessage a = first.accept(MessageOrigin.smtp("192.0.2.1", "mx.example", "a@x.example", List.of("d@y.example")),
                "", "message a".getBytes(StandardCharsets.UTF_8));
        InboxMessage b = first.accept(MessageOrigin.upload("alice", "report.zip"), "report.zip",
                "message b".getBytes(StandardCharsets.UTF_8));
        // The remains of a write cut short by the crash, and an origin file whose message never committed.
        Files.writeString(data.resolve("inbox/tmp/20260101T000000000Z-aaaaaaaaaaaa.msg"), "half");
        Files.writeString(data.resolve("inbox/new/20260101T000000000Z-bbbbbbbbbbbb.meta"), "id=x");

        List<String> processed = new java.util.concurrent.CopyOnWriteArrayList<>();
        DurableInbox second = DurableInbox.open(data);
        try (IngestLog log = SqliteIngestLog.open(data)) {
            InboxWorkers workers = new InboxWorkers(second, log, (m, file) -> {
                processed.add(m.id() + ":" + Files.readString(file));
                return STORED;
            }, 1);
            assertEquals(2, workers.recover());
            awaitIdle(workers);
            workers.stop(Duration.ofSeconds(5));
            assertEquals(List.of(a.id() + ":message a", b.id() + ":message b"), processed);
            IngestLogEntry entry = log.get(b.id()).orElseThrow();
            assertEquals(IngestStatus.STORED, entry.status());
            assertEquals("alice", entry.origin().detail("user"));
            assertEquals("report.zip", entry.name());
            assertEquals(IngestStatus.STORED, log.get(a.id()).orElseThrow().status());
            assertEquals("mx.example", log.get(a.id()).orElseThrow().origin().detail("helo"));
        }
        assertEquals(List.of(), list(data.resolve("inbox/new")));
        assertEquals(List.of(), list(data.resolve("inbox/tmp")));
    }

    @Test
    void tooLargeMessagesLeaveNothingBehind() throws Exception {
        DurableInbox inbox = DurableInbox.open(data);
        MessageTooLargeException e = assertThrows(MessageTooLargeException.class, () -> inbox.accept(
                MessageOrigin.file("x"), "", new ByteArrayInputStream(new byte[100_000]), 10_000));
        assertEquals(10_000, e.limit());
        assertEquals(List.of(), list(data.resolve("inbox/tmp")));
        assertEquals(List.of(), list(data.resolve("inbox/new")));
    }

    @Test
    void quarantinedMessagesCanBeRetriedAndAreNotCountedTwice() throws Exception {
        AtomicBoolean parserFixed = new AtomicBoolean(false);
        DurableInbox inbox = DurableInbox.open(data);
        try (IngestLog log = SqliteIngestLog.open(data)) {
            InboxWorkers workers = new InboxWorkers(inbox, log,
                    (m, file) -> parserFixed.get() ? STORED : ProcessingResult.invalid("line 3: <feedback> expected"), 2);
            workers.recover();
            MessageIntake intake = new MessageIntake(inbox, log, workers);
            Quarantine quarantine = new Quarantine(inbox, log, workers);
            AcceptedMessage accepted = intake.accept(MessageOrigin.upload("bob", "odd.xml"), "odd.xml",
                    "<odd/>".getBytes(StandardCharsets.UTF_8));
            IngestLogEntry first = accepted.outcome().get(10, TimeUnit.SECONDS);
            assertEquals(IngestStatus.QUARANTINED, first.status());
            assertEquals("line 3: <feedback> expected", first.detail());
            assertEquals(1, quarantine.list(0, 10).total());
            try (var in = quarantine.open(first.id())) {
                assertEquals("<odd/>", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            assertTrue(quarantine.get("../../etc/passwd").isEmpty());
            assertThrows(IllegalArgumentException.class, () -> quarantine.open("../ingest.db"));

            parserFixed.set(true);
            IngestLogEntry retried = quarantine.retry(first.id()).get(10, TimeUnit.SECONDS);
            assertEquals(IngestStatus.STORED, retried.status());
            assertEquals(first.id(), retried.id());
            assertEquals(0, quarantine.list(0, 10).total());
            assertTrue(quarantine.get(first.id()).isEmpty());
            assertEquals(1, log.page(null, 0, 10).total(), "one message, one log entry");
            workers.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void aTransientFailureKeepsTheMessageInTheInboxUntilItSucceeds() throws Exception {
        AtomicBoolean storeUp = new AtomicBoolean(false);
        DurableInbox inbox = DurableInbox.open(data);
        try (IngestLog log = SqliteIngestLog.open(data)) {
            InboxWorkers workers = new InboxWorkers(inbox, log, (m, file) -> {
                if (!storeUp.get()) {
                    throw new java.io.IOException("database is locked");
                }
                return STORED;
            }, 1);
            workers.recover();
            AcceptedMessage accepted = new MessageIntake(inbox, log, workers)
                    .accept(MessageOrigin.file("f"), "", "x".getBytes(StandardCharsets.UTF_8));
            Thread.sleep(300);
            assertFalse(accepted.outcome().isDone());
            assertEquals(1, list(data.resolve("inbox/new")).stream().filter(p -> p.endsWith(".msg")).count());
            assertEquals(IngestStatus.PENDING, log.get(accepted.message().id()).orElseThrow().status());
            storeUp.set(true);
            assertEquals(IngestStatus.STORED, accepted.outcome().get(20, TimeUnit.SECONDS).status());
            workers.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void aMessageStoredButNotYetDeletedWhenTheProcessDiesIsFoundStoredAtTheNextStart() throws Exception {
        // Processed messages are deleted by the cleaner thread, after the store and the log have them. The
        // state a crash in between leaves: the message's files still in inbox/new, its log entry STORED.
        Path kept = Files.createDirectories(data.resolve("kept"));
        Map<String, AtomicInteger> stored = new ConcurrentHashMap<>();
        MessageProcessor store = (m, file) -> {
            int n = stored.computeIfAbsent(Files.readString(file), k -> new AtomicInteger())
                    .incrementAndGet();
            return n == 1 ? STORED : new ProcessingResult(0, 0, 1, Set.of("aggregate"), List.of(), null);
        };
        DurableInbox inbox = DurableInbox.open(data);
        InboxMessage message;
        try (IngestLog log = SqliteIngestLog.open(data)) {
            InboxWorkers workers = new InboxWorkers(inbox, log, (m, file) -> {
                for (String ext : List.of(".msg", ".meta")) {
                    Files.copy(file.resolveSibling(m.id() + ext), kept.resolve(m.id() + ext));
                }
                return store.process(m, file);
            }, 1);
            workers.recover();
            AcceptedMessage accepted = new MessageIntake(inbox, log, workers)
                    .accept(MessageOrigin.file("f"), "", "report r1".getBytes(StandardCharsets.UTF_8));
            message = accepted.message();
            assertEquals(IngestStatus.STORED, accepted.outcome().get(20, TimeUnit.SECONDS).status());
            awaitIdle(workers);
            workers.stop(Duration.ofSeconds(5));
        }
        assertEquals(List.of(), list(data.resolve("inbox/new")), "deleted once stored");
        for (String ext : List.of(".msg", ".meta")) {
            Files.copy(kept.resolve(message.id() + ext), data.resolve("inbox/new").resolve(message.id() + ext));
        }

        try (IngestLog log = SqliteIngestLog.open(data)) {
            InboxWorkers workers = new InboxWorkers(DurableInbox.open(data), log, store, 1);
            assertEquals(1, workers.recover());
            awaitIdle(workers);
            workers.stop(Duration.ofSeconds(5));
            IngestLogEntry entry = log.get(message.id()).orElseThrow();
            assertEquals(IngestStatus.STORED, entry.status(), "still STORED, not DUPLICATE");
            assertEquals(1, entry.reports());
            assertEquals(1, log.page(null, 0, 10).total(), "one message, one log entry");
        }
        assertEquals(2, stored.get("report r1").get(), "processed again, and found stored the second time");
        assertEquals(List.of(), list(data.resolve("inbox/new")));
    }

    private static void awaitIdle(InboxWorkers workers) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (workers.backlog() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private static List<String> list(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
