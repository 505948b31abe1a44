package io.dmarclens.web.metrics;

import io.dmarclens.store.query.DomainQueries;
import io.dmarclens.store.query.PolicyImpact;
import io.dmarclens.store.query.ReportFilter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Messages and DMARC pass rate per policy domain over the last 24 hours of report days (yesterday and
 * today, UTC: reports arrive a day after the mail they count), read from the store's read model and served
 * from a cache. Domain names come from reports, that is from strangers: only the {@code limit} domains with
 * the most messages get a label of their own, the rest are summed under {@code domain="_other"}, so a
 * provider with 5,000 domains (or a forger inventing them) cannot grow the scrape beyond that.
 */
final class DomainGauges {
    static final String OTHER = "_other";

    private final DomainQueries domains;
    private final Clock clock;
    private final int limit;
    private final long refreshNanos;
    private final boolean excludeUnverified;
    private final MultiGauge messages;
    private final MultiGauge passRate;
    private final AtomicLong tracked = new AtomicLong();
    private final Timer refreshTime;
    private long refreshedAt;
    private boolean refreshed;

    DomainGauges(MeterRegistry registry, DomainQueries domains, Clock clock, int limit, Duration refresh,
                 boolean excludeUnverified) {
        this.domains = domains;
        this.clock = clock;
        this.limit = limit;
        this.refreshNanos = refresh.toNanos();
        this.excludeUnverified = excludeUnverified;
        this.messages = MultiGauge.builder("dmarclens.domain.messages")
                .description("Messages in aggregate reports of the last 24 hours (report days yesterday and today,"
                        + " UTC), per policy domain").baseUnit("messages").register(registry);
        this.passRate = MultiGauge.builder("dmarclens.domain.dmarc.pass.ratio")
                .description("Share of those messages that passed DMARC (0 to 1), per policy domain")
                .register(registry);
        Gauge.builder("dmarclens.domains", tracked, AtomicLong::get)
                .description("Policy domains with messages in the last 24 hours (labelled or not)").register(registry);
        this.refreshTime = Timer.builder("dmarclens.domain.gauges.refresh")
                .description("Time taken to read the per-domain gauges from the store").register(registry);
    }

    /** Reads the store again when the cache is older than its refresh interval; called before each scrape. */
    synchronized void refreshIfStale() {
        long now = System.nanoTime();
        if (refreshed && now - refreshedAt < refreshNanos) {
            return;
        }
        refreshTime.record(this::refresh);
        refreshedAt = System.nanoTime();
        refreshed = true;
    }

    private void refresh() {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        List<PolicyImpact> rows = new ArrayList<>(domains.policyImpact(
                ReportFilter.lastDays(2, today).excludingUnverified(excludeUnverified)));
        rows.sort(Comparator.comparingLong(PolicyImpact::messages).reversed().thenComparing(PolicyImpact::domain));
        List<MultiGauge.Row<?>> messageRows = new ArrayList<>();
        List<MultiGauge.Row<?>> rateRows = new ArrayList<>();
        long otherMessages = 0;
        long otherFailing = 0;
        for (int i = 0; i < rows.size(); i++) {
            PolicyImpact r = rows.get(i);
            if (i < limit) {
                messageRows.add(MultiGauge.Row.of(Tags.of("domain", r.domain()), r.messages()));
                if (r.messages() > 0) {
                    rateRows.add(MultiGauge.Row.of(Tags.of("domain", r.domain()), passRatio(r.messages(), r.failing())));
                }
            } else {
                otherMessages += r.messages();
                otherFailing += r.failing();
            }
        }
        if (rows.size() > limit) {
            messageRows.add(MultiGauge.Row.of(Tags.of("domain", OTHER), otherMessages));
            if (otherMessages > 0) {
                rateRows.add(MultiGauge.Row.of(Tags.of("domain", OTHER), passRatio(otherMessages, otherFailing)));
            }
        }
        messages.register(messageRows, true);
        passRate.register(rateRows, true);
        tracked.set(rows.size());
    }

    private static double passRatio(long messages, long failing) {
        return (messages - failing) / (double) messages;
    }
}
