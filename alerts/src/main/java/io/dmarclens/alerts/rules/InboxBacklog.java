package io.dmarclens.alerts.rules;

import io.dmarclens.store.alerts.Notice.DashboardLink;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The inbox backlog (accepted, not yet processed) grew by {@code minMessages} or more over the last period. */
public final class InboxBacklog implements AlertRule {
    public static final String ID = "inbox-backlog";

    /**
     * @param minMessages growth of the backlog in one period
     * @param period      the period compared
     * @param cooldown    hold-back after a resolution
     */
    public record Settings(int minMessages, Duration period, Duration cooldown) {
        public static Settings defaults() {
            return new Settings(500, Duration.ofMinutes(30), Duration.ofHours(6));
        }
    }

    private final Settings settings;
    private final IngestHealth ingest;

    public InboxBacklog(Settings settings, IngestHealth ingest) {
        this.settings = settings;
        this.ingest = ingest;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "Inbox backlog growing";
    }

    @Override
    public String why() {
        return "Received reports wait in the inbox instead of being stored: the store is slow or failing, or a worker"
                + " stopped. Nothing is lost, but the dashboard and the other alerts fall behind.";
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
        return List.of(new Threshold("alerts.inbox_backlog.min_messages", String.valueOf(settings.minMessages()),
                        "growth of the backlog in one period"),
                new Threshold("alerts.inbox_backlog.period", Words.duration(settings.period()), "the period"));
    }

    @Override
    public Optional<Condition> check(String domain, RuleContext c) {
        long now = ingest.backlog();
        long g = GrowingCount.growth(c.memory(), ID, now, c.now(), settings.period());
        if (g < settings.minMessages()) {
            return Optional.empty();
        }
        return Optional.of(new Condition(Words.count(now) + " messages waiting in the inbox",
                "The inbox backlog grew by " + Words.count(g) + " messages within " + Words.duration(settings.period())
                        + " to " + Words.count(now) + ".",
                c.now().minus(settings.period()), now, Words.count(now) + " waiting, " + Words.count(g) + " more than "
                        + Words.duration(settings.period()) + " before",
                "Check the Ingest page and the log for store errors (disk full, database locked) and that the inbox"
                        + " workers run; /ready says why DMARC Lens cannot process.",
                List.of(new DashboardLink("Ingest page", "/ingest")),
                List.of(), Map.of("backlog", now, "growth", g, "period", Words.duration(settings.period()))));
    }
}
