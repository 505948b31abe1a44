package io.dmarclens.parser.aggregate;

import io.dmarclens.parser.ParseWarning;
import io.dmarclens.parser.Report;
import io.dmarclens.parser.ReportSource;
import java.util.List;

/**
 * A whole aggregate (rua) report held in memory. Large reports are better consumed record by record
 * through {@link io.dmarclens.parser.ReportHandler}; this form is for small reports and tests.
 */
public record AggregateReport(AggregateHeader header, List<AggregateRecord> records,
                              List<ParseWarning> warnings) implements Report {
    public AggregateReport {
        records = List.copyOf(records);
        warnings = List.copyOf(warnings);
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
