package io.dmarclens.ingest.oauth;

import java.io.IOException;

/**
 * No access token could be had: the token endpoint refused the credentials, could not be reached, or
 * answered something that is not a token. Like a failed connection, the account is tried again later.
 */
public class TokenException extends IOException {
    private static final long serialVersionUID = 1L;

    public TokenException(String message) {
        super(message);
    }

    public TokenException(String message, Throwable cause) {
        super(message, cause);
    }
}
