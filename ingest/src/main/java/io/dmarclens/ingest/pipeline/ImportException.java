package io.dmarclens.ingest.pipeline;

/**
 * An input could not be imported for a reason outside the input itself: it could not be read from disk,
 * or the store failed. The input is not at fault and should be retried later, not quarantined.
 */
public class ImportException extends Exception {
    public ImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
