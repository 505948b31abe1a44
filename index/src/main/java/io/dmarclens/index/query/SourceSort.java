package io.dmarclens.index.query;

/** How source lists are ordered (a fixed set: user input never reaches ORDER BY). */
public enum SourceSort {
    /** Most messages first. */
    MESSAGES("messages DESC"),
    /** Most messages failing DMARC first. */
    FAILING("(messages - dmarc_pass) DESC, messages DESC"),
    /** Lowest DMARC pass rate first, larger sources first on ties. */
    PASS_RATE("CAST(dmarc_pass AS REAL) / messages ASC, messages DESC");

    private final String orderBy;

    SourceSort(String orderBy) {
        this.orderBy = orderBy;
    }

    /** The ORDER BY clause (a constant of this enum). */
    public String orderBy() {
        return orderBy;
    }
}
