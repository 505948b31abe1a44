package io.dmarclens.store.query;

/**
 * What a stricter policy would do to a domain's mail over a filter: every message failing DMARC (our
 * verdict) would be quarantined under p=quarantine or rejected under p=reject (pct=100), split by
 * classification so that collateral damage (forwarded, misconfigured) shows beside the threats stopped.
 *
 * @param domain              policy domain
 * @param currentPolicy       p of the latest report, or null
 * @param messages            all messages
 * @param failing             messages failing DMARC: would be quarantined or rejected
 * @param failingForwarded    of those, forwarded mail
 * @param failingMisconfigured of those, legitimate but misconfigured mail
 * @param failingThreat       of those, threats
 * @param alreadyQuarantined  failing messages receivers already quarantined
 * @param alreadyRejected     failing messages receivers already rejected
 */
public record PolicyImpact(String domain, String currentPolicy, long messages, long failing, long failingForwarded,
                           long failingMisconfigured, long failingThreat, long alreadyQuarantined,
                           long alreadyRejected) {
}
