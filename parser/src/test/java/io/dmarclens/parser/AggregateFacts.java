package io.dmarclens.parser;

import io.dmarclens.parser.aggregate.AggregateReport;
import java.util.Comparator;
import java.util.List;

/**
 * The facts the sample and corpus tests pin for every aggregate report: who reported, for which
 * domain and period, and how much. Comparing whole records gives one readable failure message per
 * report instead of stopping at the first differing field.
 */
record AggregateFacts(String reportId, String orgName, String policyDomain, long begin, long end,
                      int records, long messages) {

    static AggregateFacts of(AggregateReport report) {
        return new AggregateFacts(report.metadata().reportId(), report.metadata().orgName(),
                report.policy().domain(), report.metadata().dateRange().begin(),
                report.metadata().dateRange().end(), report.records().size(), report.messageCount());
    }

    /** The aggregate reports among {@code reports}, in report-id order (zip and mail order is not a fact). */
    static List<AggregateFacts> ofAll(List<Report> reports) {
        return reports.stream()
                .filter(AggregateReport.class::isInstance)
                .map(AggregateReport.class::cast)
                .map(AggregateFacts::of)
                .sorted(Comparator.comparing(AggregateFacts::reportId))
                .toList();
    }
}
