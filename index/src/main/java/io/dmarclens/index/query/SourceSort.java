package io.dmarclens.index.query;

/**
 * How source lists are ordered (a fixed set: user input never reaches ORDER BY). The clauses use the
 * aggregates themselves: inside an expression SQLite resolves a name to the table's column of an
 * arbitrary row of the group, not to the result column of the same name.
 */
public enum SourceSort {
    /** Most messages first. */
    MESSAGES("SUM(messages) DESC", "SUM(messages) DESC"),
    /** Most messages failing DMARC first. */
    FAILING("SUM(messages) - SUM(dmarc_pass * messages) DESC, SUM(messages) DESC",
            "SUM(messages) - SUM(dmarc_pass) DESC, SUM(messages) DESC"),
    /** Lowest DMARC pass rate first, larger sources first on ties. */
    PASS_RATE("CAST(SUM(dmarc_pass * messages) AS REAL) / SUM(messages) ASC, SUM(messages) DESC",
            "CAST(SUM(dmarc_pass) AS REAL) / SUM(messages) ASC, SUM(messages) DESC");

    private final String orderBy;
    private final String orderByCounts;

    SourceSort(String orderBy, String orderByCounts) {
        this.orderBy = orderBy;
        this.orderByCounts = orderByCounts;
    }

    /** The same order over {@code rollup_source}, whose measures are message counts already. */
    String orderByCounts() {
        return orderByCounts;
    }

    /** The ORDER BY clause (a constant of this enum). */
    public String orderBy() {
        return orderBy;
    }
}
