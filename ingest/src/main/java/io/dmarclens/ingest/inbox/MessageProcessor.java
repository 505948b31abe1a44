package io.dmarclens.ingest.inbox;

import java.nio.file.Path;

/**
 * Turns one inbox message into stored reports: parse, enrich, store, index (the import pipeline).
 * Returns a result with an error when the message holds no report; throws when the failure is not the
 * message's fault (the store is unavailable, the disk is full), so that the message stays in the inbox
 * and is tried again later.
 */
@FunctionalInterface
public interface MessageProcessor {
    ProcessingResult process(InboxMessage message, Path data) throws Exception;
}
