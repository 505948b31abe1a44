package io.dmarclens.ingest.inbox;

/**
 * The disk of the data directory has less free space than {@code inbox.min_free_disk}: the message is
 * refused for later rather than filling the disk. SMTP answers 452, an upload 507.
 */
public class DiskLowException extends InboxWriteException {
    public DiskLowException(String message) {
        super(message, null);
    }
}
