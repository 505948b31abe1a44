package io.dmarclens.store.query;

import io.dmarclens.store.Authenticity;
import io.dmarclens.store.enrichment.SenderInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One stored failure report. Lists are empty, other fields null, when the report did not carry them.
 *
 * @param id               database id
 * @param sourceId         raw source id
 * @param format           arf or plain-text
 * @param feedbackType     Feedback-Type
 * @param userAgent        reporter's User-Agent
 * @param arrival          Arrival-Date
 * @param sourceIp         Source-IP
 * @param sender           what is known about the source IP
 * @param reportingMta     Reporting-MTA
 * @param originalMailFrom Original-Mail-From
 * @param originalRcptTo   Original-Rcpt-To values
 * @param reportedDomain   Reported-Domain values
 * @param authFailure      Auth-Failure values
 * @param deliveryResult   Delivery-Result
 * @param dkimDomain       DKIM-Domain
 * @param dkimSelector     DKIM-Selector
 * @param spfDns           SPF-DNS
 * @param incidents        Incidents
 * @param from             original From header
 * @param to               original To header
 * @param subject          original Subject
 * @param messageId        original Message-ID
 * @param fields           every feedback field
 * @param humanReadable    the reporter's explanation
 * @param importedAt       when stored
 * @param partialReason    why the report could not be read to its end (its mail came in a cut-off gzip or
 *                         zip), or null
 * @param authenticity     whether its mail was verified to come from the reporting domain (DKIM), or how it
 *                         came in (see docs/security.md)
 */
public record FailureRow(long id, long sourceId, String format, String feedbackType, String userAgent, Instant arrival,
                         String sourceIp, SenderInfo sender, String reportingMta, String originalMailFrom,
                         List<String> originalRcptTo, List<String> reportedDomain, List<String> authFailure,
                         String deliveryResult, String dkimDomain, String dkimSelector, String spfDns, int incidents,
                         String from, String to, String subject, String messageId, Map<String, List<String>> fields,
                         String humanReadable, Instant importedAt, String partialReason,
                         Authenticity authenticity) {

    /** Whether the report is stored as partial (cut off before its end). */
    public boolean isPartial() {
        return partialReason != null;
    }
}
