package io.dmarclens.ingest.inbox;

import java.io.IOException;

/**
 * The inbox could not store a message (disk full, directory gone, read-only file system). The sender
 * should try again later: SMTP answers 451, the IMAP poller leaves the message unread.
 */
public class InboxWriteException extends IOException {
    public InboxWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
