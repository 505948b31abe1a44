package io.dmarclens.alerts.rules;

import io.dmarclens.store.query.PolicyPeriod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The policy that reports saw published changed (p, sp, pct, adkim, aspf). The alert stays open for
 * {@code days} days after the change began, then resolves by itself; a second change meanwhile updates it.
 */
public final class PolicyChanged implements AlertRule {
    public static final String ID = "policy-changed";

    /**
     * @param days     days the alert stays open after the change
     * @param cooldown hold-back after a resolution
     */
    public record Settings(int days, Duration cooldown) {
        public static Settings defaults() {
            return new Settings(3, Duration.ZERO);
        }
    }

    private final Settings settings;

    public PolicyChanged(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "Policy changed";
    }

    @Override
    public String why() {
        return "What receivers do with failing mail follows the published policy. A change nobody planned (a DNS edit,"
                + " a provider's default) can start rejecting legitimate mail, or stop protecting the domain.";
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
        return List.of(new Threshold("alerts.policy_changed.days", String.valueOf(settings.days()),
                "days the alert stays open after the change"));
    }

    @Override
    public Optional<Condition> check(String domain, RuleContext c) {
        List<PolicyPeriod> history = c.store().domains().policyHistory(domain, c.excludeUnverified());
        if (history.size() < 2) {
            return Optional.empty();
        }
        PolicyPeriod now = history.get(history.size() - 1);
        PolicyPeriod was = history.get(history.size() - 2);
        if (now.firstSeen().plus(Duration.ofDays(settings.days())).isBefore(c.now())) {
            return Optional.empty();
        }
        List<String> changed = new ArrayList<>();
        Map<String, Object> changes = new LinkedHashMap<>();
        compare("p", was.p(), now.p(), changed, changes);
        compare("sp", was.sp(), now.sp(), changed, changes);
        compare("pct", was.pct(), now.pct(), changed, changes);
        compare("adkim", was.adkim(), now.adkim(), changed, changes);
        compare("aspf", was.aspf(), now.aspf(), changed, changes);
        if (changed.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("changes", changes);
        evidence.put("first_seen", now.firstSeen().toString());
        evidence.put("reports", now.reports());
        evidence.put("other_reports", now.otherReports());
        String list = String.join(", ", changed);
        return Optional.of(new Condition(list,
                "Reports about " + domain + " show a new published DMARC policy since " + now.firstSeen() + ": " + list
                        + ".",
                now.firstSeen(), changed.size(), Words.plural(changed.size(), "tag", "tags") + " changed, seen by "
                        + Words.plural(now.reports(), "report", "reports")
                        + (now.otherReports() > 0 ? " (" + now.otherReports() + " reports of those days still saw another policy)" : ""),
                "If the change was planned, acknowledge this alert. If not, check the _dmarc." + domain + " TXT record"
                        + " and who changed it. Before p=quarantine or p=reject, check on the Domains page what the"
                        + " stricter policy would do to legitimate mail.",
                List.of(Links.page("Policy history of " + domain, "/domains", domain,
                                now.firstSeen().atZone(java.time.ZoneOffset.UTC).toLocalDate().minusDays(14), c.today()),
                        new io.dmarclens.store.alerts.Notice.DashboardLink("Posture of " + domain,
                                "/posture?domain=" + Links.enc(domain))),
                List.of(was.p() + "/" + was.sp() + " pct=" + was.pct() + " adkim=" + was.adkim() + " aspf=" + was.aspf()
                        + " until " + was.lastSeen() + ", then " + now.p() + "/" + now.sp() + " pct=" + now.pct()
                        + " adkim=" + now.adkim() + " aspf=" + now.aspf()),
                evidence));
    }

    private static void compare(String tag, Object was, Object now, List<String> changed, Map<String, Object> changes) {
        if (!Objects.equals(was, now)) {
            changed.add(tag + " " + was + " \u2192 " + now);
            changes.put(tag, Map.of("was", String.valueOf(was), "now", String.valueOf(now)));
        }
    }
}
