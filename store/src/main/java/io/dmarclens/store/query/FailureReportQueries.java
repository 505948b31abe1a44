package io.dmarclens.store.query;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Failure reports (ARF): lists, exports, one report and its original message headers. Every store implements it with the same answers (the contract kit checks). */
public interface FailureReportQueries {
    /** Failure reports, newest first. The filter's domains match Reported-Domain or the From domain. */
    List<FailureRow> failureReports(ReportFilter filter, Page page);
    /** Every failure report matching the filter, streamed newest first (for exports). */
    void exportFailureReports(ReportFilter filter, Consumer<FailureRow> sink);
    /** One failure report with its warnings, or empty. */
    Optional<FailureRow> failureReport(long id);
    /** Headers of the original message of a failure report, in order, as [name, value] pairs. */
    List<String[]> failureMessageHeaders(long id);
}
