package io.dmarclens.ingest.pipeline;

import io.dmarclens.parser.Report;
import io.dmarclens.parser.ReportParseException;
import io.dmarclens.parser.ReportParser;
import io.dmarclens.parser.aggregate.AggregateReport;
import io.dmarclens.parser.failure.FailureReport;
import io.dmarclens.parser.tlsrpt.TlsReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the parser alone reads from a set of inputs, counted the way the store counts: a report whose
 * identity was seen before (aggregate: reporter, email, id, domain, range; TLS: organisation, id,
 * range) is a duplicate and its records are not counted again.
 */
final class ParsedTotals {
    int reports;
    long records;
    int duplicates;
    int invalid;
    private final Set<List<Object>> identities = new HashSet<>();

    void addFile(ReportParser parser, Path file) throws IOException {
        try {
            addAll(parser.parseAll(file));
        } catch (ReportParseException e) {
            invalid++;
        }
    }

    void addBytes(ReportParser parser, String name, byte[] data) {
        try {
            addAll(parser.parseAll(name, data));
        } catch (ReportParseException e) {
            invalid++;
        }
    }

    private void addAll(List<Report> parsed) {
        for (Report report : parsed) {
            List<Object> identity = identity(report);
            if (identity != null && !identities.add(identity)) {
                duplicates++;
                continue;
            }
            reports++;
            if (report instanceof AggregateReport a) {
                records += a.records().size();
            }
        }
    }

    private static List<Object> identity(Report report) {
        if (report instanceof AggregateReport a) {
            var m = a.metadata();
            return List.of("aggregate", nz(m.orgName()).strip(), nz(m.email()), nz(m.reportId()),
                    nz(a.policy().domain()).strip().toLowerCase(java.util.Locale.ROOT),
                    m.dateRange().begin(), m.dateRange().end());
        }
        if (report instanceof TlsReport t) {
            return List.of("tls", nz(t.organizationName()), nz(t.reportId()), String.valueOf(t.startDatetime()),
                    String.valueOf(t.endDatetime()));
        }
        if (report instanceof FailureReport) {
            return null;
        }
        return null;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
