package io.dmarclens.parser;

import io.dmarclens.parser.aggregate.AggregateHeader;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.failure.FailureReport;
import io.dmarclens.parser.tlsrpt.TlsReport;
import java.util.List;

/**
 * Receives reports as the parser reads them. Aggregate reports are streamed: one
 * {@link #beginAggregate}, then each record, then {@link #endAggregate} (or {@link #abortAggregate}
 * when the rest of that report turned out to be unreadable, in which case everything received for it
 * must be discarded), or {@link #endPartialAggregate} when the input stops before the report's end. Calls for one input never interleave two aggregate reports.
 */
public interface ReportHandler {
    void beginAggregate(AggregateHeader header);

    void record(AggregateRecord record);

    /** The report is complete; {@code warnings} covers the header and every record. */
    void endAggregate(List<ParseWarning> warnings);

    /**
     * The report ends early: its input stops or breaks before the report's end, so the records received
     * are all that could be read of it. They are real data and may be kept, but the report must be shown
     * as partial (never as a clean report), so that a complete copy can replace it later.
     */
    void endPartialAggregate(List<ParseWarning> warnings, Truncation truncation);

    /** The aggregate report begun last cannot be completed; discard what was received of it. */
    default void abortAggregate(String reason) {
    }

    void failure(FailureReport report);

    void tls(TlsReport report);

    /**
     * A part of the input that should have held a report could not be read; parsing goes on with the
     * other parts. {@code reason} says what is wrong and where.
     */
    default void unreadable(ReportSource source, String reason) {
    }
}
