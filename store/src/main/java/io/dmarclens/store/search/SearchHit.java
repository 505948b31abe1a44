package io.dmarclens.store.search;

import java.time.Instant;

/**
 * One search result: which stored row matched. Load the row with the store's queries
 * ({@code records}, {@code failureReport}, {@code tlsFailures}).
 *
 * @param kind what matched
 * @param id   the database id of the record, failure report or TLS failure detail
 * @param date the date indexed for it (report begin, arrival date)
 */
public record SearchHit(Kind kind, long id, Instant date) {
    /** What a hit refers to. */
    public enum Kind {
        /** An aggregate record ({@code aggregate_record.id}). */
        RECORD,
        /** A failure report ({@code failure_report.id}). */
        FAILURE,
        /** A TLS failure detail ({@code tls_failure.id}). */
        TLS
    }
}
