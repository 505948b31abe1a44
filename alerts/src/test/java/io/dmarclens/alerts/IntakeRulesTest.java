package io.dmarclens.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.alerts.rules.ImapFailing;
import io.dmarclens.alerts.rules.InboxBacklog;
import io.dmarclens.alerts.rules.IngestHealth;
import io.dmarclens.alerts.rules.QuarantineGrowing;
import io.dmarclens.alerts.state.AlertEngine;
import io.dmarclens.index.EmbeddedStore;
import io.dmarclens.index.alerts.SqliteAlerts;
import io.dmarclens.store.alerts.Alert;
import io.dmarclens.store.alerts.AlertLog;
import io.dmarclens.store.alerts.AlertQuery;
import io.dmarclens.store.alerts.AlertState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules about DMARC Lens' own intake, over an afternoon moved by the clock: the quarantine and the inbox
 * backlog growing past their thresholds within a period, and an IMAP mailbox failing for longer than
 * allowed, each raise one alert for all domains, and resolve once the growth stops or the mailbox connects.
 */
class IntakeRulesTest {
    private static final Instant T0 = Instant.parse("2026-03-02T12:00:00Z");

    @TempDir
    Path dir;

    /** The intake's figures as the test sets them (the running service's are read the same way). */
    static final class Intake implements IngestHealth {
        volatile long quarantined;
        volatile long backlog;
        volatile boolean imapFailing;

        @Override
        public long quarantined() {
            return quarantined;
        }

        @Override
        public long backlog() {
            return backlog;
        }

        @Override
        public List<Mailbox> mailboxes() {
            return List.of(new Mailbox("corporate", imapFailing, imapFailing ? "imap.example.com:993: connection refused" : null));
        }
    }

    @Test
    void eachIntakeRuleRaisesOnceAndResolves() throws Exception {
        MovableClock clock = new MovableClock(T0);
        Intake intake = new Intake();
        AlertSettings settings = AlertSettings.defaults();
        try (EmbeddedStore store = EmbeddedStore.open(dir.resolve("data"), clock);
             SqliteAlerts alerts = SqliteAlerts.open(dir)) {
            AlertEngine engine = new AlertEngine(store, alerts.log(), settings.rules(null, intake), settings, false, clock);
            intake.imapFailing = true;
            engine.evaluateAll();                                   // 12:00 first look: nothing to compare yet
            step(clock, engine, 20, () -> intake.quarantined = 3);  // 12:20
            step(clock, engine, 20, () -> intake.backlog = 300);    // 12:40: IMAP failing 40 min
            assertEquals(Set.of(ImapFailing.ID), open(alerts));
            step(clock, engine, 20, () -> {                         // 13:00: an hour since the first look
                intake.quarantined = 9;
                intake.backlog = 900;
            });
            assertEquals(Set.of(ImapFailing.ID, QuarantineGrowing.ID), open(alerts), "the backlog's 30 min period runs");
            step(clock, engine, 20, () -> intake.imapFailing = false); // 13:20 the mailbox connects again
            assertEquals(Set.of(QuarantineGrowing.ID, InboxBacklog.ID), open(alerts), "backlog +600 since 12:40");
            step(clock, engine, 20, () -> intake.backlog = 100);    // 13:40 the workers caught up
            step(clock, engine, 20, () -> { });                     // 14:00 no growth in the last period
            step(clock, engine, 20, () -> { });
            assertEquals(Set.of(), open(alerts));
            List<Alert> all = alerts.log().alerts(AlertQuery.all(100));
            Map<String, Long> perRule = all.stream().collect(Collectors.groupingBy(Alert::rule, Collectors.counting()));
            assertEquals(Map.of(ImapFailing.ID, 1L, QuarantineGrowing.ID, 1L, InboxBacklog.ID, 1L), perRule);
            assertTrue(all.stream().allMatch(a -> a.domain().equals(AlertLog.ALL_DOMAINS)));
            Alert imap = all.stream().filter(a -> a.rule().equals(ImapFailing.ID)).findFirst().orElseThrow();
            assertEquals(T0, imap.since(), "failing since the first evaluation that saw it");
            assertTrue(imap.evidence().contains("connection refused"), imap.evidence());
            assertTrue(all.stream().allMatch(a -> alerts.outbox().forAlert(a.id()).size() == 2));
        }
    }

    private static void step(MovableClock clock, AlertEngine engine, int minutes, Runnable change) {
        clock.set(clock.instant().plus(Duration.ofMinutes(minutes)));
        change.run();
        engine.evaluateAll();
    }

    private static Set<String> open(SqliteAlerts alerts) {
        return alerts.log().alerts(new AlertQuery(Set.of(AlertState.OPEN), null, null, 0, 100)).stream()
                .map(Alert::rule).collect(Collectors.toSet());
    }
}
