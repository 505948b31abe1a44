package io.dmarclens.store.query;

import io.dmarclens.store.Authenticity;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** SMTP TLS reports (RFC 8460): lists, one report, failure details. Every store implements it with the same answers (the contract kit checks). */
public interface TlsReportQueries {
    /**
     * TLS reports, newest first. The filter's domains match policy domains; with
     * {@link ReportFilter#excludeUnverified()} the reports whose origin is unverified are left out (here and in
     * {@link #exportTlsFailures}).
     */
    List<TlsReportSummary> tlsReports(ReportFilter filter, Page page);
    /** Number of TLS reports stored with each verdict of their origin (every verdict present, zeros included). */
    Map<Authenticity.Verdict, Long> countByVerdict();
    /** One TLS report with policies and failure details, or empty (whatever its verdict: links lead to it). */
    Optional<TlsReportDetail> tlsReport(long id);
    /** Every TLS failure detail matching the filter, streamed (for exports). */
    void exportTlsFailures(ReportFilter filter, Consumer<TlsFailureRow> sink);
    /** TLS failure details by id, in the order given (ids not found are left out); used to show search hits. */
    List<TlsFailureRow> tlsFailures(List<Long> ids);
}
