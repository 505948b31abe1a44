package io.dmarclens.store.query;

import io.dmarclens.parser.ParseWarning;
import java.util.List;

/**
 * One aggregate report with its published policy and warnings; its records are read with
 * {@link ReportQueries#reportRecords}.
 *
 * @param summary      list fields
 * @param extraContact extra contact info, or null
 * @param version      report format version, or null
 * @param generator    RFC 9990 generator, or null
 * @param errors       error elements the reporter included
 * @param policy       the published policy
 * @param warnings     what the parser could not read as written
 * @param sourceName   name of the raw source it came from
 * @param sourcePart   where in that source
 * @param superseded   earlier, less complete copies this one replaced (their raw sources are kept), oldest first
 */
public record ReportDetail(ReportSummary summary, String extraContact, String version, String generator,
                           List<String> errors, PolicyPeriod policy, List<ParseWarning> warnings, String sourceName,
                           String sourcePart, List<SupersededCopy> superseded) {
    public ReportDetail {
        superseded = List.copyOf(superseded);
    }
}
