package io.dmarclens.store.query;

import io.dmarclens.parser.ParseWarning;
import io.dmarclens.store.Authenticity;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** Aggregate reports: lists, one report, its records, exports, parse warnings of any report kind. Every store implements it with the same answers (the contract kit checks). */
public interface ReportQueries {
    /** Aggregate reports, paged. */
    List<ReportSummary> reports(ReportFilter filter, ReportSort sort, Page page);
    /** Number of aggregate reports matching the filter (for pagers). */
    long countReports(ReportFilter filter);
    /** Number of aggregate reports stored with each verdict of their origin (every verdict present, zeros included). */
    default Map<Authenticity.Verdict, Long> countByVerdict() {
        return countByVerdict(DomainScope.all());
    }

    /** As {@link #countByVerdict()}, counting the reports of the domains in {@code scope} only. */
    Map<Authenticity.Verdict, Long> countByVerdict(DomainScope scope);

    /** One aggregate report, or empty when there is none with that id. */
    default Optional<ReportDetail> report(long id) {
        return report(id, DomainScope.all());
    }

    /** One aggregate report, or empty when there is none with that id or its policy domain is outside {@code scope}. */
    Optional<ReportDetail> report(long id, DomainScope scope);

    /** Records of one aggregate report in their order, paged. */
    default List<RecordRow> reportRecords(long reportId, Page page) {
        return reportRecords(reportId, page, DomainScope.all());
    }

    /** As {@link #reportRecords(long, Page)}; none when the report is outside {@code scope}. */
    List<RecordRow> reportRecords(long reportId, Page page, DomainScope scope);

    /** Records by id, in the order given (ids not found are left out); used to show search hits. */
    default List<RecordRow> records(List<Long> ids) {
        return records(ids, DomainScope.all());
    }

    /** As {@link #records(List)}, leaving out the records of reports outside {@code scope}. */
    List<RecordRow> records(List<Long> ids, DomainScope scope);
    /** Every record of reports matching the filter, streamed in id order (for exports). */
    void exportRecords(ReportFilter filter, Consumer<RecordRow> sink);
    /** Parse warnings of a report; kind is aggregate, failure or tls. */
    default List<ParseWarning> warnings(String kind, long reportId) {
        return warnings(kind, reportId, DomainScope.all());
    }

    /** As {@link #warnings(String, long)}; none when the report is outside {@code scope}. */
    List<ParseWarning> warnings(String kind, long reportId, DomainScope scope);
}
