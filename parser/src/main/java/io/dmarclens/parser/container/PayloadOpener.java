package io.dmarclens.parser.container;

import java.io.IOException;
import java.io.InputStream;

/**
 * Opens a payload's bytes (already decompressed and decoded from its container). May be called more
 * than once, e.g. for a recovery pass after a well-formedness error; each call returns a fresh stream
 * positioned at the start, which the caller closes. A stream that hits a safety cap while being read
 * (e.g. decompressed size) should throw an {@link IOException} whose cause is the
 * {@link io.dmarclens.parser.LimitExceededException}: parsers pass such a cause on as it is instead
 * of reporting broken XML or JSON.
 */
@FunctionalInterface
public interface PayloadOpener {
    InputStream open() throws IOException;
}
