package io.dmarclens.store.query;

import io.dmarclens.store.Authenticity;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** Failure reports (ARF): lists, exports, one report and its original message headers. Every store implements it with the same answers (the contract kit checks). */
public interface FailureReportQueries {
    /**
     * Failure reports, newest first. The filter's domains match Reported-Domain or the From domain; with
     * {@link ReportFilter#excludeUnverified()} the reports whose origin is unverified are left out.
     */
    List<FailureRow> failureReports(ReportFilter filter, Page page);
    /** Every failure report matching the filter, streamed newest first (for exports). */
    void exportFailureReports(ReportFilter filter, Consumer<FailureRow> sink);
    /** Number of failure reports stored with each verdict of their origin (every verdict present, zeros included). */
    default Map<Authenticity.Verdict, Long> countByVerdict() {
        return countByVerdict(DomainScope.all());
    }

    /** As {@link #countByVerdict()}, counting the failure reports in {@code scope} only. */
    Map<Authenticity.Verdict, Long> countByVerdict(DomainScope scope);

    /** One failure report with its warnings, or empty (whatever its verdict: links lead to it). */
    default Optional<FailureRow> failureReport(long id) {
        return failureReport(id, DomainScope.all());
    }

    /** As {@link #failureReport(long)}; empty when the report is outside {@code scope}. */
    Optional<FailureRow> failureReport(long id, DomainScope scope);

    /** Headers of the original message of a failure report, in order, as [name, value] pairs. */
    default List<String[]> failureMessageHeaders(long id) {
        return failureMessageHeaders(id, DomainScope.all());
    }

    /** As {@link #failureMessageHeaders(long)}; none when the report is outside {@code scope}. */
    List<String[]> failureMessageHeaders(long id, DomainScope scope);
}
