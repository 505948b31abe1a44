package io.dmarclens.alerts.rules;

import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.ReporterStats;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A reporter that sent reports on most days of the baseline has sent none for {@code days} days: a broken rua
 * address, a full or lost mailbox, a reporter's outage.
 */
public final class ReporterSilent implements AlertRule {
    public static final String ID = "reporter-silent";

    /**
     * @param days       days without a report
     * @param activeDays days of the 14 before the silence the reporter must have covered
     * @param cooldown   hold-back after a resolution
     */
    public record Settings(int days, int activeDays, Duration cooldown) {
        public static Settings defaults() {
            return new Settings(2, 10, Duration.ofHours(12));
        }
    }

    private static final int LOOK_BACK = 14;
    private final Settings settings;

    public ReporterSilent(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "Reporter silent";
    }

    @Override
    public String why() {
        return "Reports are how you see the domain's mail. A big reporter going quiet hides what it sees, and often"
                + " means the rua address or the mailbox that receives reports broke.";
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
        return List.of(new Threshold("alerts.reporter_silent.days", String.valueOf(settings.days()),
                        "days without a report from the reporter"),
                new Threshold("alerts.reporter_silent.active_days", String.valueOf(settings.activeDays()),
                        "days of the 14 before with reports, to count as a regular reporter"));
    }

    @Override
    public Optional<Condition> check(String domain, RuleContext c) {
        LocalDate silentFrom = c.today().minusDays(settings.days());
        LocalDate activeFrom = silentFrom.minusDays(LOOK_BACK);
        List<ReporterStats> regular = c.store().reporters()
                .reporters(c.filter(domain, activeFrom, silentFrom.minusDays(1)), Page.first(500)).stream()
                .filter(r -> r.daysCovered() >= settings.activeDays()).toList();
        if (regular.isEmpty()) {
            return Optional.empty();
        }
        Map<String, ReporterStats> latest = new LinkedHashMap<>();
        c.store().reporters().reporters(c.filter(domain, activeFrom, c.today()), Page.first(500))
                .forEach(r -> latest.put(r.reporter(), r));
        List<ReporterStats> silent = new ArrayList<>();
        for (ReporterStats r : regular) {
            ReporterStats now = latest.get(r.reporter());
            // lastSeen is the end of its latest report's range: silent when that is days behind now.
            if (now == null || now.lastSeen().plus(Duration.ofDays(settings.days())).isBefore(c.now())) {
                silent.add(now == null ? r : now);
            }
        }
        if (silent.isEmpty()) {
            return Optional.empty();
        }
        List<String> details = new ArrayList<>();
        List<Map<String, Object>> reporters = new ArrayList<>();
        long maxDays = 0;
        for (ReporterStats r : silent) {
            long days = Duration.between(r.lastSeen(), c.now()).toDays();
            maxDays = Math.max(maxDays, days);
            details.add(r.reporter() + ": last report ended " + r.lastSeen() + " (" + Words.plural(days, "day", "days")
                    + " ago); it had reported on " + r.daysCovered() + " days before");
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("reporter", r.reporter());
            m.put("last_seen", r.lastSeen().toString());
            m.put("days_silent", days);
            m.put("messages_before", r.messages());
            reporters.add(m);
        }
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("reporters", reporters);
        String first = silent.get(0).reporter();
        return Optional.of(new Condition(first + " sent no reports for " + Words.plural(maxDays, "day", "days"),
                (silent.size() == 1 ? first + ", which reported on " + domain + " almost every day, has"
                        : Words.count(silent.size()) + " reporters that reported on " + domain + " almost every day have")
                        + " sent no report for " + domain + " since " + silent.get(0).lastSeen() + ".",
                silent.get(0).lastSeen(), maxDays, Words.plural(maxDays, "day", "days") + " without reports from "
                        + Words.plural(silent.size(), "reporter", "reporters"),
                "Check the rua address in the DMARC record of " + domain + " (Posture page), that the mailbox receiving"
                        + " reports is not full, and the Ingest page for quarantined or refused mail. A reporter's own"
                        + " outage ends by itself; the alert resolves when its reports arrive again.",
                List.of(Links.page("Reporters of " + domain + ", " + activeFrom + " to " + c.today(), "/reporters", domain,
                                activeFrom, c.today()),
                        new io.dmarclens.store.alerts.Notice.DashboardLink("Ingest log", "/ingest")),
                details, evidence));
    }
}
