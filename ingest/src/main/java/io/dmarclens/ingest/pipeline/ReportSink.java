package io.dmarclens.ingest.pipeline;

import io.dmarclens.parser.ParseWarning;
import io.dmarclens.parser.Truncation;
import io.dmarclens.parser.aggregate.AggregateHeader;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.failure.FailureReport;
import io.dmarclens.parser.tlsrpt.TlsReport;
import io.dmarclens.store.Authenticity;
import io.dmarclens.store.enrichment.RecordEnrichment;
import io.dmarclens.store.enrichment.SenderInfo;
import java.nio.file.Path;
import java.util.List;

/**
 * Where enriched reports go: one batch per input, committed when the input has been read. The seam
 * between the pipeline and the store, so the pipeline never depends on how reports are kept.
 */
public interface ReportSink {
    /**
     * Opens the batch for one input, whose raw content is kept with its reports.
     *
     * @param origin where it came from ("file:...", "smtp:...")
     * @param name   its name for users
     * @param file   the file holding the input, or null when {@code data} holds it
     * @param data   the input's bytes, or null when {@code file} holds them
     */
    Batch openBatch(String origin, String name, Path file, byte[] data) throws ImportException;

    /**
     * A source's reverse DNS name became known after its records were stored: update the sender of
     * its records and their classification. Called from a background thread.
     */
    void updateSender(String ip, SenderInfo sender) throws ImportException;

    /** The reports of one input; nothing is visible before {@link #commit()}. */
    interface Batch extends AutoCloseable {
        /**
         * Starts an aggregate report whose origin was checked as {@code authenticity} says; false when it is
         * already stored (its records are then not sent).
         */
        boolean beginAggregate(AggregateHeader header, Authenticity authenticity) throws ImportException;

        void record(AggregateRecord record, RecordEnrichment enrichment) throws ImportException;

        /**
         * Completes the aggregate report begun last, also one that {@link #beginAggregate} found to be a
         * duplicate; false when it was not stored because it is a duplicate (or no more complete than the
         * stored copy).
         *
         * @param truncation why the report could not be read to its end (stored as partial), or null
         */
        boolean endAggregate(List<ParseWarning> warnings, Truncation truncation) throws ImportException;

        /** Discards what was received of the aggregate report begun last (stored or duplicate). */
        void abortAggregate(String reason) throws ImportException;

        /** Stores a failure report with the verdict on its origin; false when it is a duplicate. */
        boolean failure(FailureReport report, Authenticity authenticity) throws ImportException;

        /** Stores a TLS report with the verdict on its origin; false when it is a duplicate. */
        boolean tls(TlsReport report, Authenticity authenticity) throws ImportException;

        void commit() throws ImportException;

        /** Rolls back what was not committed. */
        @Override
        void close() throws ImportException;
    }
}
