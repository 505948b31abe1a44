package io.dmarclens.store.enrichment;

/**
 * Who a source IP is, as far as enrichment knows; every field may be null when unknown.
 *
 * @param reverseDns  PTR name (null until resolved, or when none)
 * @param baseDomain  organisational domain of the PTR name (public suffix list)
 * @param country     ISO 3166 country code from the MMDB file
 * @param asn         autonomous system number
 * @param asName      autonomous system organisation
 * @param senderName  known service name, e.g. "Google", "Microsoft 365", "Amazon SES"
 * @param senderType  known service type, e.g. "Email provider", "ESP", "Forwarder", "Mailing list"
 */
public record SenderInfo(String reverseDns, String baseDomain, String country, Long asn, String asName,
                         String senderName, String senderType) {
    public static final SenderInfo UNKNOWN = new SenderInfo(null, null, null, null, null, null, null);
}
