package io.dmarclens.store.ingestlog;

/** Where a message stands, in the ingest log. */
public enum IngestStatus {
    /** Accepted into the durable inbox, not processed yet. */
    PENDING,
    /** At least one report in it was newly stored. */
    STORED,
    /** Every report in it had been stored before. */
    DUPLICATE,
    /** It holds no readable report; kept in quarantine with the reason. */
    QUARANTINED,
    /** Refused before it was accepted (too large, inbox not writable); the sender keeps it. */
    REJECTED,
    /**
     * It held no report and was quarantined, then dropped to keep the quarantine within its size and age
     * bounds; the detail says which bound, then why it was quarantined.
     */
    DROPPED;

    /** True once processing has finished, one way or another. */
    public boolean isFinal() {
        return this != PENDING;
    }
}
