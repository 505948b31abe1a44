package io.dmarclens.store.query;

import io.dmarclens.store.Authenticity;
import java.time.Instant;

/**
 * One failure detail of a TLS report, with its report's identity (for exports).
 *
 * @param id                  database id
 * @param tlsReportRef        database id of its report
 * @param organization        reporting organisation
 * @param reportId            the reporter's report id
 * @param begin               range begin
 * @param end                 range end
 * @param policyType          policy type
 * @param policyDomain        recipient domain, or null
 * @param resultType          e.g. certificate-expired
 * @param sendingMtaIp        sending-mta-ip, or null
 * @param receivingMxHostname receiving-mx-hostname, or null
 * @param receivingMxHelo     receiving-mx-helo, or null
 * @param receivingIp         receiving-ip, or null
 * @param failedSessions      failed-session-count
 * @param additionalInfo      additional-information, or null
 * @param failureReasonCode   failure-reason-code, or null
 * @param partialReason       why its report could not be read to its end (the report is partial), or null
 * @param authenticity        the verdict on its report's origin (see {@link TlsReportSummary#authenticity()})
 */
public record TlsFailureRow(long id, long tlsReportRef, String organization, String reportId, Instant begin,
                            Instant end, String policyType, String policyDomain, String resultType, String sendingMtaIp,
                            String receivingMxHostname, String receivingMxHelo, String receivingIp, long failedSessions,
                            String additionalInfo, String failureReasonCode, String partialReason,
                            Authenticity authenticity) {

    /** Whether its report is stored as partial (its gzip or zip was cut off). */
    public boolean isPartial() {
        return partialReason != null;
    }
}
