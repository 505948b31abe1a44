package io.dmarclens.store.query;

/**
 * One sending source over a filter, with what enrichment knows about it.
 *
 * @param ip                   source IP
 * @param reverseDns           PTR name, or null
 * @param baseDomain           organisational domain of the PTR name, or null
 * @param senderName           known service, or null
 * @param senderType           service type, or null
 * @param asn                  AS number, or null
 * @param asName               AS organisation, or null
 * @param country              ISO country code, or null
 * @param messages             messages reported
 * @param dmarcPass            messages passing DMARC (our verdict)
 * @param spfAligned           messages with aligned SPF pass
 * @param dkimAligned          messages with aligned DKIM pass
 * @param classification       the classification covering most of its messages (compliant, ...)
 * @param classificationReason the reason of its latest record with that classification, or null
 */
public record SourceStats(String ip, String reverseDns, String baseDomain, String senderName, String senderType,
                          Long asn, String asName, String country, long messages, long dmarcPass, long spfAligned,
                          long dkimAligned, String classification, String classificationReason) {
    /** Messages failing DMARC. */
    public long dmarcFail() {
        return messages - dmarcPass;
    }

    /** Share passing DMARC, 0 to 1. */
    public double passRate() {
        return messages == 0 ? 0 : (double) dmarcPass / messages;
    }
}
