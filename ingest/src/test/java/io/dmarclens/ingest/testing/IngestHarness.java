package io.dmarclens.ingest.testing;

import io.dmarclens.index.ingestlog.SqliteIngestLog;
import io.dmarclens.ingest.inbox.DurableInbox;
import io.dmarclens.ingest.inbox.InboxWorkers;
import io.dmarclens.store.ingestlog.IngestLog;
import io.dmarclens.store.ingestlog.IngestStatus;
import io.dmarclens.ingest.inbox.MessageIntake;
import io.dmarclens.ingest.inbox.MessageProcessor;
import io.dmarclens.ingest.inbox.Quarantine;
import java.nio.file.Path;
import java.time.Duration;

/** The inbox, its log and workers on a data directory, as {@code serve} wires them. */
public final class IngestHarness implements AutoCloseable {
    public final Path dataDir;
    public final DurableInbox inbox;
    public final IngestLog log;
    public final InboxWorkers workers;
    public final MessageIntake intake;
    public final Quarantine quarantine;

    public IngestHarness(Path dataDir, MessageProcessor processor) throws Exception {
        this.dataDir = dataDir;
        inbox = DurableInbox.open(dataDir);
        log = SqliteIngestLog.open(dataDir);
        workers = new InboxWorkers(inbox, log, processor, 2);
        workers.recover();
        intake = new MessageIntake(inbox, log, workers);
        quarantine = new Quarantine(inbox, log, workers);
    }

    /** Waits until no message is queued (failing after two minutes), then returns the count of entries with the status. */
    public long settled(IngestStatus status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (workers.backlog() > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the inbox did not drain: " + workers.backlog() + " messages left");
            }
            Thread.sleep(20);
        }
        return log.countByStatus().get(status);
    }

    @Override
    public void close() throws Exception {
        workers.stop(Duration.ofSeconds(10));
        log.close();
    }
}
