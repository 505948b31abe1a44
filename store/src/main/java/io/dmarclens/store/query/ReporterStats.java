package io.dmarclens.store.query;

import java.time.Instant;

/**
 * One reporting organisation over a filter.
 *
 * @param reporter    organisation name as reported
 * @param reports     aggregate reports received
 * @param messages    messages they count
 * @param firstSeen   begin of its earliest report
 * @param lastSeen    end of its latest report
 * @param daysCovered distinct UTC days its reports begin on
 * @param missingDays days between first and last seen on which none of its reports began (gaps)
 */
public record ReporterStats(String reporter, long reports, long messages, Instant firstSeen, Instant lastSeen,
                            long daysCovered, long missingDays) {
}
