package io.dmarclens.store.enrichment;

/**
 * What DMARC Lens itself works out for one aggregate record, stored beside the reporter's own words.
 *
 * @param sender               who the source is
 * @param dkimAligned          a DKIM signature passed with a domain aligned to header_from (adkim mode)
 * @param spfAligned           SPF passed for a domain aligned to header_from (aspf mode)
 * @param dmarcPass            {@code dkimAligned || spfAligned}
 * @param verdictDisagrees     our alignment differs from the reporter's policy_evaluated dkim/spf
 * @param classification       compliant, forwarded, misconfigured or threat
 * @param classificationReason the rule that decided it, in words for the user
 */
public record RecordEnrichment(SenderInfo sender, boolean dkimAligned, boolean spfAligned, boolean dmarcPass,
                               boolean verdictDisagrees, Classification classification,
                               String classificationReason) {
}
