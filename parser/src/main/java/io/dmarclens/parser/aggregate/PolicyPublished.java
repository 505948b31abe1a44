package io.dmarclens.parser.aggregate;

/**
 * {@code policy_published}: the DMARC record the receiver found, with the RFC defaults filled in
 * (adkim and aspf relaxed, sp = p, np = sp, fo "0", testing "n" when absent).
 *
 * @param domain          the DMARC policy domain
 * @param p               the domain policy, or null when missing or unreadable
 * @param sp              the subdomain policy
 * @param np              the non-existent subdomain policy (RFC 9989)
 * @param adkim           DKIM alignment mode
 * @param aspf            SPF alignment mode
 * @param pct             the sampling percentage (RFC 7489), or null when not reported
 * @param fo              failure reporting options
 * @param testing         RFC 9989 {@code t} tag: "y" or "n"
 * @param discoveryMethod RFC 9990 {@code psl} or {@code treewalk}, or null when not reported
 */
public record PolicyPublished(String domain, Disposition p, Disposition sp, Disposition np,
                              Alignment adkim, Alignment aspf, Integer pct, String fo, String testing,
                              String discoveryMethod) {
}
