package io.dmarclens.parser;

import io.dmarclens.parser.aggregate.AggregateHeader;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.aggregate.AggregateReport;
import io.dmarclens.parser.failure.FailureReport;
import io.dmarclens.parser.tlsrpt.TlsReport;
import java.util.ArrayList;
import java.util.List;

/** Holds every report of an input in memory: for tests and small inputs, see {@link ReportParser#parseAll}. */
final class ReportCollector implements ReportHandler {
    private final List<Report> reports = new ArrayList<>();
    private AggregateHeader header;
    private List<AggregateRecord> records;

    @Override
    public void beginAggregate(AggregateHeader header) {
        this.header = header;
        this.records = new ArrayList<>();
    }

    @Override
    public void record(AggregateRecord record) {
        records.add(record);
    }

    @Override
    public void endAggregate(List<ParseWarning> warnings) {
        reports.add(new AggregateReport(header, records, warnings));
        header = null;
        records = null;
    }

    @Override
    public void endPartialAggregate(List<ParseWarning> warnings, Truncation truncation) {
        reports.add(new AggregateReport(header, records, warnings, truncation));
        header = null;
        records = null;
    }

    @Override
    public void abortAggregate(String reason) {
        header = null;
        records = null;
    }

    @Override
    public void failure(FailureReport report) {
        reports.add(report);
    }

    @Override
    public void tls(TlsReport report) {
        reports.add(report);
    }

    List<Report> reports() {
        return List.copyOf(reports);
    }
}
