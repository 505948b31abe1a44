package io.dmarclens.alerts.rules;

import io.dmarclens.store.alerts.Notice.DashboardLink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An IMAP mailbox has been failing (no connection, or every round failing) for {@code after} or longer. */
public final class ImapFailing implements AlertRule {
    public static final String ID = "imap-failing";

    /**
     * @param after    how long a mailbox fails before the alert
     * @param cooldown hold-back after a resolution
     */
    public record Settings(Duration after, Duration cooldown) {
        public static Settings defaults() {
            return new Settings(Duration.ofMinutes(30), Duration.ofHours(1));
        }
    }

    private final Settings settings;
    private final IngestHealth ingest;

    public ImapFailing(Settings settings, IngestHealth ingest) {
        this.settings = settings;
        this.ingest = ingest;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "IMAP mailbox failing";
    }

    @Override
    public String why() {
        return "Reports sent to that mailbox are not read: they pile up there (until it is full and bounces them) and"
                + " are missing from every figure.";
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
        return List.of(new Threshold("alerts.imap_failing.after", Words.duration(settings.after()),
                "how long a mailbox fails before the alert"));
    }

    @Override
    public Optional<Condition> check(String domain, RuleContext c) {
        List<String> details = new ArrayList<>();
        Map<String, Object> evidence = new LinkedHashMap<>();
        Instant since = c.now();
        for (IngestHealth.Mailbox m : ingest.mailboxes()) {
            String key = ID + "/" + m.name();
            if (!m.failing()) {
                c.memory().put(key, "");
                continue;
            }
            Optional<String> saved = c.memory().get(key).filter(s -> !s.isBlank());
            Instant first = saved.map(s -> Instant.ofEpochMilli(Long.parseLong(s))).orElse(c.now());
            if (saved.isEmpty()) {
                c.memory().put(key, Long.toString(first.toEpochMilli()));
            }
            if (!first.plus(settings.after()).isAfter(c.now())) {
                details.add(m.name() + ": failing since " + first + (m.lastFailure() == null ? "" : ": " + m.lastFailure()));
                evidence.put(m.name(), Map.of("failing_since", first.toString(),
                        "last_failure", m.lastFailure() == null ? "" : m.lastFailure()));
                since = first.isBefore(since) ? first : since;
            }
        }
        if (details.isEmpty()) {
            return Optional.empty();
        }
        long minutes = Duration.between(since, c.now()).toMinutes();
        return Optional.of(new Condition(Words.plural(details.size(), "IMAP mailbox", "IMAP mailboxes") + " failing",
                Words.plural(details.size(), "IMAP mailbox has", "IMAP mailboxes have") + " been failing for "
                        + Words.count(minutes) + " minutes or more.",
                since, minutes, Words.count(minutes) + " minutes",
                "Check the account's host, port, user and password (or token), and whether the server is up; the"
                        + " Ingest page shows the last error. DMARC Lens keeps reconnecting with back-off.",
                List.of(new DashboardLink("Ingest page", "/ingest")), details, Map.of("mailboxes", evidence)));
    }
}
