package io.dmarclens.store.query;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** SMTP TLS reports (RFC 8460): lists, one report, failure details. Every store implements it with the same answers (the contract kit checks). */
public interface TlsReportQueries {
    /** TLS reports, newest first. The filter's domains match policy domains. */
    List<TlsReportSummary> tlsReports(ReportFilter filter, Page page);
    /** One TLS report with policies and failure details, or empty. */
    Optional<TlsReportDetail> tlsReport(long id);
    /** Every TLS failure detail matching the filter, streamed (for exports). */
    void exportTlsFailures(ReportFilter filter, Consumer<TlsFailureRow> sink);
    /** TLS failure details by id, in the order given (ids not found are left out); used to show search hits. */
    List<TlsFailureRow> tlsFailures(List<Long> ids);
}
