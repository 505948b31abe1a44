package io.dmarclens.parser.aggregate;

import io.dmarclens.parser.ParseWarning;
import io.dmarclens.parser.ParserLimits;
import io.dmarclens.parser.ReportHandler;
import io.dmarclens.parser.ReportParseException;
import io.dmarclens.parser.ReportSource;
import io.dmarclens.parser.failure.FailureReport;
import io.dmarclens.parser.tlsrpt.TlsReport;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A handler that keeps what it is given, and checks the begin/record/end protocol on the way. */
final class Collector implements ReportHandler {
    final List<AggregateReport> reports = new ArrayList<>();
    final List<String> aborts = new ArrayList<>();
    private AggregateHeader header;
    private List<AggregateRecord> records;

    static AggregateReport parse(String xml) throws ReportParseException {
        return parse(xml.getBytes(StandardCharsets.UTF_8));
    }

    static AggregateReport parse(byte[] xml) throws ReportParseException {
        Collector c = collect(xml, ParserLimits.DEFAULT);
        if (c.reports.size() != 1) {
            throw new AssertionError("expected one report, got " + c.reports.size());
        }
        return c.reports.get(0);
    }

    static Collector collect(byte[] xml, ParserLimits limits) throws ReportParseException {
        Collector c = new Collector();
        new AggregateXmlParser(limits).parse(ReportSource.of("test.xml"), () -> new ByteArrayInputStream(xml), c);
        if (c.header != null) {
            throw new AssertionError("report begun but neither ended nor aborted");
        }
        return c;
    }

    @Override
    public void beginAggregate(AggregateHeader h) {
        if (header != null) {
            throw new AssertionError("beginAggregate twice");
        }
        header = h;
        records = new ArrayList<>();
    }

    @Override
    public void record(AggregateRecord record) {
        if (header == null) {
            throw new AssertionError("record outside a report");
        }
        if (record.index() != records.size()) {
            throw new AssertionError("record index " + record.index() + " after " + records.size() + " records");
        }
        records.add(record);
    }

    @Override
    public void endAggregate(List<ParseWarning> warnings) {
        if (header == null) {
            throw new AssertionError("endAggregate without beginAggregate");
        }
        reports.add(new AggregateReport(header, records, warnings));
        header = null;
    }

    @Override
    public void endPartialAggregate(List<ParseWarning> warnings, io.dmarclens.parser.Truncation truncation) {
        if (header == null) {
            throw new AssertionError("endPartialAggregate without beginAggregate");
        }
        reports.add(new AggregateReport(header, records, warnings, truncation));
        header = null;
    }

    @Override
    public void abortAggregate(String reason) {
        if (header == null) {
            throw new AssertionError("abortAggregate without beginAggregate");
        }
        aborts.add(reason);
        header = null;
    }

    @Override
    public void failure(FailureReport report) {
        throw new AssertionError("failure report from the aggregate parser");
    }

    @Override
    public void tls(TlsReport report) {
        throw new AssertionError("TLS report from the aggregate parser");
    }
}
