package io.dmarclens.ingest.inbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.index.ingestlog.SqliteIngestLog;
import io.dmarclens.store.ingestlog.ForwardingIngestLog;
import io.dmarclens.store.ingestlog.InboxMessage;
import io.dmarclens.store.ingestlog.IngestLog;
import io.dmarclens.store.ingestlog.IngestLogEntry;
import io.dmarclens.store.ingestlog.IngestStatus;
import io.dmarclens.store.ingestlog.MessageOrigin;
import io.dmarclens.store.ingestlog.ProcessingResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A message is answered although the ingest log does not answer: on a cluster that lost a node the log's write
 * can take the client's whole timeout, longer than an SMTP client waits for the reply to its data (a CI run of
 * ClusterFaultTest). The message is safe in the inbox, is processed, and its entry is right in the end.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IntakeLogTest {
    private static final ProcessingResult STORED = new ProcessingResult(1, 3, 0, Set.of("aggregate"), List.of(), null);

    @TempDir
    Path data;

    @Test
    void aMessageIsAcceptedAndProcessedWhileItsLogEntryHangs() throws Exception {
        DurableInbox inbox = DurableInbox.open(data);
        CountDownLatch release = new CountDownLatch(1);
        try (HeldLog log = new HeldLog(SqliteIngestLog.open(data), release)) {
            InboxWorkers workers = new InboxWorkers(inbox, log, (m, file) -> STORED, 1);
            workers.recover();
            MessageIntake intake = new MessageIntake(inbox, log, workers);
            AcceptedMessage accepted = intake.accept(MessageOrigin.smtp("192.0.2.1", "mx.example", "a@x.example",
                    List.of("dmarc@y.example")), "", "a report".getBytes(StandardCharsets.UTF_8));
            // Returned while the accepted entry's write is still held: the sender got its answer.
            assertEquals(1, log.held.get());
            assertFalse(log.wrote.get() > 0, "the accepted entry is not written yet");
            IngestLogEntry outcome = accepted.outcome().get(30, TimeUnit.SECONDS);
            assertEquals(IngestStatus.STORED, outcome.status());

            release.countDown();
            assertTrue(awaitTrue(() -> log.wrote.get() == 1), "the held write ends");
            // The late accepted entry does not turn the processed message back into a waiting one.
            IngestLogEntry entry = log.get(accepted.message().id()).orElseThrow();
            assertEquals(IngestStatus.STORED, entry.status());
            assertEquals("mx.example", entry.origin().detail("helo"));
            assertEquals(1, log.page(null, 0, 10).total());
            workers.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void aRefusalIsLoggedWithinTheWaitToo() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (HeldLog log = new HeldLog(SqliteIngestLog.open(data), release)) {
            IntakeLog intake = new IntakeLog(log, Duration.ofMillis(200));
            intake.rejected(MessageOrigin.file("f"), 10, "too large");
            assertEquals(0, log.page(IngestStatus.REJECTED, 0, 10).total(), "not waited for");
            release.countDown();
            assertTrue(awaitTrue(() -> log.page(IngestStatus.REJECTED, 0, 10).total() == 1), "written behind");
        }
    }

    private static boolean awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }

    /** A real SQLite ingest log whose intake writes wait for {@code release}, as a store that does not answer. */
    private static final class HeldLog extends ForwardingIngestLog {
        private final CountDownLatch release;
        final AtomicInteger held = new AtomicInteger();
        final AtomicInteger wrote = new AtomicInteger();

        HeldLog(IngestLog real, CountDownLatch release) {
            super(real);
            this.release = release;
        }

        private void hold() {
            held.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void accepted(InboxMessage message) {
            hold();
            super.accepted(message);
            wrote.incrementAndGet();
        }

        @Override
        public IngestLogEntry rejected(MessageOrigin origin, long size, String reason) {
            hold();
            return super.rejected(origin, size, reason);
        }
    }
}
