package io.dmarclens.store.ingestlog;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The ingest log: one entry per message that reached DMARC Lens (accepted, refused, and what became of
 * it), the record the Ingest page, the API and the {@code quarantine} command read. The inbox files, not
 * this log, are what makes an accepted message durable. Kept apart from the report store, so that the
 * store can be rebuilt without losing it. A log is opened for one node and writes that node's name
 * ({@link IngestLogEntry#node()}) on the entries it creates; on a shared store (OpenSearch) every node's
 * entries are in one log, and so are the bytes of quarantined messages ({@link #keepContent}), so that any
 * node's dashboard can download and retry what another node quarantined.
 *
 * <p>Every method throws {@link io.dmarclens.store.StoreException} when the log cannot be read or
 * written; its message says what to check.
 */
public interface IngestLog extends AutoCloseable {
    /** Records a message just accepted into the inbox (status PENDING); nothing happens if it is already there. */
    void accepted(InboxMessage message);

    /** A message and what processing did with it. */
    record Finished(InboxMessage message, ProcessingResult result) { }

    /**
     * Records what processing did with several messages at once (one commit): the inbox workers finish
     * their messages in runs. Processing the same message again after a crash finds its reports already
     * stored; that second result never turns a STORED entry into a DUPLICATE one.
     *
     * @return the entries as they stand now, in the order of {@code done}
     */
    List<IngestLogEntry> finished(List<Finished> done);

    /** As {@link #finished(List)} for one message. */
    default IngestLogEntry finished(InboxMessage message, ProcessingResult result) {
        return finished(List.of(new Finished(message, result))).get(0);
    }

    /** Records a message refused before it was accepted (too large, inbox not writable). */
    IngestLogEntry rejected(MessageOrigin origin, long size, String reason);

    /**
     * Records that a quarantined message was dropped to keep the quarantine within its bounds: its status
     * becomes {@link IngestStatus#DROPPED} and {@code reason} goes before the reason it was quarantined. An
     * entry that is not QUARANTINED (unknown, or retried meanwhile) is left as it is.
     */
    void dropped(String id, String reason);

    Optional<IngestLogEntry> get(String id);

    /** The newest entry for a message read from a source before (an IMAP message read again). */
    Optional<IngestLogEntry> bySourceKey(String sourceKey);

    /**
     * A page of the log, newest first.
     *
     * @param status null for every status
     * @throws IllegalArgumentException unless {@code offset >= 0} and {@code 1 <= limit <= 1000}
     */
    IngestLogPage page(IngestStatus status, int offset, int limit);

    /** Counts entries by status (every status present, zero when none). */
    Map<IngestStatus, Long> countByStatus();

    /**
     * Keeps the bytes of a message just quarantined with its entry (bounded by the inbox's limits on a message
     * and on the quarantine), replacing what was kept before.
     */
    void keepContent(String id, byte[] content);

    /** The bytes kept for a message, empty when none are (never quarantined, retried, deleted or dropped since). */
    Optional<byte[]> content(String id);

    /** Which of these messages have bytes kept, without reading them. */
    Set<String> withContent(Collection<String> ids);

    /** Forgets the bytes kept for a message (retried and stored, deleted); {@link #dropped} forgets them too. */
    void forgetContent(String id);

    @Override
    void close();
}
