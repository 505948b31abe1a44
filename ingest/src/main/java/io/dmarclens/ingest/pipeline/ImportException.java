package io.dmarclens.ingest.pipeline;

/**
 * An input could not be imported for a reason outside the input itself: it could not be read from disk,
 * or the store failed. The input is not at fault and should be retried later, not quarantined.
 * Unchecked, like {@code StoreException}: a failure around the input, not of it (docs/architecture.md,
 * "Errors"); the inbox workers tell it apart from a bug and keep the message.
 */
public class ImportException extends RuntimeException {
    public ImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
