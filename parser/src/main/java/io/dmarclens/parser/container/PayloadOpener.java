package io.dmarclens.parser.container;

import java.io.IOException;
import java.io.InputStream;

/**
 * Opens a payload's bytes (already decompressed and decoded from its container). May be called more
 * than once, e.g. for a recovery pass after a well-formedness error; each call returns a fresh stream
 * positioned at the start, which the caller closes. A stream that hits a safety cap while being read
 * (e.g. decompressed size) throws a {@link LimitExceededIOException} (or an {@link IOException} whose
 * cause is a {@link io.dmarclens.parser.LimitExceededException}): parsers report it as the limit it
 * is, not as broken XML or JSON.
 */
@FunctionalInterface
public interface PayloadOpener {
    InputStream open() throws IOException;
}
