package io.dmarclens.ingest.inbox;

import io.dmarclens.store.StoreException;
import io.dmarclens.store.ingestlog.InboxMessage;
import io.dmarclens.store.ingestlog.IngestLog;
import io.dmarclens.store.ingestlog.IngestLogEntry;
import io.dmarclens.store.ingestlog.MessageOrigin;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where every channel (SMTP, IMAP, upload) hands in a message: stores it durably, logs it and queues it
 * for processing. {@link #accept} returns only once the message is safe on disk, so the caller may then
 * acknowledge it to its sender.
 */
public final class MessageIntake {
    private static final Logger LOG = LoggerFactory.getLogger(MessageIntake.class);

    private final DurableInbox inbox;
    private final IngestLog log;
    private final InboxWorkers workers;

    public MessageIntake(DurableInbox inbox, IngestLog log, InboxWorkers workers) {
        this.inbox = inbox;
        this.log = log;
        this.workers = workers;
    }

    /**
     * Stores and queues a message.
     *
     * @throws MessageTooLargeException when it is longer than {@code maxBytes} (logged as rejected)
     * @throws InboxWriteException      when the inbox cannot be written (logged as rejected); retry later
     * @throws IOException              when reading {@code data} fails; nothing was kept
     */
    public AcceptedMessage accept(MessageOrigin origin, String name, InputStream data, long maxBytes)
            throws IOException {
        InboxMessage message;
        try {
            message = inbox.accept(origin, name, data, maxBytes);
        } catch (MessageTooLargeException e) {
            rejected(origin, e.limit(), "too large: more than " + e.limit() + " bytes");
            throw e;
        } catch (InboxWriteException e) {
            rejected(origin, 0, "inbox not writable: " + e.getMessage());
            throw e;
        }
        try {
            log.accepted(message);
        } catch (StoreException e) {
            // The message is safe in the inbox; its log entry is written again once it is processed.
            LOG.warn("Cannot log accepted message {}: {}", message.id(), e.getMessage());
        }
        return new AcceptedMessage(message, workers.submit(message));
    }

    public AcceptedMessage accept(MessageOrigin origin, String name, byte[] data) throws IOException {
        return accept(origin, name, new ByteArrayInputStream(data), Long.MAX_VALUE);
    }

    /** Logs a message refused before acceptance; never fails, the refusal itself matters more. */
    public void rejected(MessageOrigin origin, long size, String reason) {
        try {
            log.rejected(origin, size, reason);
        } catch (StoreException e) {
            LOG.warn("Cannot log rejected message from {}: {}", origin.describe(), e.getMessage());
        }
    }

    /** What became of a message read from the same source before (an IMAP message read again). */
    public Optional<IngestLogEntry> previously(String sourceKey) throws IOException {
        return log.bySourceKey(sourceKey);
    }

    /** The completion of a message still queued in this run, when there is one. */
    public Optional<CompletableFuture<IngestLogEntry>> pending(String id) {
        return Optional.ofNullable(workers.outcome(id));
    }
}
