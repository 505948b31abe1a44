package io.dmarclens.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.alerts.rules.IngestHealth;
import io.dmarclens.alerts.state.AlertEngine;
import io.dmarclens.demo.DemoDataGenerator;
import io.dmarclens.index.EmbeddedStore;
import io.dmarclens.index.alerts.SqliteAlerts;
import io.dmarclens.ingest.enrich.EnrichmentSettings;
import io.dmarclens.ingest.pipeline.ImportException;
import io.dmarclens.ingest.pipeline.PipelineSetup;
import io.dmarclens.parser.ReportParser;
import io.dmarclens.store.CommitMode;
import io.dmarclens.store.alerts.Alert;
import io.dmarclens.store.alerts.AlertQuery;
import io.dmarclens.store.alerts.AlertState;
import io.dmarclens.store.alerts.Notice;
import io.dmarclens.store.alerts.Outbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Walks through 90 days of the demo world's reports, a day's reports arriving the next morning, with the
 * clock moved day by day: each story the demo tells raises its alert exactly once (through the store's
 * commit listener), the alert stays one alert while it lasts, and resolves by itself once, with exactly
 * one notice for each.
 */
class AlertsWalkThroughTest {
    static final LocalDate END = LocalDate.of(2026, 3, 31);
    static final int DAYS = 90;
    static final long SEED = 42;

    @TempDir
    Path dir;

    @Test
    void eachStoryOfTheDemoRaisesItsAlertOnceAndResolves() throws IOException {
        MovableClock clock = new MovableClock(END.minusDays(DAYS).atTime(6, 0).toInstant(ZoneOffset.UTC));
        AlertSettings settings = AlertSettings.defaults();
        DemoDataGenerator generator = new DemoDataGenerator();
        try (EmbeddedStore store = EmbeddedStore.open(dir.resolve("data"), clock);
             SqliteAlerts alerts = SqliteAlerts.open(dir)) {
            AlertEngine engine = new AlertEngine(store, alerts.log(), settings.rules(null, IngestHealth.none()), settings,
                    false, clock);
            store.addCommitListener(engine.commitListener());
            EnrichmentSettings offline = new EnrichmentSettings(true, null, List.of(), null, List.of());
            try (PipelineSetup setup = PipelineSetup.open(store, new ReportParser()::parse, offline, CommitMode.GROUPED,
                    clock)) {
                for (LocalDate day = END.minusDays(DAYS - 1L); !day.isAfter(END); day = day.plusDays(1)) {
                    // the day's reports arrive the next morning, as one committed run
                    clock.set(day.plusDays(1).atTime(6, 0).toInstant(ZoneOffset.UTC));
                    generator.generateDay(day, END, SEED, r -> {
                        try {
                            setup.pipeline().importBytes("demo", r.fileName(), r.content());
                        } catch (ImportException e) {
                            throw new UncheckedIOException(new IOException(e.getMessage(), e));
                        }
                    });
                    store.flush();
                    // and the schedule runs later that day
                    clock.set(day.plusDays(1).atTime(12, 0).toInstant(ZoneOffset.UTC));
                    engine.evaluateAll();
                }
            }
            List<Alert> all = alerts.log().alerts(AlertQuery.all(1000));
            Map<String, List<Alert>> byRuleAndDomain = all.stream().collect(Collectors.groupingBy(
                    a -> a.rule() + " " + a.domain(), TreeMap::new, Collectors.toList()));
            StringBuilder seen = new StringBuilder();
            all.forEach(a -> seen.append(a.rule()).append(' ').append(a.domain()).append(' ').append(a.state())
                    .append(" since ").append(a.since()).append(" opened ").append(a.openedAt()).append(" resolved ")
                    .append(a.resolvedAt()).append(" x").append(a.evaluations()).append(": ").append(a.summary()).append('\n'));
            System.out.println(seen);
            assertEquals(List.of("new-failing-source example.com", "pass-rate-drop example.com",
                            "policy-changed example.com", "reporter-silent example.com", "reporter-silent example.org",
                            "sender-broke example.org", "spoofing-wave example.com", "tls-failures example.org"),
                    List.copyOf(byRuleAndDomain.keySet()), seen.toString());
            byRuleAndDomain.forEach((key, list) -> {
                assertEquals(1, list.size(), key + " fired more than once:\n" + seen);
                assertEquals(AlertState.RESOLVED, list.get(0).state(), key + " did not resolve:\n" + seen);
                assertTrue(list.get(0).evaluations() > 1, key + " was not grouped: " + list.get(0));
            });
            Alert broke = byRuleAndDomain.get("sender-broke example.org").get(0);
            assertTrue(broke.evidence().contains("\"changed\":[\"spf alignment\",\"dkim alignment\",\"dkim selector\"]"),
                    "names what changed: " + broke.evidence());
            assertTrue(broke.evidence().contains("\"selectors_before\":[\"mail\"],\"selectors_now\":[\"mail2\"]"),
                    broke.evidence());
            // the own server was broken on END-50 to END-48: the alert holds until the day after, then resolves
            assertEquals(END.minusDays(50).atStartOfDay(ZoneOffset.UTC).toInstant(), broke.since());
            assertEquals(END.minusDays(46).atTime(12, 0).toInstant(ZoneOffset.UTC), broke.resolvedAt());

            List<Outbox.QueuedNotice> queued = alerts.outbox().recent(1000);
            Notice opened = queued.stream().map(Outbox.QueuedNotice::notice)
                    .filter(n -> n.alertId() == broke.id() && n.kind() == Notice.Kind.OPENED).findFirst().orElseThrow();
            assertEquals("[DMARC Lens] example.org: Sender broke: 192.0.2.25 fails DMARC", opened.subject());
            for (String part : List.of("What happened: ", "Since: 2026-02-09T00:00:00Z", "How much: ", "Why it matters: ",
                    "What to do: ", "SPF alignment (", "DKIM alignment (", "DKIM selector (mail before, mail2 now)",
                    "/sources/192.0.2.25?range=custom&from=2026-02-02&to=2026-02-10&domain=example.org")) {
                assertTrue(opened.text().contains(part), part + " missing from:\n" + opened.text());
            }
            assertTrue(opened.json().startsWith("{\"event\":\"alert.opened\",\"alert_id\":" + broke.id() + ","),
                    opened.json());
            // the texts and payloads, for docs/alerts.md's examples
            Path examples = Path.of("target", "alert-examples");
            java.nio.file.Files.createDirectories(examples);
            for (Outbox.QueuedNotice q : queued) {
                String name = q.notice().rule() + "-" + q.notice().domain() + "-" + q.notice().kind().name().toLowerCase();
                java.nio.file.Files.writeString(examples.resolve(name + ".txt"), q.notice().subject() + "\n\n" + q.notice().text());
                java.nio.file.Files.writeString(examples.resolve(name + ".json"), q.notice().json());
            }
            for (Alert a : all) {
                List<Notice.Kind> kinds = queued.stream().filter(q -> q.notice().alertId() == a.id())
                        .map(q -> q.notice().kind()).sorted().toList();
                assertEquals(List.of(Notice.Kind.OPENED, Notice.Kind.RESOLVED), kinds, a.rule() + " " + a.domain());
            }
        }
    }
}
