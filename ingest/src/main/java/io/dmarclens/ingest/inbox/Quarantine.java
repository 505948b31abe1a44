package io.dmarclens.ingest.inbox;

import io.dmarclens.store.ingestlog.InboxMessage;
import io.dmarclens.store.ingestlog.IngestLog;
import io.dmarclens.store.ingestlog.IngestLogEntry;
import io.dmarclens.store.ingestlog.IngestLogPage;
import io.dmarclens.store.ingestlog.IngestStatus;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Messages that hold no readable report, kept with the reason: list them, read one, download its
 * bytes, retry it (after a parser fix, say) or delete it. The read API for the dashboard and the
 * {@code quarantine} command.
 */
public final class Quarantine {
    private final DurableInbox inbox;
    private final IngestLog log;
    private final InboxWorkers workers;

    public Quarantine(DurableInbox inbox, IngestLog log, InboxWorkers workers) {
        this.inbox = inbox;
        this.log = log;
        this.workers = workers;
    }

    /** Quarantined messages, newest first. */
    public IngestLogPage list(int offset, int limit) throws IOException {
        return log.page(IngestStatus.QUARANTINED, offset, limit);
    }

    /** A quarantined message with its reason; empty for an unknown (or malformed) id. */
    public Optional<IngestLogEntry> get(String id) throws IOException {
        if (inbox.quarantined(id).isEmpty()) {
            return Optional.empty();
        }
        return log.get(id);
    }

    /** The bytes of a quarantined message as received; the caller closes the stream. */
    public InputStream open(String id) throws IOException {
        return inbox.openQuarantined(id);
    }

    /**
     * Moves the message back into the inbox and processes it again; the future completes with its new
     * log entry (quarantined again, with the reason, if it still holds no report).
     *
     * @throws java.nio.file.NoSuchFileException when there is no quarantined message with this id
     */
    public CompletableFuture<IngestLogEntry> retry(String id) throws IOException {
        InboxMessage message = inbox.requeue(id);
        return workers.submit(message);
    }

    /** Deletes a quarantined message; its log entry stays. */
    public boolean delete(String id) throws IOException {
        return inbox.deleteQuarantined(id);
    }
}
