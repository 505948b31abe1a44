package io.dmarclens.alerts.digest;

import io.dmarclens.posture.DmarcRecordParser;
import io.dmarclens.posture.PostureChecker;
import io.dmarclens.posture.PostureReport;
import io.dmarclens.posture.PostureService;
import io.dmarclens.posture.Readiness;
import io.dmarclens.posture.ReadinessAdvisor;
import io.dmarclens.posture.StorePostureData;
import io.dmarclens.store.Store;
import io.dmarclens.store.query.PolicyPeriod;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A domain's policy readiness for its digest: the posture check's (DNS and reports) when DNS may be asked;
 * offline, the same advice from the reports alone, taking the policy the reports saw published as the
 * record.
 */
public final class DigestReadiness implements Function<String, Optional<Readiness>> {
    private final Store store;
    private final PostureService posture;
    private final boolean excludeUnverified;
    private final Clock clock;

    /**
     * @param posture the posture checks, or null to use the reports alone
     */
    public DigestReadiness(Store store, PostureService posture, boolean excludeUnverified, Clock clock) {
        this.store = store;
        this.posture = posture;
        this.excludeUnverified = excludeUnverified;
        this.clock = clock;
    }

    @Override
    public Optional<Readiness> apply(String domain) {
        if (posture != null && !posture.offline()) {
            Optional<Readiness> checked = posture.check(domain, false).map(PostureReport::readiness);
            if (checked.isPresent()) {
                return checked;
            }
        }
        List<PolicyPeriod> history = store.domains().policyHistory(domain, excludeUnverified);
        if (history.isEmpty()) {
            return Optional.empty();
        }
        PolicyPeriod seen = history.get(history.size() - 1);
        StringBuilder record = new StringBuilder("v=DMARC1; p=").append(seen.p() == null ? "none" : seen.p());
        if (seen.sp() != null) {
            record.append("; sp=").append(seen.sp());
        }
        if (seen.pct() != null) {
            record.append("; pct=").append(seen.pct());
        }
        if (seen.adkim() != null) {
            record.append("; adkim=").append(seen.adkim());
        }
        if (seen.aspf() != null) {
            record.append("; aspf=").append(seen.aspf());
        }
        LocalDate to = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate from = to.minusDays(PostureChecker.READINESS_DAYS - 1L);
        return Optional.of(new ReadinessAdvisor().advise(domain, PostureChecker.READINESS_DAYS,
                new StorePostureData(store.sources(), excludeUnverified).sources(domain, from, to),
                List.of(new DmarcRecordParser().parse(record.toString()))));
    }
}
