package io.dmarclens.store.query;

import io.dmarclens.store.Authenticity;
import java.time.Instant;

/**
 * One aggregate report in a list.
 *
 * @param id            database id
 * @param reporter      reporting organisation
 * @param reporterEmail reporter's contact address
 * @param reportId      the reporter's report id
 * @param policyDomain  policy domain
 * @param begin         range begin
 * @param end           range end
 * @param records       records stored
 * @param messages      messages they count
 * @param warnings      parse warnings
 * @param importedAt    when it was stored
 * @param sourceId      id of its raw source (see {@link RawSourceQueries#rawSource})
 * @param partialReason why the stored copy could not be read to its end (a cut-off input), or null when
 *                      it was read whole
 * @param authenticity  whether its mail was verified to come from the reporter (DKIM), or how it came in
 */
public record ReportSummary(long id, String reporter, String reporterEmail, String reportId, String policyDomain,
                            Instant begin, Instant end, long records, long messages, long warnings,
                            Instant importedAt, long sourceId, String partialReason, Authenticity authenticity) {
    /** True when the stored copy could not be read to its end: its records are what could be read. */
    public boolean isPartial() {
        return partialReason != null;
    }
}
