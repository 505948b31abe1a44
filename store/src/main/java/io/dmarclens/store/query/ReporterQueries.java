package io.dmarclens.store.query;

import java.util.List;

/** Reporting organisations. Every store implements it with the same answers (the contract kit checks). */
public interface ReporterQueries {
    /** Reporting organisations, most reports first. */
    List<ReporterStats> reporters(ReportFilter filter, Page page);
}
