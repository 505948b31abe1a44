package io.dmarclens.store;

/**
 * When an import's reports are committed to the database.
 */
public enum CommitMode {
    /**
     * Each aggregate report is committed when it ends: once {@code endAggregate} returns, the report is
     * on disk. For receivers that acknowledge a message only after it is stored.
     */
    EACH_REPORT,
    /**
     * Reports are committed in groups (every 250,000 records or 2 seconds, before any other write,
     * and at {@link Store#flush()} and close), which makes bulk imports of many small reports several
     * times faster. A crash loses at most the last uncommitted group, which importing the same files
     * again restores (imports are idempotent). Call {@link Store#flush()} before reporting success.
     */
    GROUPED
}
