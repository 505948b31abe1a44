package io.dmarclens.store.query;

import io.dmarclens.parser.aggregate.DkimAuthResult;
import io.dmarclens.parser.aggregate.PolicyOverrideReason;
import io.dmarclens.parser.aggregate.SpfAuthResult;
import io.dmarclens.store.Authenticity;
import io.dmarclens.store.enrichment.SenderInfo;
import java.time.Instant;
import java.util.List;

/**
 * One stored aggregate record with its report's identity, the reporter's words, and our enrichment.
 * Absent text values are empty strings or null as documented.
 *
 * @param id                   record id
 * @param reportRef            database id of its report
 * @param reporter             reporting organisation
 * @param reportId             the reporter's report id
 * @param policyDomain         policy domain
 * @param begin                report range begin
 * @param end                  report range end
 * @param sourceIp             source IP
 * @param count                messages
 * @param disposition          applied disposition (none, quarantine, reject, pass), empty when missing
 * @param dkim                 policy_evaluated dkim (pass, fail), empty when missing
 * @param spf                  policy_evaluated spf, empty when missing
 * @param headerFrom           header_from domain
 * @param envelopeFrom         envelope_from domain, or null
 * @param envelopeTo           envelope_to domain, or null
 * @param reasons              override reasons
 * @param dkimResults          DKIM auth results
 * @param spfResults           SPF auth results
 * @param sender               what is known about the source IP now
 * @param dkimAligned          our verdict
 * @param spfAligned           our verdict
 * @param dmarcPass            our verdict
 * @param verdictDisagrees     our verdict differs from the reporter's
 * @param classification       compliant, forwarded, misconfigured or threat
 * @param classificationReason why
 * @param partialReason        why its report could not be read to its end (the report is partial), or null
 * @param authenticity         the verdict on its report's origin (a search hit shows it beside the record)
 */
public record RecordRow(long id, long reportRef, String reporter, String reportId, String policyDomain, Instant begin,
                        Instant end, String sourceIp, long count, String disposition, String dkim, String spf,
                        String headerFrom, String envelopeFrom, String envelopeTo, List<PolicyOverrideReason> reasons,
                        List<DkimAuthResult> dkimResults, List<SpfAuthResult> spfResults, SenderInfo sender,
                        boolean dkimAligned, boolean spfAligned, boolean dmarcPass, boolean verdictDisagrees,
                        String classification, String classificationReason, String partialReason,
                        Authenticity authenticity) {

    /** Whether its report is stored as partial (cut off before its end). */
    public boolean isPartial() {
        return partialReason != null;
    }
}
