package io.dmarclens.store.enrichment;

/**
 * What a sending source is, judged per record (rules in docs/classification.md):
 * <ul>
 *   <li>{@link #COMPLIANT}: DMARC passes;</li>
 *   <li>{@link #FORWARDED}: a forwarder or mailing list relayed the domain's mail (DKIM survived while
 *       SPF broke, an override reason says so, or the source is a known forwarding service);</li>
 *   <li>{@link #MISCONFIGURED}: a known legitimate service or the domain's own infrastructure failing
 *       alignment;</li>
 *   <li>{@link #THREAT}: fails both from an unknown source.</li>
 * </ul>
 */
public enum Classification {
    COMPLIANT, FORWARDED, MISCONFIGURED, THREAT;

    public String token() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
