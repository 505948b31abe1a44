package io.dmarclens.alerts.rules;

import io.dmarclens.store.alerts.Notice.DashboardLink;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The quarantine grew by {@code minMessages} or more over the last period: mail that holds no readable report. */
public final class QuarantineGrowing implements AlertRule {
    public static final String ID = "quarantine-growing";

    /**
     * @param minMessages messages added to the quarantine in one period
     * @param period      the period compared
     * @param cooldown    hold-back after a resolution
     */
    public record Settings(int minMessages, Duration period, Duration cooldown) {
        public static Settings defaults() {
            return new Settings(5, Duration.ofHours(1), Duration.ofHours(6));
        }
    }

    private final Settings settings;
    private final IngestHealth ingest;

    public QuarantineGrowing(Settings settings, IngestHealth ingest) {
        this.settings = settings;
        this.ingest = ingest;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "Quarantine growing";
    }

    @Override
    public String why() {
        return "Quarantined mail held no report DMARC Lens could read: a reporter changed its format, a mailbox"
                + " receives other mail, or reports are being cut off. Their data is missing from every figure.";
    }

    @Override
    public Scope scope() {
        return Scope.SERVICE;
    }

    @Override
    public boolean afterCommits() {
        return false;
    }

    @Override
    public Duration cooldown() {
        return settings.cooldown();
    }

    @Override
    public List<Threshold> thresholds() {
        return List.of(new Threshold("alerts.quarantine_growing.min_messages", String.valueOf(settings.minMessages()),
                        "messages added to the quarantine in one period"),
                new Threshold("alerts.quarantine_growing.period", Words.duration(settings.period()), "the period"));
    }

    @Override
    public Optional<Condition> check(String domain, RuleContext c) {
        long now = ingest.quarantined();
        long g = GrowingCount.growth(c.memory(), ID, now, c.now(), settings.period());
        if (g < settings.minMessages()) {
            return Optional.empty();
        }
        return Optional.of(new Condition(Words.count(g) + " messages quarantined in " + Words.duration(settings.period()),
                Words.count(g) + " messages went to the quarantine within " + Words.duration(settings.period())
                        + "; it holds " + Words.count(now) + " now.",
                c.now().minus(settings.period()), g, Words.count(g) + " new, " + Words.count(now) + " in all",
                "Open the quarantine on the Ingest page: each entry says why it could not be read. Retry them after an"
                        + " upgrade, or stop the mail that is not reports from reaching the report address.",
                List.of(new DashboardLink("Quarantine (Ingest page)", "/ingest")),
                List.of(), Map.of("added", g, "quarantined", now, "period", Words.duration(settings.period()))));
    }
}
