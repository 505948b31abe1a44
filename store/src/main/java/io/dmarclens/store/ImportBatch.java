package io.dmarclens.store;

import io.dmarclens.parser.ParseWarning;
import io.dmarclens.parser.Truncation;
import io.dmarclens.parser.aggregate.AggregateHeader;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.failure.FailureReport;
import io.dmarclens.parser.tlsrpt.TlsReport;
import io.dmarclens.store.enrichment.RecordEnrichment;
import java.util.List;

/**
 * The reports of one raw source on their way into a store (from {@link Store#beginImport}). An aggregate
 * report is written from {@link #beginAggregate} to {@link #endAggregate} (or {@link #abortAggregate}) and
 * is stored whole or not at all; failure and TLS reports are one call each. Not thread-safe: one importer
 * uses a batch, then closes it.
 */
public interface ImportBatch extends AutoCloseable {
    /**
     * Starts an aggregate report imported by hand ({@link Authenticity#imported()}).
     *
     * @return false when the report is a duplicate of one stored: skip its records
     */
    default boolean beginAggregate(AggregateHeader header) {
        return beginAggregate(header, Authenticity.imported());
    }

    /**
     * Starts an aggregate report whose origin was checked as {@code authenticity} says (stored with it).
     *
     * @return false when the report is a duplicate of one stored: skip its records
     */
    boolean beginAggregate(AggregateHeader header, Authenticity authenticity);

    /** Adds one record of the current aggregate report with what enrichment found about it. */
    void record(AggregateRecord record, RecordEnrichment enrichment);

    /** Ends the current aggregate report, read to its end, with the warnings its parse produced. */
    default void endAggregate(List<ParseWarning> warnings) {
        endAggregate(warnings, null);
    }

    /**
     * Ends the current aggregate report, with the warnings its parse produced.
     *
     * <p>A report whose input stopped before its end ({@code truncation} not null) is stored as
     * <em>partial</em>, with the reason. A later copy with the same identity replaces a stored partial one
     * when it read further (to its end with at least as many records, or more records): the store then
     * holds exactly what it would hold had only the new copy arrived, and keeps the old copy's raw source.
     * A copy no more complete than the stored one is a duplicate.
     *
     * @param truncation why the report could not be read to its end, or null when it was read whole
     * @return true when stored; false when it is a duplicate (nothing of it is kept)
     */
    boolean endAggregate(List<ParseWarning> warnings, Truncation truncation);

    /** Drops the current aggregate report (nothing of it is stored); {@code reason} is logged. */
    void abortAggregate(String reason);

    /**
     * Stores a failure report imported by hand ({@link Authenticity#imported()}).
     *
     * @return false when it is a duplicate
     */
    default boolean failure(FailureReport report) {
        return failure(report, Authenticity.imported());
    }

    /**
     * Stores a failure report whose origin was checked as {@code authenticity} says (stored with it, shown with
     * the report, and left out of lists and counts when a {@code ReportFilter} excludes unverified reports).
     * Failure reports have no identity, so the verdict never makes one copy replace another.
     *
     * @return false when it is a duplicate
     */
    boolean failure(FailureReport report, Authenticity authenticity);

    /**
     * Stores an SMTP TLS report imported by hand ({@link Authenticity#imported()}).
     *
     * @return false when it is a duplicate
     */
    default boolean tls(TlsReport report) {
        return tls(report, Authenticity.imported());
    }

    /**
     * Stores an SMTP TLS report whose origin was checked as {@code authenticity} says (stored with it, shown
     * with the report and its failure details, left out when a {@code ReportFilter} excludes unverified
     * reports). As for aggregate reports, a copy whose origin is {@link Authenticity.Verdict#VERIFIED verified}
     * replaces a stored unverified copy of the same identity (organisation, report id, date range), whatever
     * that copy holds: a forgery mailed first under the real report's identity cannot keep it out. An
     * unverified copy of a stored report is a duplicate.
     *
     * @return false when it is a duplicate
     */
    boolean tls(TlsReport report, Authenticity authenticity);

    /** Ends the batch and says what it stored (with {@link CommitMode#GROUPED}, see {@link Store#commitDurably}). */
    ImportResult commit();

    /** What the batch stored so far. */
    ImportResult result();

    /** Ends the batch; an aggregate report still open is dropped. */
    @Override
    void close();
}
