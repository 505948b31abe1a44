package io.dmarclens.ingest.inbox;

import java.io.IOException;

/**
 * The sender caused its allowance of junk (quarantined messages) within the last hour; its new messages
 * are refused until then. SMTP answers 450, an upload 429.
 */
public class SenderThrottledException extends IOException {
    public SenderThrottledException(String message) {
        super(message);
    }
}
