package io.dmarclens.parser.aggregate;

import java.util.List;

/**
 * One {@code <record>}: a source IP with a message count, what the receiver evaluated, the identifiers
 * and the raw authentication results.
 *
 * @param index        0-based position in the report, for warnings and references
 * @param sourceIp     the source address as written (trimmed), empty when missing
 * @param count        messages from this source with these results
 * @param disposition  applied disposition, or null when missing or unreadable
 * @param dkim         DMARC-evaluated DKIM result, or null when missing
 * @param spf          DMARC-evaluated SPF result, or null when missing
 * @param reasons      policy override reasons
 * @param headerFrom   RFC5322.From domain
 * @param envelopeFrom RFC5321.MailFrom domain, or null when absent
 * @param envelopeTo   envelope recipient domain, or null when absent
 * @param dkimResults  every DKIM signature result
 * @param spfResults   every SPF result
 */
public record AggregateRecord(int index, String sourceIp, long count, Disposition disposition,
                              DmarcResult dkim, DmarcResult spf, List<PolicyOverrideReason> reasons,
                              String headerFrom, String envelopeFrom, String envelopeTo,
                              List<DkimAuthResult> dkimResults, List<SpfAuthResult> spfResults) {
    public AggregateRecord {
        reasons = List.copyOf(reasons);
        dkimResults = List.copyOf(dkimResults);
        spfResults = List.copyOf(spfResults);
    }
}
