package io.dmarclens.alerts.rules;

import io.dmarclens.store.query.DailyTotals;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.SourceStats;
import io.dmarclens.store.query.Totals;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Messages classified as threats in the window reach a threshold. */
public final class SpoofingWave implements AlertRule {
    public static final String ID = "spoofing-wave";

    /**
     * @param minMessages threat messages in the window
     * @param cooldown    hold-back after a resolution
     */
    public record Settings(int minMessages, Duration cooldown) {
        public static Settings defaults() {
            return new Settings(500, Duration.ofHours(12));
        }
    }

    private final Settings settings;

    public SpoofingWave(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "Spoofing wave";
    }

    @Override
    public String why() {
        return "Somebody is sending mail in the domain's name from servers that are not its own: phishing or spam that"
                + " recipients see as coming from you. Under p=none, receivers deliver it.";
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
        return List.of(new Threshold("alerts.spoofing_wave.min_messages", String.valueOf(settings.minMessages()),
                "messages classified as threats in the window"));
    }

    @Override
    public Optional<Condition> check(String domain, RuleContext c) {
        Totals t = c.store().overview().totals(c.window(domain));
        if (t.threat() < settings.minMessages()) {
            return Optional.empty();
        }
        LocalDate since = c.today();
        for (DailyTotals d : c.store().overview().daily(c.window(domain))) {
            if (d.totals().threat() > 0 && d.day().isBefore(since)) {
                since = d.day();
            }
        }
        List<SourceStats> top = c.store().sources().failingSources(c.window(domain), Page.first(50)).stream()
                .filter(s -> "threat".equals(s.classification())).limit(10).toList();
        List<String> details = new ArrayList<>();
        List<Map<String, Object>> sources = new ArrayList<>();
        for (SourceStats s : top) {
            details.add(s.ip() + (s.country() == null ? "" : " (" + s.country() + ")") + ": "
                    + Words.count(s.dmarcFail()) + " messages failing DMARC");
            sources.add(Map.of("ip", s.ip(), "failing", s.dmarcFail()));
        }
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("window", Map.of("from", c.windowStart().toString(), "to", c.today().toString()));
        evidence.put("threat_messages", t.threat());
        evidence.put("messages", t.messages());
        evidence.put("rejected", t.dispositionReject());
        evidence.put("quarantined", t.dispositionQuarantine());
        evidence.put("top_sources", sources);
        String q = "domain:" + domain + " class:threat date:[" + c.windowStart() + " TO " + c.today() + "]";
        return Optional.of(new Condition(Words.count(t.threat()) + " spoofed messages",
                Words.count(t.threat()) + " messages in " + domain + "'s name came from sources that fail DMARC and are"
                        + " not known senders of the domain.",
                RuleContext.start(since), t.threat(),
                Words.count(t.threat()) + " threat messages of " + Words.count(t.messages()) + " (receivers rejected "
                        + Words.count(t.dispositionReject()) + ", quarantined " + Words.count(t.dispositionQuarantine()) + ")",
                "Check that the sources are not yours (the list below). If the policy is p=none, the spoofed mail is"
                        + " delivered: move to p=quarantine, then p=reject, once your own senders pass.",
                List.of(Links.page("Sources of " + domain + ", " + c.windowStart() + " to " + c.today(), "/sources", domain,
                                c.windowStart(), c.today()),
                        Links.search("Threat records of " + domain, q)),
                details, evidence));
    }
}
