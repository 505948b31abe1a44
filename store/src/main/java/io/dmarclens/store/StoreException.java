package io.dmarclens.store;

/**
 * The store could not do what was asked: the database or index is unreadable, locked, full, or of a
 * newer version. The message says what to do about it.
 */
public class StoreException extends RuntimeException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
