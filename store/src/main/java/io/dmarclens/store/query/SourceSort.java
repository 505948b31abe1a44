package io.dmarclens.store.query;

/** How source lists are ordered: a fixed set, so user input never chooses an order a store does not know. */
public enum SourceSort {
    /** Most messages first. */
    MESSAGES,
    /** Most messages failing DMARC first, then most messages. */
    FAILING,
    /** Lowest DMARC pass rate first, larger sources first on ties. */
    PASS_RATE
}
