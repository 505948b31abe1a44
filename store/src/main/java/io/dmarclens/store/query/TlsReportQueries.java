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
    default Map<Authenticity.Verdict, Long> countByVerdict() {
        return countByVerdict(DomainScope.all());
    }

    /** As {@link #countByVerdict()}, counting the TLS reports in {@code scope} only. */
    Map<Authenticity.Verdict, Long> countByVerdict(DomainScope scope);

    /** One TLS report with policies and failure details, or empty (whatever its verdict: links lead to it). */
    default Optional<TlsReportDetail> tlsReport(long id) {
        return tlsReport(id, DomainScope.all());
    }

    /** As {@link #tlsReport(long)}; empty when the report is outside {@code scope}. */
    Optional<TlsReportDetail> tlsReport(long id, DomainScope scope);
    /** Every TLS failure detail matching the filter, streamed (for exports). */
    void exportTlsFailures(ReportFilter filter, Consumer<TlsFailureRow> sink);
    /** TLS failure details by id, in the order given (ids not found are left out); used to show search hits. */
    default List<TlsFailureRow> tlsFailures(List<Long> ids) {
        return tlsFailures(ids, DomainScope.all());
    }

    /** As {@link #tlsFailures(List)}, leaving out the details outside {@code scope}. */
    List<TlsFailureRow> tlsFailures(List<Long> ids, DomainScope scope);
}
