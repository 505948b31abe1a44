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
        processor.failCommits.set(1);
        DurableInbox inbox = DurableInbox.open(data);
        try (IngestLog log = SqliteIngestLog.open(data)) {
            List<InboxMessage> accepted = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                accepted.add(inbox.accept(MessageOrigin.file("f"), "", bytes("r" + i)));
            }
            InboxWorkers workers = new InboxWorkers(inbox, log, processor, 1);
            assertEquals(3, workers.recover());
            Thread.sleep(500); // the retry comes after a second
            assertEquals(1, processor.failed.size());
            List<String> failedRun = processor.failed.get(0);
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
