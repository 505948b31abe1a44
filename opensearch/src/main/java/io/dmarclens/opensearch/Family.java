package io.dmarclens.opensearch;

/**
 * The kinds of index the store keeps, one index template each. Records and their rollups live in one index
 * per month of their report's begin date behind a read alias, so that retention deletes whole indices;
 * the rest are one index each.
 */
enum Family {
    REPORTS("reports", false),
    RECORDS("records", true),
    ROLLUPS("rollups", true),
    FAILURES("failures", false),
    TLS("tls", false),
    TLS_FAILURES("tls-failures", false),
    SOURCES("sources", false),
    RAW("raw", false),
    SENDERS("senders", false),
    PTR("ptr", false),
    IDS("ids", false),
    /**
     * The compact rollup: per UTC day, its state (how often it changed, which change its sums are of) and the
     * sums per source IP computed from the rollups of that day (see {@link Compaction}).
     */
    COMPACT("compact", false),
    /** The store's own state: which version wrote its derived documents, how far a reindex has come. */
    META("meta", false);

    final String suffix;
    final boolean monthly;

    Family(String suffix, boolean monthly) {
        this.suffix = suffix;
        this.monthly = monthly;
    }
}
