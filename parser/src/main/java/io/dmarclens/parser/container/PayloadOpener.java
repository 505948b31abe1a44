package io.dmarclens.parser.container;

import java.io.IOException;
import java.io.InputStream;

/**
 * Opens a payload's bytes (already decompressed and decoded from its container). May be called more
 * than once, e.g. for a recovery pass after a well-formedness error; each call returns a fresh stream
 * positioned at the start, which the caller closes.
 */
@FunctionalInterface
public interface PayloadOpener {
    InputStream open() throws IOException;
}
