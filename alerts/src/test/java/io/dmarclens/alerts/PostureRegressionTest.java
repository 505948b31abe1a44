package io.dmarclens.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.alerts.rules.AlertRule;
import io.dmarclens.alerts.rules.IngestHealth;
import io.dmarclens.alerts.rules.PostureRegression;
import io.dmarclens.alerts.state.AlertEngine;
import io.dmarclens.index.EmbeddedStore;
import io.dmarclens.index.alerts.SqliteAlerts;
import io.dmarclens.posture.PostureService;
import io.dmarclens.store.alerts.Alert;
import io.dmarclens.store.alerts.AlertQuery;
import io.dmarclens.store.alerts.AlertState;
import io.dmarclens.testdns.LoopbackDnsServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DNS posture regression rule against a real DNS server on loopback: the errors of the first check are
 * the known state; a second SPF record published later is a new error (one alert, checked once a day, not
 * at every evaluation); taken away again, the alert resolves.
 */
class PostureRegressionTest {
    private static final Instant DAY1 = Instant.parse("2026-03-02T08:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aNewDnsErrorRaisesOnceAndResolvesWhenFixed() throws Exception {
        MovableClock clock = new MovableClock(DAY1);
        try (LoopbackDnsServer dns = new LoopbackDnsServer();
             EmbeddedStore store = EmbeddedStore.open(dir.resolve("data"), clock);
             SqliteAlerts alerts = SqliteAlerts.open(dir)) {
            dns.txt("_dmarc.example.com", "v=DMARC1; p=reject; rua=mailto:dmarc@example.com");
            dns.txt("example.com", "v=spf1 ip4:203.0.113.0/24 -all");
            PostureService posture = new PostureService(store, dns.address(), Duration.ofSeconds(2), false, clock);
            AlertSettings settings = AlertSettings.defaults();
            List<AlertRule> rules = settings.rules(posture, IngestHealth.none());
            assertTrue(rules.stream().anyMatch(r -> r instanceof PostureRegression), "online: the posture rule is in force");
            AlertEngine engine = new AlertEngine(store, alerts.log(), rules, settings, false, clock);

            engine.evaluate(Set.of("example.com"), true);
            assertTrue(list(alerts).isEmpty(), "the first check is the known state");

            // the next day somebody publishes a second SPF record: receivers return permerror
            clock.set(DAY1.plus(Duration.ofHours(25)));
            dns.txt("example.com", "v=spf1 include:_spf.mail.example.net -all");
            engine.evaluate(Set.of("example.com"), true);
            List<Alert> raised = list(alerts);
            assertEquals(1, raised.size());
            Alert a = raised.get(0);
            assertEquals(PostureRegression.ID, a.rule());
            assertEquals(AlertState.OPEN, a.state());
            assertTrue(a.evidence().contains("spf.multiple"), a.evidence());

            // an hour later the rule does not ask DNS again: the alert stays, grouped, even though it is fixed
            clock.set(DAY1.plus(Duration.ofHours(26)));
            dns.remove("example.com").txt("example.com", "v=spf1 ip4:203.0.113.0/24 -all");
            engine.evaluate(Set.of("example.com"), true);
            assertEquals(2, alerts.log().alert(a.id()).orElseThrow().evaluations());

            // the next daily check finds it fixed: resolved, once
            clock.set(DAY1.plus(Duration.ofHours(50)));
            engine.evaluate(Set.of("example.com"), true);
            clock.set(DAY1.plus(Duration.ofHours(51)));
            engine.evaluate(Set.of("example.com"), true);
            List<Alert> after = list(alerts);
            assertEquals(1, after.size());
            assertEquals(AlertState.RESOLVED, after.get(0).state());
            assertEquals(DAY1.plus(Duration.ofHours(50)), after.get(0).resolvedAt());
            assertEquals(2, alerts.outbox().forAlert(a.id()).size(), "opened and resolved, one notice each");
        }
    }

    private static List<Alert> list(SqliteAlerts alerts) {
        return alerts.log().alerts(AlertQuery.all(100));
    }
}
