package io.dmarclens.alerts.digest;

import io.dmarclens.posture.Readiness;
import io.dmarclens.store.Store;
import io.dmarclens.store.alerts.Alert;
import io.dmarclens.store.alerts.AlertLog;
import io.dmarclens.store.alerts.AlertQuery;
import io.dmarclens.store.alerts.AlertState;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.PolicyImpact;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.SourceStats;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** Gathers a digest's figures from the read models (so it works on either store). */
public final class DigestCollector {
    /** A new sender is one not seen in this many days before the period. */
    static final int NEW_SENDER_LOOKBACK_DAYS = 28;
    static final int TOP = 5;

    private final Store store;
    private final AlertLog alerts;
    private final Function<String, Optional<Readiness>> readiness;
    private final boolean excludeUnverified;

    /**
     * @param store             the reports
     * @param alerts            the alert log (open alerts)
     * @param readiness         a domain's policy readiness (the posture module's check), empty when unknown
     * @param excludeUnverified leave reports of unverified origin out, as the dashboard's figures do
     */
    public DigestCollector(Store store, AlertLog alerts, Function<String, Optional<Readiness>> readiness,
                           boolean excludeUnverified) {
        this.store = store;
        this.alerts = alerts;
        this.readiness = readiness;
        this.excludeUnverified = excludeUnverified;
    }

    /** The policy domains with reports in the period, by messages. */
    public List<PolicyImpact> domains(DigestPeriod period) {
        List<PolicyImpact> out = new ArrayList<>(store.domains().policyImpact(filter(AlertLog.ALL_DOMAINS, period)));
        out.sort(Comparator.comparingLong(PolicyImpact::messages).reversed().thenComparing(PolicyImpact::domain));
        return out;
    }

    /** The digest of one domain, or of all domains for {@link AlertLog#ALL_DOMAINS}. */
    public DigestData collect(String scope, DigestPeriod period) {
        boolean all = AlertLog.ALL_DOMAINS.equals(scope);
        ReportFilter now = filter(scope, period);
        ReportFilter before = filter(scope, new DigestPeriod(period.from().minusDays(NEW_SENDER_LOOKBACK_DAYS),
                period.from().minusDays(1)));
        Set<String> seenBefore = new HashSet<>();
        store.sources().allSources(before, s -> seenBefore.add(s.ip()));
        List<SourceStats> fresh = new ArrayList<>();
        store.sources().allSources(now, s -> {
            if (!seenBefore.contains(s.ip())) {
                fresh.add(s);
            }
        });
        fresh.sort(Comparator.comparingLong(SourceStats::messages).reversed().thenComparing(SourceStats::ip));
        List<Alert> open = alerts.alerts(new AlertQuery(EnumSet.of(AlertState.OPEN, AlertState.ACKNOWLEDGED),
                all ? null : scope, null, 0, 50));
        return new DigestData(scope, period, store.overview().totals(now), store.overview().totals(filter(scope,
                period.previous())), store.overview().daily(now), store.sources().failingSources(now, Page.first(TOP)),
                fresh.subList(0, Math.min(TOP * 2, fresh.size())),
                store.forwarding().forwardingSources(now, Page.first(TOP)), open,
                all ? domains(period) : List.of(), all ? null : readiness.apply(scope).orElse(null));
    }

    private ReportFilter filter(String scope, DigestPeriod p) {
        return new ReportFilter(p.from(), p.to(), AlertLog.ALL_DOMAINS.equals(scope) ? Set.of() : Set.of(scope),
                Set.of(), excludeUnverified);
    }
}
