package io.dmarclens.store.ingestlog;

import java.time.Instant;

/**
 * A message held durably in the inbox (or in quarantine): its id, when it was accepted, where it came
 * from, its size in bytes and the name it arrived under (a file name for uploads, else empty).
 */
public record InboxMessage(String id, Instant receivedAt, MessageOrigin origin, long size, String name) {
    public InboxMessage {
        if (!InboxIds.isValid(id)) {
            throw new IllegalArgumentException("not an inbox message id: " + id);
        }
        name = name == null ? "" : name;
    }
}
