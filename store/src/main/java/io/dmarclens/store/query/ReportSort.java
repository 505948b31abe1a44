package io.dmarclens.store.query;

/** How report lists are ordered: a fixed set, so user input never chooses an order a store does not know. */
public enum ReportSort {
    /** Latest range begin first. */
    NEWEST,
    /** Earliest range begin first. */
    OLDEST,
    /** Most messages first. */
    MOST_MESSAGES,
    /** Reporter name (case-insensitive), then newest first. */
    REPORTER
}
