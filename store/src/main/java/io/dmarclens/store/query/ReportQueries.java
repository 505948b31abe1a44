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
    Map<Authenticity.Verdict, Long> countByVerdict();
    /** One aggregate report, or empty when there is none with that id. */
    Optional<ReportDetail> report(long id);
    /** Records of one aggregate report in their order, paged. */
    List<RecordRow> reportRecords(long reportId, Page page);
    /** Records by id, in the order given (ids not found are left out); used to show search hits. */
    List<RecordRow> records(List<Long> ids);
    /** Every record of reports matching the filter, streamed in id order (for exports). */
    void exportRecords(ReportFilter filter, Consumer<RecordRow> sink);
    /** Parse warnings of a report; kind is aggregate, failure or tls. */
    List<ParseWarning> warnings(String kind, long reportId);
}
