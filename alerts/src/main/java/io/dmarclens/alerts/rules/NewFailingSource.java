package io.dmarclens.alerts.rules;

import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.SourceStats;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A source address (or named sender) never seen for the domain in the history before the window sends at
 * least {@code minMessages} messages failing DMARC in it.
 */
public final class NewFailingSource implements AlertRule {
    public static final String ID = "new-failing-source";

    /**
     * @param minMessages failing messages a new source must send in the window
     * @param historyDays days before the window in which a source counts as seen
     * @param cooldown    hold-back after a resolution
     */
    public record Settings(int minMessages, int historyDays, Duration cooldown) {
        public static Settings defaults() {
            return new Settings(20, 60, Duration.ofHours(12));
        }
    }

    private final Settings settings;

    public NewFailingSource(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "New failing source";
    }

    @Override
    public String why() {
        return "A server that never sent as this domain before and fails DMARC is either a new service someone set up"
                + " without SPF and DKIM (its mail will be quarantined or rejected once the policy enforces) or"
                + " somebody sending in the domain's name.";
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
        return List.of(new Threshold("alerts.new_failing_source.min_messages", String.valueOf(settings.minMessages()),
                        "failing messages from one new source in the window"),
                new Threshold("alerts.new_failing_source.history_days", String.valueOf(settings.historyDays()),
                        "days before the window in which a source counts as already seen"));
    }

    @Override
    public Optional<Condition> check(String domain, RuleContext c) {
        if (!c.hasHistory(domain)) {
            return Optional.empty();
        }
        LocalDate historyStart = c.windowStart().minusDays(settings.historyDays());
        Set<String> knownIps = new HashSet<>();
        Set<String> knownNames = new HashSet<>();
        c.store().sources().allSources(c.filter(domain, historyStart, c.baselineEnd()), s -> {
            knownIps.add(s.ip());
            if (s.senderName() != null) {
                knownNames.add(s.senderName());
            }
        });
        List<SourceStats> fresh = new ArrayList<>();
        for (SourceStats s : c.store().sources().failingSources(c.window(domain), Page.first(1000))) {
            if (s.dmarcFail() >= settings.minMessages() && !knownIps.contains(s.ip())
                    && (s.senderName() == null || !knownNames.contains(s.senderName()))) {
                fresh.add(s);
            }
        }
        if (fresh.isEmpty()) {
            return Optional.empty();
        }
        Set<String> freshIps = new HashSet<>();
        fresh.forEach(s -> freshIps.add(s.ip()));
        LocalDate since = c.today();
        for (LocalDate day = c.windowStart(); day.isBefore(since); day = day.plusDays(1)) {
            LocalDate d = day;
            boolean seen = c.store().sources().failingSources(c.filter(domain, d, d), Page.first(1000)).stream()
                    .anyMatch(s -> freshIps.contains(s.ip()));
            if (seen) {
                since = d;
            }
        }
        long failing = fresh.stream().mapToLong(SourceStats::dmarcFail).sum();
        List<String> details = new ArrayList<>();
        List<Map<String, Object>> sources = new ArrayList<>();
        for (SourceStats s : fresh) {
            if (details.size() == 10) {
                details.add("... and " + (fresh.size() - 10) + " more (see the evidence and the dashboard)");
            }
            if (details.size() <= 10) {
                details.add(s.ip() + describe(s) + ": " + Words.count(s.dmarcFail()) + " of " + Words.count(s.messages())
                    + " messages failing DMARC (" + (s.classification() == null ? "unclassified" : s.classification())
                    + (s.classificationReason() == null ? "" : ": " + s.classificationReason()) + ")");
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ip", s.ip());
            m.put("reverse_dns", s.reverseDns());
            m.put("sender", s.senderName());
            m.put("asn", s.asn());
            m.put("country", s.country());
            m.put("messages", s.messages());
            m.put("failing", s.dmarcFail());
            m.put("classification", s.classification());
            sources.add(m);
        }
        List<io.dmarclens.store.alerts.Notice.DashboardLink> links = new ArrayList<>();
        links.add(Links.page("Failing sources of " + domain + ", " + c.windowStart() + " to " + c.today(), "/sources",
                domain, c.windowStart(), c.today()));
        fresh.stream().limit(3).forEach(s -> links.add(Links.source(s.ip(), domain, c.windowStart(), c.today())));
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("window", Map.of("from", c.windowStart().toString(), "to", c.today().toString()));
        evidence.put("failing_messages", failing);
        evidence.put("sources", sources);
        String first = fresh.get(0).ip();
        String headline = fresh.size() == 1 ? "new source " + first + " failing DMARC"
                : Words.count(fresh.size()) + " new sources failing DMARC (" + first + ", ...)";
        return Optional.of(new Condition(headline,
                Words.plural(fresh.size(), "source", "sources") + " never seen for " + domain + " in the "
                        + settings.historyDays() + " days before sent mail as " + domain + " that fails DMARC.",
                RuleContext.start(since), failing,
                Words.count(failing) + " messages failing DMARC from " + Words.plural(fresh.size(), "new source", "new sources"),
                "Look the sources up (reverse DNS, AS, country). If one is a service of yours, authorise it: add it to"
                        + " the SPF record or have it sign with a DKIM key of " + domain + ". If nobody knows it, it is"
                        + " spoofing: move the policy towards p=reject once your own senders pass.",
                links, details, evidence));
    }

    private static String describe(SourceStats s) {
        List<String> parts = new ArrayList<>();
        if (s.senderName() != null) {
            parts.add(s.senderName());
        }
        if (s.reverseDns() != null) {
            parts.add(s.reverseDns());
        }
        if (s.asn() != null) {
            parts.add("AS" + s.asn() + (s.asName() == null ? "" : " " + s.asName()));
        }
        if (s.country() != null) {
            parts.add(s.country());
        }
        return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
    }
}
