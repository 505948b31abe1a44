package io.dmarclens.parser.container;

import io.dmarclens.parser.Bounded;
import io.dmarclens.parser.ParseWarning;
import io.dmarclens.parser.ReportHandler;
import io.dmarclens.parser.ReportSource;
import io.dmarclens.parser.Truncation;
import io.dmarclens.parser.aggregate.AggregateHeader;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.failure.FailureReport;
import io.dmarclens.parser.tlsrpt.TlsReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Passes reports on to the caller's handler and counts what was delivered, so that a container can tell
 * whether its parts gave any report, and the parser can sum up the input. Records of an aggregate report
 * only count once it ends; an aborted report counts for nothing. While the walk reads bytes that a
 * container cut off ({@link #cutShort}), every report delivered is passed on as partial. One per input;
 * not thread-safe.
 */
public final class DeliveryCounter implements ReportHandler {
    /** A part that should have held a report but could not be read. */
    public record Unreadable(ReportSource source, String reason) {
    }

    private final ReportHandler target;
    private final List<Unreadable> unreadable = new ArrayList<>();
    private int reports;
    private long records;
    private long messages;
    private long openRecords;
    private long openMessages;
    private boolean aggregateOpen;
    private String lastAbortReason;
    private Truncation cut;
    private int partialReports;

    public DeliveryCounter(ReportHandler target) {
        this.target = Objects.requireNonNull(target, "handler");
    }

    @Override
    public void beginAggregate(AggregateHeader header) {
        if (aggregateOpen) {
            abortAggregate("a new report began before this one ended");
        }
        aggregateOpen = true;
        openRecords = 0;
        openMessages = 0;
        target.beginAggregate(header);
    }

    @Override
    public void record(AggregateRecord record) {
        openRecords++;
        openMessages += record.count();
        target.record(record);
    }

    @Override
    public void endAggregate(List<ParseWarning> warnings) {
        if (cut != null) {
            endPartialAggregate(warnings, null);
            return;
        }
        aggregateOpen = false;
        reports++;
        records += openRecords;
        messages += openMessages;
        target.endAggregate(warnings);
    }

    @Override
    public void endPartialAggregate(List<ParseWarning> warnings, Truncation truncation) {
        aggregateOpen = false;
        reports++;
        partialReports++;
        records += openRecords;
        messages += openMessages;
        Truncation why = cut == null ? truncation : truncation == null ? cut : cut.and(truncation.reason());
        target.endPartialAggregate(warnings, why);
    }

    /**
     * Marks the bytes read from now on as cut off for {@code why} (null: whole again); returns the mark
     * in force before, to be restored once that payload is read.
     */
    Truncation cutShort(Truncation why) {
        Truncation before = cut;
        cut = why;
        return before;
    }

    /** Why the bytes being read stop early, or null. */
    Truncation cut() {
        return cut;
    }

    @Override
    public void abortAggregate(String reason) {
        aggregateOpen = false;
        lastAbortReason = reason;
        target.abortAggregate(reason);
    }

    /** Aborts the aggregate report still open after its parser failed, so the caller discards it. */
    public void abortIfOpen(String reason) {
        if (aggregateOpen) {
            abortAggregate(reason);
        }
    }

    @Override
    public void failure(FailureReport report) {
        // A mail read from bytes that were cut off may lack its later fields or original headers.
        FailureReport delivered = cut == null ? report : report.truncated(cut);
        reports++;
        if (delivered.partial()) {
            partialReports++;
        }
        target.failure(delivered);
    }

    @Override
    public void tls(TlsReport report) {
        TlsReport delivered = cut == null ? report : report.truncated(cut);
        reports++;
        if (delivered.partial()) {
            partialReports++;
        }
        target.tls(delivered);
    }

    @Override
    public void unreadable(ReportSource source, String reason) {
        reason = Bounded.text(reason, Bounded.REASON);
        unreadable.add(new Unreadable(source, reason));
        target.unreadable(source, reason);
    }

    public int reports() {
        return reports;
    }

    /** Reports delivered as partial (cut off before their end). */
    public int partialReports() {
        return partialReports;
    }

    public long records() {
        return records;
    }

    public long messages() {
        return messages;
    }

    public boolean aggregateOpen() {
        return aggregateOpen;
    }

    /** Why the last aggregate report was aborted, or null. */
    public String lastAbortReason() {
        return lastAbortReason;
    }

    public List<Unreadable> unreadableParts() {
        return List.copyOf(unreadable);
    }
}
