package io.dmarclens.alerts.rules;

import io.dmarclens.store.query.DailyTotals;
import io.dmarclens.store.query.Totals;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The domain's DMARC pass rate in the window falls more than X points below its own baseline. */
public final class PassRateDrop implements AlertRule {
    public static final String ID = "pass-rate-drop";

    /**
     * @param points      percentage points below the baseline's pass rate
     * @param minMessages messages the window needs (a handful of messages says nothing)
     * @param cooldown    hold-back after a resolution
     */
    public record Settings(int points, int minMessages, Duration cooldown) {
        public static Settings defaults() {
            return new Settings(10, 100, Duration.ofHours(12));
        }
    }

    private final Settings settings;

    public PassRateDrop(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "Pass rate drop";
    }

    @Override
    public String why() {
        return "Less of the domain's mail passes DMARC than it usually does: a sender broke, or spoofing rose. Under an"
                + " enforcing policy, failing mail is quarantined or rejected.";
    }

    @Override
    public Scope scope() {
        return Scope.DOMAIN;
    }

    @Override
    public boolean afterCommits() {
        return true;
    }

    @Override
    public Duration cooldown() {
        return settings.cooldown();
    }

    @Override
    public List<Threshold> thresholds() {
        return List.of(new Threshold("alerts.pass_rate_drop.points", String.valueOf(settings.points()),
                        "percentage points below the domain's own baseline"),
                new Threshold("alerts.pass_rate_drop.min_messages", String.valueOf(settings.minMessages()),
                        "messages the window needs"));
    }

    @Override
    public Optional<Condition> check(String domain, RuleContext c) {
        List<DailyTotals> baseline = c.store().overview().daily(c.baseline(domain));
        if (baseline.size() < c.minHistoryDays()) {
            return Optional.empty();
        }
        long baseMessages = baseline.stream().mapToLong(d -> d.totals().messages()).sum();
        long basePass = baseline.stream().mapToLong(d -> d.totals().dmarcPass()).sum();
        Totals now = c.store().overview().totals(c.window(domain));
        if (baseMessages == 0 || now.messages() < settings.minMessages()) {
            return Optional.empty();
        }
        double baseRate = (double) basePass / baseMessages;
        double drop = (baseRate - now.passRate()) * 100;
        if (drop < settings.points()) {
            return Optional.empty();
        }
        LocalDate since = c.today();
        for (DailyTotals d : c.store().overview().daily(c.window(domain))) {
            if ((baseRate - d.totals().passRate()) * 100 >= settings.points() && d.day().isBefore(since)) {
                since = d.day();
            }
        }
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("window", Map.of("from", c.windowStart().toString(), "to", c.today().toString()));
        evidence.put("baseline", Map.of("from", c.baselineStart().toString(), "to", c.baselineEnd().toString()));
        evidence.put("baseline_pass_rate", Math.round(baseRate * 1000) / 1000.0);
        evidence.put("pass_rate", Math.round(now.passRate() * 1000) / 1000.0);
        evidence.put("drop_points", Math.round(drop * 10) / 10.0);
        evidence.put("messages", now.messages());
        evidence.put("failing", now.dmarcFail());
        evidence.put("threat", now.threat());
        evidence.put("misconfigured", now.misconfigured());
        evidence.put("forwarded", now.forwarded());
        return Optional.of(new Condition("DMARC pass rate down " + Words.points(drop) + " points",
                domain + "'s DMARC pass rate fell to " + Words.percent(now.passRate()) + " from "
                        + Words.percent(baseRate) + " over the " + baseline.size() + " days before.",
                RuleContext.start(since), Math.round(drop),
                Words.points(drop) + " points; " + Words.count(now.dmarcFail()) + " of " + Words.count(now.messages())
                        + " messages failing (threat " + Words.count(now.threat()) + ", misconfigured "
                        + Words.count(now.misconfigured()) + ", forwarded " + Words.count(now.forwarded()) + ")",
                "Open the failing sources of the window: a known sender at the top (misconfigured) needs its SPF or DKIM"
                        + " fixed; unknown sources (threat) are spoofing.",
                List.of(Links.page("Overview of " + domain + ", " + c.baselineStart() + " to " + c.today(), "/", domain,
                                c.baselineStart(), c.today()),
                        Links.page("Failing sources of " + domain + ", " + c.windowStart() + " to " + c.today(), "/sources",
                                domain, c.windowStart(), c.today())),
                List.of("baseline " + c.baselineStart() + " to " + c.baselineEnd() + ": " + Words.percent(baseRate)
                                + " of " + Words.count(baseMessages) + " messages passed",
                        "window " + c.windowStart() + " to " + c.today() + ": " + Words.percent(now.passRate()) + " of "
                                + Words.count(now.messages()) + " messages passed"),
                evidence));
    }
}
