package io.dmarclens.store.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.store.alerts.Alert;
import io.dmarclens.store.alerts.AlertFinding;
import io.dmarclens.store.alerts.AlertLog;
import io.dmarclens.store.alerts.AlertQuery;
import io.dmarclens.store.alerts.AlertState;
import io.dmarclens.store.alerts.Notice;
import io.dmarclens.store.alerts.Outbox;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alerts' durable state, as every implementation must keep it: one unresolved alert per rule and domain,
 * updates that group instead of repeating, a resolution said once, notices queued with their alert's state
 * change and kept across a reopen until delivered, acknowledgements with comments, the rules' memory.
 */
public abstract class AlertLogContract {
    private static final Instant T0 = Instant.parse("2026-03-02T06:00:00Z");

    @TempDir
    protected Path dir;

    /** The alert log and outbox of one data directory, and how to close them. */
    public record Opened(AlertLog log, Outbox outbox, AutoCloseable closer) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            closer.close();
        }
    }

    /** Opens (creating) the alert state kept in {@code dir}. */
    protected abstract Opened open(Path dir);

    static AlertFinding finding(String rule, String domain, long amount) {
        return new AlertFinding(rule, domain, T0.minusSeconds(86_400), rule + " on " + domain + ": " + amount, amount,
                "{\"amount\":" + amount + "}");
    }

    static Notice notice(Notice.Kind kind, String rule, String domain, Instant at) {
        return new Notice(kind, 0, rule, domain, "[DMARC Lens] " + domain + ": " + rule + " " + kind, "text", "<p>html</p>",
                "{\"rule\":\"" + rule + "\"}", List.of(new Notice.DashboardLink("Sources", "/sources?domain=" + domain)), at);
    }

    @Test
    void raisingGroupsAndResolvesOnce() throws Exception {
        try (Opened a = open(dir)) {
            Alert raised = a.log().raise(finding("spoofing-wave", "example.com", 500),
                    id -> notice(Notice.Kind.OPENED, "spoofing-wave", "example.com", T0), T0);
            assertEquals(AlertState.OPEN, raised.state());
            assertEquals(T0, raised.openedAt());
            assertEquals(1, raised.evaluations());
            assertEquals(raised, a.log().unresolved("spoofing-wave", "example.com").orElseThrow());
            assertTrue(a.log().unresolved("spoofing-wave", "example.org").isEmpty());
            assertThrows(IllegalStateException.class, () -> a.log().raise(finding("spoofing-wave", "example.com", 1),
                    id -> notice(Notice.Kind.OPENED, "spoofing-wave", "example.com", T0), T0));

            Alert updated = a.log().update(raised.id(), finding("spoofing-wave", "example.com", 900), T0.plusSeconds(3600));
            assertEquals(900, updated.amount());
            assertEquals(2, updated.evaluations());
            assertEquals(T0.plusSeconds(3600), updated.updatedAt());
            assertEquals(1, a.outbox().due(T0.plusSeconds(3600), 10).size(), "an update queues no notice");

            Alert resolved = a.log().resolve(raised.id(), notice(Notice.Kind.RESOLVED, "spoofing-wave", "example.com",
                    T0.plusSeconds(7200)), T0.plusSeconds(7200)).orElseThrow();
            assertEquals(AlertState.RESOLVED, resolved.state());
            assertEquals(T0.plusSeconds(7200), resolved.resolvedAt());
            assertTrue(a.log().resolve(raised.id(), notice(Notice.Kind.RESOLVED, "spoofing-wave", "example.com",
                    T0.plusSeconds(7300)), T0.plusSeconds(7300)).isEmpty(), "a resolution is said once");
            assertTrue(a.log().unresolved("spoofing-wave", "example.com").isEmpty());
            assertEquals(resolved, a.log().latest("spoofing-wave", "example.com").orElseThrow());

            List<Outbox.QueuedNotice> queued = a.outbox().due(T0.plusSeconds(7300), 10);
            assertEquals(List.of(Notice.Kind.OPENED, Notice.Kind.RESOLVED),
                    queued.stream().map(q -> q.notice().kind()).toList());
            assertTrue(queued.stream().allMatch(q -> q.notice().alertId() == raised.id()));
            assertEquals(queued, a.outbox().forAlert(raised.id()));

            Alert again = a.log().raise(finding("spoofing-wave", "example.com", 5),
                    id -> notice(Notice.Kind.OPENED, "spoofing-wave", "example.com", T0.plusSeconds(9000)), T0.plusSeconds(9000));
            assertTrue(again.id() != raised.id(), "after resolving, the condition returning is a new alert");
        }
    }

    @Test
    void noticesStayQueuedAcrossAReopenUntilDelivered() throws Exception {
        long first;
        try (Opened a = open(dir)) {
            a.log().raise(finding("policy-changed", "example.org", 1),
                    id -> notice(Notice.Kind.OPENED, "policy-changed", "example.org", T0), T0);
            first = a.outbox().enqueue(notice(Notice.Kind.OPENED, "reporter-silent", "example.org", T0.plusSeconds(1)));
        }
        try (Opened a = open(dir)) {
            List<Outbox.QueuedNotice> due = a.outbox().due(T0.plusSeconds(5), 10);
            assertEquals(2, due.size());
            Outbox.QueuedNotice opened = due.get(0);
            assertEquals("policy-changed", opened.notice().rule());
            assertEquals(List.of(new Notice.DashboardLink("Sources", "/sources?domain=example.org")), opened.notice().links());
            assertEquals("<p>html</p>", opened.notice().html());

            a.outbox().failed(first, T0.plusSeconds(6), "relay refused: 451", T0.plusSeconds(600));
            a.outbox().delivered(opened.id(), T0.plusSeconds(7));
            assertTrue(a.outbox().due(T0.plusSeconds(60), 10).isEmpty(), "delivered is gone, failed waits for its retry");
            Outbox.QueuedNotice retried = a.outbox().due(T0.plusSeconds(600), 10).get(0);
            assertEquals(first, retried.id());
            assertEquals(1, retried.attempts());
            assertEquals("relay refused: 451", retried.lastError());
            List<Outbox.QueuedNotice> recent = a.outbox().recent(10);
            assertEquals(2, recent.size());
            assertTrue(recent.get(1).isDelivered());
            assertFalse(recent.get(0).isDelivered());
        }
    }

    @Test
    void theChannelsANoticeReachedAreKeptAcrossAReopenAndDigestsQueueToo() throws Exception {
        long id;
        long digest;
        try (Opened a = open(dir)) {
            id = a.outbox().enqueue(notice(Notice.Kind.OPENED, "spoofing-wave", "example.com", T0));
            digest = a.outbox().enqueue(notice(Notice.Kind.DIGEST, "digest", "*", T0));
            assertTrue(a.outbox().channelsDone(id).isEmpty());
            a.outbox().deliveredTo(id, "mail:postmaster@example.com", T0.plusSeconds(1));
            a.outbox().deliveredTo(id, "mail:postmaster@example.com", T0.plusSeconds(2));
            a.outbox().failed(id, T0.plusSeconds(2), "hook:hooks.example#ab answered 503", T0.plusSeconds(60));
        }
        try (Opened a = open(dir)) {
            assertEquals(java.util.Set.of("mail:postmaster@example.com"), a.outbox().channelsDone(id),
                    "recorded once, kept across the reopen");
            a.outbox().deliveredTo(id, "hook:hooks.example#ab", T0.plusSeconds(61));
            a.outbox().delivered(id, T0.plusSeconds(61));
            assertEquals(java.util.Set.of("mail:postmaster@example.com", "hook:hooks.example#ab"),
                    a.outbox().channelsDone(id));
            assertTrue(a.outbox().channelsDone(digest).isEmpty(), "channels are per notice");
            Outbox.QueuedNotice d = a.outbox().due(T0.plusSeconds(61), 10).get(0);
            assertEquals(Notice.Kind.DIGEST, d.notice().kind());
            assertEquals(0, d.notice().alertId());
        }
    }

    @Test
    void acknowledgingKeepsTheAlertUnresolvedWithItsComment() throws Exception {
        try (Opened a = open(dir)) {
            Alert raised = a.log().raise(finding("sender-broke", "example.com", 40),
                    id -> notice(Notice.Kind.OPENED, "sender-broke", "example.com", T0), T0);
            Alert other = a.log().raise(finding("reporter-silent", "example.net", 3),
                    id -> notice(Notice.Kind.OPENED, "reporter-silent", "example.net", T0), T0);
            Alert acked = a.log().acknowledge(raised.id(), "alice", "SendGrid key rotated <b>today</b>",
                    T0.plusSeconds(60)).orElseThrow();
            assertEquals(AlertState.ACKNOWLEDGED, acked.state());
            assertEquals("alice", acked.acknowledgedBy());
            assertEquals("SendGrid key rotated <b>today</b>", acked.comment());
            assertTrue(acked.unresolved());
            assertEquals(acked.id(), a.log().unresolved("sender-broke", "example.com").orElseThrow().id());
            assertTrue(a.log().acknowledge(999_999, "alice", "x", T0).isEmpty());

            assertEquals(List.of(acked.id()), ids(a.log().alerts(new AlertQuery(Set.of(AlertState.ACKNOWLEDGED), null, null, 0, 10))));
            assertEquals(List.of(other.id()), ids(a.log().alerts(new AlertQuery(Set.of(), "example.net", null, 0, 10))));
            assertEquals(List.of(acked.id()), ids(a.log().alerts(new AlertQuery(Set.of(), null, "sender-broke", 0, 10))));
            a.log().resolve(other.id(), notice(Notice.Kind.RESOLVED, "reporter-silent", "example.net", T0), T0.plusSeconds(90));
            assertEquals(List.of(acked.id(), other.id()), ids(a.log().alerts(AlertQuery.all(10))), "unresolved first");
            assertEquals(1L, a.log().countByState().get(AlertState.ACKNOWLEDGED));
            assertEquals(1L, a.log().countByState().get(AlertState.RESOLVED));
            assertEquals(0L, a.log().countByState().get(AlertState.OPEN));
        }
    }

    @Test
    void rulesKeepTheirMemory() throws Exception {
        try (Opened a = open(dir)) {
            assertTrue(a.log().ruleState("posture-regression/example.com").isEmpty());
            a.log().saveRuleState("posture-regression/example.com", "[\"spf.too-many-lookups\"]", T0);
            a.log().saveRuleState("posture-regression/example.com", "[]", T0.plusSeconds(1));
        }
        try (Opened a = open(dir)) {
            assertEquals("[]", a.log().ruleState("posture-regression/example.com").orElseThrow());
        }
    }

    @Test
    void twoHandlesRacingToRaiseTheSameAlertOpenOne() throws Exception {
        // Two nodes of a cluster (two handles on one state) find the same condition at the same moment.
        try (Opened a = open(dir); Opened b = open(dir)) {
            List<Opened> handles = List.of(a, b, a, b);
            int won = Races.winners(handles.size(), i -> {
                try {
                    handles.get(i).log().raise(finding("spoofing-wave", "example.com", 7),
                            id -> notice(Notice.Kind.OPENED, "spoofing-wave", "example.com", T0), T0);
                    return true;
                } catch (IllegalStateException lost) {
                    return false;
                }
            });
            assertEquals(1, won, "one of the racing raises opens the alert, the others are refused");
            assertEquals(1, b.log().alerts(AlertQuery.all(10)).size());
            Alert open = b.log().unresolved("spoofing-wave", "example.com").orElseThrow();
            assertEquals(open, a.log().unresolved("spoofing-wave", "example.com").orElseThrow());
            assertEquals(1, a.outbox().due(T0, 10).size(), "one notice for the one alert");
            // Resolved through the other handle, the condition may open a new alert through the first.
            b.log().resolve(open.id(), notice(Notice.Kind.RESOLVED, "spoofing-wave", "example.com", T0), T0.plusSeconds(60));
            assertTrue(a.log().unresolved("spoofing-wave", "example.com").isEmpty());
            Alert again = a.log().raise(finding("spoofing-wave", "example.com", 3),
                    id -> notice(Notice.Kind.OPENED, "spoofing-wave", "example.com", T0), T0.plusSeconds(120));
            assertTrue(again.id() > open.id());
            assertEquals(again, b.log().unresolved("spoofing-wave", "example.com").orElseThrow());
            assertEquals(2L, a.log().countByState().get(AlertState.OPEN) + a.log().countByState().get(AlertState.RESOLVED));
        }
    }

    @Test
    void ofTwoDeliverersRacingForOneNoticeOneTakesIt() throws Exception {
        try (Opened a = open(dir); Opened b = open(dir)) {
            long id = a.outbox().enqueue(notice(Notice.Kind.OPENED, "reporter-silent", "example.org", T0));
            List<Opened> handles = List.of(a, b, a, b);
            int won = Races.winners(handles.size(),
                    i -> handles.get(i).outbox().claim(id, T0.plusSeconds(1), T0.plusSeconds(301)));
            assertEquals(1, won, "exactly one deliverer takes the notice");
            assertTrue(b.outbox().due(T0.plusSeconds(300), 10).isEmpty(), "taken: not due for anybody else meanwhile");
            assertEquals(id, a.outbox().due(T0.plusSeconds(301), 10).get(0).id(),
                    "a deliverer that died while sending leaves it to the next when the take runs out");
            assertTrue(b.outbox().claim(id, T0.plusSeconds(302), T0.plusSeconds(602)));
            b.outbox().delivered(id, T0.plusSeconds(303));
            assertFalse(a.outbox().claim(id, T0.plusSeconds(9999), T0.plusSeconds(99999)), "delivered is never taken");
            assertTrue(a.outbox().recent(1).get(0).isDelivered());
        }
    }

    private static List<Long> ids(List<Alert> alerts) {
        return alerts.stream().map(Alert::id).toList();
    }
}
