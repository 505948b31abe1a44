package io.dmarclens.ingest.inbox;

import io.dmarclens.index.ingestlog.SqliteIngestLog;
import io.dmarclens.store.ingestlog.InboxMessage;
import io.dmarclens.store.ingestlog.IngestLog;
import io.dmarclens.store.ingestlog.IngestStatus;
import io.dmarclens.store.ingestlog.MessageOrigin;
import io.dmarclens.store.ingestlog.ProcessingResult;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workers take what waits in the inbox as one run and commit it once: a message leaves the inbox,
 * and its outcome is known, only after the commit of its run; a failed commit sends the whole run back.
 */
class InboxRunsTest {
    private static final ProcessingResult STORED = new ProcessingResult(1, 50, 0, Set.of("aggregate"), List.of(), null);

    @TempDir
    Path data;

    /** A processor that stores in memory and makes its stores durable only at commit. */
    private static final class Uncommitted implements MessageProcessor {
        final List<String> pending = new CopyOnWriteArrayList<>();
        final List<List<String>> commits = new CopyOnWriteArrayList<>();
        final List<List<String>> failed = new CopyOnWriteArrayList<>();
        final AtomicInteger failCommits = new AtomicInteger();
        final CountDownLatch firstStarted = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public ProcessingResult process(InboxMessage message, Path file) throws java.io.IOException {
            firstStarted.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("stopped");
            }
            pending.add(Files.readString(file));
            return STORED;
        }

        @Override
        public void commit(long run) {
            List<String> run1 = new ArrayList<>(pending);
            pending.clear();
            if (failCommits.getAndDecrement() > 0) {
                failed.add(run1);
                throw new io.dmarclens.store.StoreException("disk I/O error");
            }
            commits.add(run1);
        }
    }

    @Test
    void messagesWaitingTogetherAreCommittedTogetherAndLeaveTheInboxOnlyThen() throws Exception {
        Uncommitted processor = new Uncommitted();
        DurableInbox inbox = DurableInbox.open(data);
        try (IngestLog log = SqliteIngestLog.open(data)) {
            InboxWorkers workers = new InboxWorkers(inbox, log, processor, 1);
            MessageIntake intake = new MessageIntake(inbox, log, workers);
            AcceptedMessage first = intake.accept(MessageOrigin.file("f"), "", bytes("m0"));
            assertTrue(processor.firstStarted.await(10, TimeUnit.SECONDS));
            List<AcceptedMessage> waiting = new ArrayList<>();
            for (int i = 1; i <= 40; i++) {
                waiting.add(intake.accept(MessageOrigin.file("f"), "", bytes("m" + i)));
            }
            Thread.sleep(100);
            assertFalse(first.outcome().isDone(), "not done before its commit");
            assertEquals(41, count(".msg"), "all still in the inbox");
            processor.release.countDown();

            assertEquals(IngestStatus.STORED, first.outcome().get(10, TimeUnit.SECONDS).status());
            for (AcceptedMessage m : waiting) {
                assertEquals(IngestStatus.STORED, m.outcome().get(10, TimeUnit.SECONDS).status());
            }
            workers.stop(Duration.ofSeconds(5));
            // m0 alone, then the 40 that waited in runs of at most MAX_RUN.
            assertEquals(List.of("m0"), processor.commits.get(0));
            List<Integer> sizes = processor.commits.stream().skip(1).map(List::size).toList();
            assertEquals(List.of(InboxWorkers.MAX_RUN, 40 - InboxWorkers.MAX_RUN), sizes);
            assertEquals(41, processor.commits.stream().mapToInt(List::size).sum());
        }
        assertEquals(0, awaitEmptyInbox(), "deleted once committed");
    }

    @Test
    void aFailedCommitKeepsTheWholeRunInTheInboxAndTriesItAgain() throws Exception {
        Uncommitted processor = new Uncommitted();
        processor.release.countDown();
        // Every run of the first second fails (three messages make three runs at most): a run that commits
        // would bring the failed ones forward (the store is back) before this test has looked at them.
        processor.failCommits.set(3);
        DurableInbox inbox = DurableInbox.open(data);
        try (IngestLog log = SqliteIngestLog.open(data)) {
            List<InboxMessage> accepted = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                accepted.add(inbox.accept(MessageOrigin.file("f"), "", bytes("r" + i)));
            }
            InboxWorkers workers = new InboxWorkers(inbox, log, processor, 1);
            assertEquals(3, workers.recover());
            Thread.sleep(500); // the retry comes after a second
            assertFalse(processor.failed.isEmpty());
            List<String> failedRun = processor.failed.stream().flatMap(List::stream).toList();
            assertFalse(failedRun.isEmpty());
            int inFailedRun = 0;
            for (InboxMessage m : accepted) {
                Path file = inbox.pendingData(m);
                if (Files.exists(file) && failedRun.contains(Files.readString(file))) {
                    inFailedRun++; // still in the inbox, and not done

                    assertEquals(IngestStatus.PENDING, log.get(m.id()).orElseThrow().status());
                    assertFalse(workers.outcome(m.id()).isDone());
                }
            }
            assertEquals(failedRun.size(), inFailedRun, "the failed run stays in the inbox");
            for (InboxMessage m : accepted) {
                var pending = workers.outcome(m.id()); // gone once done
                if (pending != null) {
                    pending.get(20, TimeUnit.SECONDS);
                }
                assertEquals(IngestStatus.STORED, log.get(m.id()).orElseThrow().status());
            }
            workers.stop(Duration.ofSeconds(5));
            assertEquals(Set.of("r0", "r1", "r2"), processor.commits.stream().flatMap(List::stream)
                    .collect(java.util.stream.Collectors.toSet()));
            assertEquals(3, processor.commits.stream().mapToInt(List::size).sum(), "each committed once");
        }
        assertEquals(0, awaitEmptyInbox());
    }

    /** A processor whose store is down while {@code down} is set; counts the tries of each message. */
    private static final class Outage implements MessageProcessor {
        final java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean(true);
        final java.util.Map<String, AtomicInteger> tries = new java.util.concurrent.ConcurrentHashMap<>();
        final java.util.Map<String, Long> storedAt = new java.util.concurrent.ConcurrentHashMap<>();
        final java.util.Set<String> junk = java.util.concurrent.ConcurrentHashMap.newKeySet();

        @Override
        public ProcessingResult process(InboxMessage message, Path file) throws java.io.IOException {
            String body = Files.readString(file);
            tries.computeIfAbsent(body, k -> new AtomicInteger()).incrementAndGet();
            if (down.get()) {
                throw new io.dmarclens.store.StoreException("OpenSearch at http://127.0.0.1:1 cannot be reached");
            }
            if (junk.contains(body)) {
                return ProcessingResult.invalid("no report in it");
            }
            storedAt.putIfAbsent(body, System.nanoTime());
            return STORED;
        }

        int tries(String body) {
            AtomicInteger n = tries.get(body);
            return n == null ? 0 : n.get();
        }
    }

    @Test
    void whenTheStoreIsBackWhatWaitsForItIsTriedWithinSecondsNotAfterItsBackOff() throws Exception {
        Outage processor = new Outage();
        DurableInbox inbox = DurableInbox.open(data);
        try (IngestLog log = SqliteIngestLog.open(data)) {
            InboxWorkers workers = new InboxWorkers(inbox, log, processor, 1);
            MessageIntake intake = new MessageIntake(inbox, log, workers);
            List<AcceptedMessage> waiting = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                waiting.add(intake.accept(MessageOrigin.file("f"), "", bytes("w" + i)));
            }
            // w0 is tried at once and after 1, 2 and 4 s (brought forward by probes meanwhile, which do not
            // lengthen its delay): its own next try is at least 4 s away when the store comes back.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (processor.tries("w0") < 4 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(processor.tries("w0") >= 4, "tried again during the outage");
            processor.down.set(false);
            long back = System.nanoTime();
            // No new mail shows the store's return: the probe does, and brings every waiting message forward.
            for (AcceptedMessage m : waiting) {
                assertEquals(IngestStatus.STORED, m.outcome().get(20, TimeUnit.SECONDS).status());
            }
            long last = processor.storedAt.values().stream().mapToLong(Long::longValue).max().orElseThrow();
            long waited = TimeUnit.NANOSECONDS.toMillis(last - back);
            assertTrue(waited < InboxWorkers.PROBE_EVERY.toMillis() + 1_500,
                    "all stored within a probe's interval of the store's return: " + waited + " ms");
            workers.stop(Duration.ofSeconds(5));
            assertEquals(5, processor.storedAt.size(), "each stored");
        }
        assertEquals(0, awaitEmptyInbox());
    }

    @Test
    void aTryBroughtForwardDoesNotLengthenTheDelayOfAMessageThatStillFails() throws Exception {
        // One message keeps failing for the store while others go through (the store refuses only its
        // writes, say): each stored run brings it forward, and those early tries must not push its own
        // delay towards two minutes, or it would wait that long once the store takes it.
        java.util.concurrent.atomic.AtomicBoolean refuseFirst = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.List<Long> triesOfFirst = new CopyOnWriteArrayList<>();
        MessageProcessor processor = (message, file) -> {
            if (Files.readString(file).equals("first")) {
                triesOfFirst.add(System.nanoTime());
                if (refuseFirst.get()) {
                    throw new io.dmarclens.store.StoreException("the store refused a write");
                }
            }
            return STORED;
        };
        DurableInbox inbox = DurableInbox.open(data);
        try (IngestLog log = SqliteIngestLog.open(data)) {
            InboxWorkers workers = new InboxWorkers(inbox, log, processor, 1);
            MessageIntake intake = new MessageIntake(inbox, log, workers);
            AcceptedMessage first = intake.accept(MessageOrigin.file("f"), "", bytes("first"));
            for (int i = 0; i < 40; i++) {
                intake.accept(MessageOrigin.file("f"), "", bytes("other" + i)).outcome().get(10, TimeUnit.SECONDS);
                Thread.sleep(50);
            }
            assertTrue(triesOfFirst.size() >= 5, "brought forward by the stored runs: " + triesOfFirst.size());
            refuseFirst.set(false);
            long back = System.nanoTime();
            assertEquals(IngestStatus.STORED, first.outcome().get(20, TimeUnit.SECONDS).status());
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back);
            // Its own tries were at once and after 1 s: without counting the early ones, the next is 2 s away
            // at most (a probe may come sooner).
            assertTrue(waited < 4_500, "its delay stayed short: " + waited + " ms");
            workers.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void messagesWaitingForTheStoreDoNotCountAgainstTheirSendersJunkAllowance() throws Exception {
        Outage processor = new Outage();
        processor.junk.add("junk0");
        processor.junk.add("junk1");
        DurableInbox inbox = DurableInbox.open(data);
        MessageOrigin relay = MessageOrigin.smtp("192.0.2.25", "relay.example.net", "dmarc@example.net",
                List.of("dmarc@example.com"));
        try (IngestLog log = SqliteIngestLog.open(data)) {
            InboxWorkers workers = new InboxWorkers(inbox, log, processor, 1);
            MessageIntake intake = new MessageIntake(inbox, log, workers,
                    InboxLimits.none().withJunkPerSender(3), java.time.Clock.systemUTC());
            List<AcceptedMessage> accepted = new ArrayList<>();
            // A relay sends on during the outage: far more than its allowance of 3 waits for the store.
            for (int i = 0; i < 12; i++) {
                String body = i < 2 ? "junk" + i : "report" + i;
                accepted.add(intake.accept(relay, "", new java.io.ByteArrayInputStream(bytes(body)), 1 << 20));
                waitUntilWaiting(processor, body);
            }
            assertTrue(intake.allows(relay), "waiting for the store is not junk");
            processor.down.set(false);
            for (AcceptedMessage m : accepted) {
                m.outcome().get(20, TimeUnit.SECONDS);
            }
            // The two junk messages count once processed: one more junk message fills the allowance of 3.
            processor.junk.add("junk2");
            AcceptedMessage third = intake.accept(relay, "", new java.io.ByteArrayInputStream(bytes("junk2")), 1 << 20);
            assertEquals(IngestStatus.QUARANTINED, third.outcome().get(20, TimeUnit.SECONDS).status());
            assertFalse(intake.allows(relay), "junk that waited counts once it is known to be junk");
            org.junit.jupiter.api.Assertions.assertThrows(SenderThrottledException.class, () -> intake.accept(relay, "",
                    new java.io.ByteArrayInputStream(bytes("report99")), 1 << 20));
            workers.stop(Duration.ofSeconds(5));
        }
    }

    private static void waitUntilWaiting(Outage processor, String body) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (processor.tries(body) < 1 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        Thread.sleep(20); // the failed try is set to wait just after it returns
    }

    private long count(String ext) throws Exception {
        try (Stream<Path> s = Files.list(data.resolve("inbox/new"))) {
            return s.filter(p -> p.toString().endsWith(ext)).count();
        }
    }

    /** Deletion is the cleaner's job, a moment after the outcome. */
    private long awaitEmptyInbox() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (count(".msg") > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return count(".msg");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
