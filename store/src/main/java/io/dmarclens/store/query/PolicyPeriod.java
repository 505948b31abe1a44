package io.dmarclens.store.query;

import java.time.Instant;

/**
 * A stretch of time over which most reporters saw the same published DMARC policy for a domain
 * (see {@link DomainQueries#policyHistory}).
 *
 * @param domain    policy domain
 * @param p         domain policy (none, quarantine, reject), or null when unreadable
 * @param sp        subdomain policy (p when not reported)
 * @param adkim     DKIM alignment mode (r or s; r when not reported)
 * @param aspf      SPF alignment mode (r when not reported)
 * @param pct       percentage (100 when not reported)
 * @param firstSeen begin of the first report that saw it
 * @param lastSeen  end of the last report that saw it
 * @param reports   reports that saw it
 * @param otherReports reports of the same days that saw another policy (a reporter behind a DNS change,
 *                     or one that sees something else)
 */
public record PolicyPeriod(String domain, String p, String sp, String adkim, String aspf, Integer pct,
                           Instant firstSeen, Instant lastSeen, long reports, long otherReports) {
    /** A policy as one report saw it, or a period without disagreeing reports. */
    public PolicyPeriod(String domain, String p, String sp, String adkim, String aspf, Integer pct, Instant firstSeen,
                        Instant lastSeen, long reports) {
        this(domain, p, sp, adkim, aspf, pct, firstSeen, lastSeen, reports, 0);
    }
}
