package io.dmarclens.store.query;

import io.dmarclens.store.Authenticity;
import java.time.Instant;

/**
 * One SMTP TLS report in a list.
 *
 * @param id               database id
 * @param sourceId         raw source id
 * @param organization     reporting organisation
 * @param reportId         the reporter's report id
 * @param begin            range begin
 * @param end              range end
 * @param contact          contact info, or null
 * @param policies         policies evaluated
 * @param successfulSessions total successful sessions
 * @param failedSessions   total failed sessions
 * @param partialReason why the stored copy could not be read to its end (its gzip or zip was cut off), or
 *                      null when it was read whole
 * @param authenticity  whether its mail was verified to come from the reporting organisation (DKIM), or how it
 *                      came in (see docs/security.md)
 */
public record TlsReportSummary(long id, long sourceId, String organization, String reportId, Instant begin,
                               Instant end, String contact, long policies, long successfulSessions,
                               long failedSessions, String partialReason,
                               Authenticity authenticity) {
    /** True when the stored copy could not be read to its end. */
    public boolean isPartial() {
        return partialReason != null;
    }
}
