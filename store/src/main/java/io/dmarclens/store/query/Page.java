package io.dmarclens.store.query;

/**
 * A window of a sorted result.
 *
 * @param offset rows to skip
 * @param limit  rows to return (1 to {@value #MAX_LIMIT})
 */
public record Page(int offset, int limit) {
    public static final int MAX_LIMIT = 10_000;

    public Page {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative: " + offset);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ": " + limit);
        }
    }

    public static Page first(int limit) {
        return new Page(0, limit);
    }

    public Page next() {
        return new Page(offset + limit, limit);
    }
}
