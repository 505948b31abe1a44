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
    /**
     * The origin detail of a message the quarantine holds without its content (an IMAP mail over the size
     * limit: only its header is kept), with its size: retrying it here cannot read it.
     */
    public static final String UNREAD = "unread";

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

    /** True while the quarantine holds the message (it may have been dropped to keep within its bounds). */
    public boolean holds(String id) {
        try {
            return inbox.quarantined(id).isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    /** The bytes of a quarantined message as received; the caller closes the stream. */
    public InputStream open(String id) throws IOException {
        return inbox.openQuarantined(id);
    }

    /**
     * Moves the message back into the inbox and processes it again; the future completes with its new
     * log entry (quarantined again, with the reason, if it still holds no report).
     *
     * A message kept without its content ({@link #UNREAD}) is not processed: its entry, whose reason says
     * how it is read again, is the answer.
     *
     * @throws java.nio.file.NoSuchFileException when there is no quarantined message with this id
     */
    public CompletableFuture<IngestLogEntry> retry(String id) throws IOException {
        Optional<InboxMessage> kept = inbox.quarantined(id);
        if (kept.isPresent() && !kept.get().origin().detail(UNREAD).isEmpty()) {
            Optional<IngestLogEntry> entry = log.get(id);
            if (entry.isPresent()) {
                return CompletableFuture.completedFuture(entry.get());
            }
        }
        InboxMessage message = inbox.requeue(id);
        return workers.submit(message);
    }

    /**
     * How many messages have been dropped, oldest first, to keep the quarantine within its size and age
     * bounds ({@code quarantine.max_size}, {@code quarantine.max_age}), ever.
     */
    public long dropped() throws IOException {
        return inbox.droppedFromQuarantine();
    }

    /** Deletes a quarantined message; its log entry stays. */
    public boolean delete(String id) throws IOException {
        return inbox.deleteQuarantined(id);
    }
}
