package io.dmarclens.alerts.digest;

import io.dmarclens.posture.Readiness;
import io.dmarclens.store.alerts.Alert;
import io.dmarclens.store.query.DailyTotals;
import io.dmarclens.store.query.ForwardingSource;
import io.dmarclens.store.query.PolicyImpact;
import io.dmarclens.store.query.SourceStats;
import io.dmarclens.store.query.Totals;
import java.util.List;

/**
 * What one digest says, gathered from the store, the alert log and the posture check.
 *
 * @param scope       the policy domain, or {@code *} for all domains
 * @param period      the days covered
 * @param totals      the period's totals
 * @param previous    the previous period's totals
 * @param daily       the period's days (for the chart)
 * @param topFailing  the sources with the most messages failing DMARC, with their reasons
 * @param newSenders  sources seen in the period but not in the weeks before it
 * @param forwarders  forwarding sources
 * @param openAlerts  unresolved alerts of the scope
 * @param domains     per domain (the all-domains digest), else empty
 * @param readiness   policy readiness and its next step, or null when unknown (the all-domains digest)
 */
public record DigestData(String scope, DigestPeriod period, Totals totals, Totals previous, List<DailyTotals> daily,
                         List<SourceStats> topFailing, List<SourceStats> newSenders, List<ForwardingSource> forwarders,
                         List<Alert> openAlerts, List<PolicyImpact> domains, Readiness readiness) {
    public DigestData {
        daily = List.copyOf(daily);
        topFailing = List.copyOf(topFailing);
        newSenders = List.copyOf(newSenders);
        forwarders = List.copyOf(forwarders);
        openAlerts = List.copyOf(openAlerts);
        domains = List.copyOf(domains);
    }
}
