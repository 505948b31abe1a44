package io.dmarclens.parser.aggregate;

import io.dmarclens.parser.ParseWarning;
import io.dmarclens.parser.Report;
import io.dmarclens.parser.ReportSource;
import io.dmarclens.parser.Truncation;
import java.util.List;

/**
 * A whole aggregate (rua) report held in memory. Large reports are better consumed record by record
 * through {@link io.dmarclens.parser.ReportHandler}; this form is for small reports and tests.
 *
 * @param truncation why the report could not be read to its end, or null when it was read whole
 */
public record AggregateReport(AggregateHeader header, List<AggregateRecord> records,
                              List<ParseWarning> warnings, Truncation truncation) implements Report {
    public AggregateReport {
        records = List.copyOf(records);
        warnings = List.copyOf(warnings);
    }

    /** A report read to its end. */
    public AggregateReport(AggregateHeader header, List<AggregateRecord> records, List<ParseWarning> warnings) {
        this(header, records, warnings, null);
    }

    /** True when the input stopped before the report's end: the records are what could be read. */
    public boolean partial() {
        return truncation != null;
    }

    @Override
    public ReportSource source() {
        return header.source();
    }

    public ReportMetadata metadata() {
        return header.metadata();
    }

    public PolicyPublished policy() {
        return header.policy();
    }

    /** Sum of the message counts of all records. */
    public long messageCount() {
        return records.stream().mapToLong(AggregateRecord::count).sum();
    }
}
