package io.dmarclens.parser.aggregate;

import io.dmarclens.parser.ParseWarning;
import io.dmarclens.parser.ReportHandler;
import io.dmarclens.parser.ReportSource;
import io.dmarclens.parser.Truncation;
import io.dmarclens.parser.failure.FailureReport;
import io.dmarclens.parser.tlsrpt.TlsReport;
import java.util.List;

/**
 * Passes a pass's events on to the real handler, and knows whether a report is open there. When the
 * byte scanner hands a document over to Woodstox midway, the Woodstox pass goes through a handler
 * {@link #resumed() resumed} from the scanner's: the begin and the records the scanner already
 * delivered are not delivered twice, so the real handler sees one report, as if Woodstox alone read it.
 */
final class ResumingHandler implements ReportHandler {
    private final ReportHandler target;
    private boolean skipBegin;
    private long skipRecords;
    private boolean open;
    private long delivered;

    ResumingHandler(ReportHandler target) {
        this(target, false, 0);
    }

    private ResumingHandler(ReportHandler target, boolean begun, long records) {
        this.target = target;
        this.skipBegin = begun;
        this.skipRecords = records;
        this.open = begun;
        this.delivered = records;
    }

    /** A handler for a second pass over the same document that delivers only what this one has not. */
    ResumingHandler resumed() {
        return new ResumingHandler(target, open, open ? delivered : 0);
    }

    /** True between a delivered begin and its end or abort. */
    boolean isOpen() {
        return open;
    }

    @Override
    public void beginAggregate(AggregateHeader header) {
        if (skipBegin) {
            skipBegin = false;
            return;
        }
        open = true;
        delivered = 0;
        target.beginAggregate(header);
    }

    @Override
    public void record(AggregateRecord record) {
        if (skipRecords > 0) {
            skipRecords--;
            return;
        }
        delivered++;
        target.record(record);
    }

    @Override
    public void endAggregate(List<ParseWarning> warnings) {
        open = false;
        target.endAggregate(warnings);
    }

    @Override
    public void endPartialAggregate(List<ParseWarning> warnings, Truncation truncation) {
        open = false;
        target.endPartialAggregate(warnings, truncation);
    }

    @Override
    public void abortAggregate(String reason) {
        open = false;
        target.abortAggregate(reason);
    }

    @Override
    public void failure(FailureReport report) {
        target.failure(report);
    }

    @Override
    public void tls(TlsReport report) {
        target.tls(report);
    }

    @Override
    public void unreadable(ReportSource source, String reason) {
        target.unreadable(source, reason);
    }
}
