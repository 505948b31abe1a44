package io.dmarclens.ingest.inbox;

import io.dmarclens.store.ingestlog.InboxMessage;
import io.dmarclens.store.ingestlog.ProcessingResult;
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
    ProcessingResult process(InboxMessage message, Path data) throws Exception;

    /** Starts a run; the value returned is handed to {@link #commit(long)} at its end. */
    default long begin() {
        return 0;
    }

    /**
     * Makes durable everything the run's {@link #process} calls stored.
     *
     * @param run what {@link #begin()} returned
     * @throws Exception when some of it may be lost: every message of the run is processed again later
     */
    default void commit(long run) throws Exception {
        // each message is durable when process returns
    }
}
