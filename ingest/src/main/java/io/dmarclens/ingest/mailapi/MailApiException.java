package io.dmarclens.ingest.mailapi;

import java.io.IOException;

/** A mail API answered with an error, or not at all; the round is tried again later. */
public class MailApiException extends IOException {
    private static final long serialVersionUID = 1L;

    public MailApiException(String message) {
        super(message);
    }

    public MailApiException(String message, Throwable cause) {
        super(message, cause);
    }
}
