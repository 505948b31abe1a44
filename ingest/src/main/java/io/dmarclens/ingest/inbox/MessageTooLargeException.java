package io.dmarclens.ingest.inbox;

import java.io.IOException;

/** A message was longer than the configured maximum; nothing of it was kept. */
public class MessageTooLargeException extends IOException {
    private final long limit;

    public MessageTooLargeException(long limit) {
        super("message exceeds the maximum size of " + limit + " bytes");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
