package io.dmarclens.parser.container;

import java.io.IOException;

/**
 * A safety cap hit while bytes are flowing through a stream, where only {@link IOException} can be
 * thrown; the container layer turns it into a {@link io.dmarclens.parser.LimitExceededException}.
 */
public final class LimitExceededIOException extends IOException {
    public LimitExceededIOException(String message) {
        super(message);
    }
}
