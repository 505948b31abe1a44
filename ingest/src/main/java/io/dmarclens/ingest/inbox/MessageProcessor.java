package io.dmarclens.ingest.inbox;

import io.dmarclens.store.ingestlog.InboxMessage;
import io.dmarclens.store.ingestlog.ProcessingResult;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Turns one inbox message into stored reports: parse, enrich, store, index (the import pipeline).
 * Returns a result with an error when the message holds no report; throws when the failure is not the
 * message's fault (the store is unavailable, the disk is full), so that the message stays in the inbox
 * and is tried again later.
 *
 * <p>The workers hand over messages in runs: {@link #begin()}, {@link #process} for each message of the
 * run, then {@link #commit(long)}. Only once {@code commit} returns are the messages taken out of the
 * inbox, so a processor may keep what {@code process} stored uncommitted until then (one database
 * commit for many small reports). A processor that makes each message durable in {@code process} needs
 * neither method.
 */
@FunctionalInterface
public interface MessageProcessor {
    /**
     * Processes one message.
     *
     * @throws IOException when the message's file cannot be read (our disk, not the message)
     * @throws RuntimeException {@code StoreException} or {@code ImportException} when the store failed:
     *                          the message stays in the inbox; any other is a bug
     */
    ProcessingResult process(InboxMessage message, Path data) throws IOException;

    /** Starts a run; the value returned is handed to {@link #commit(long)} at its end. */
    default long begin() {
        return 0;
    }

    /**
     * Makes durable everything the run's {@link #process} calls stored.
     *
     * @param run what {@link #begin()} returned
     * @throws RuntimeException ({@code StoreException}) when some of it may be lost: every message of the
     *                          run is processed again later
     */
    default void commit(long run) {
        // each message is durable when process returns
    }
}
