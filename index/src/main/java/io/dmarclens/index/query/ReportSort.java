package io.dmarclens.index.query;

/** How report lists are ordered (a fixed set: user input never reaches ORDER BY). */
public enum ReportSort {
    NEWEST("r.begin_ts DESC, r.id DESC"),
    OLDEST("r.begin_ts ASC, r.id ASC"),
    MOST_MESSAGES("r.message_count DESC, r.id DESC"),
    REPORTER("r.reporter COLLATE NOCASE ASC, r.begin_ts DESC, r.id DESC");

    private final String orderBy;

    ReportSort(String orderBy) {
        this.orderBy = orderBy;
    }

    public String orderBy() {
        return orderBy;
    }
}
