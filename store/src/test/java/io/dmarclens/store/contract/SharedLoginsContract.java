package io.dmarclens.store.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.store.users.Accounts;
import io.dmarclens.store.users.LoginFailures;
import io.dmarclens.store.users.StoredSession;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Login sessions and failed-login counters as every {@link Accounts} implementation keeps them: what one process
 * writes, another process on the same accounts reads at once (two DMARC Lens nodes behind one load balancer),
 * expiry by the caller's clock, the bound on sessions per user, and counters that keep their newest failures.
 * Each test opens the accounts of one name twice, as two nodes would.
 */
public abstract class SharedLoginsContract {
    private static final Instant T0 = Instant.parse("2026-11-02T08:00:00Z");
    private static final Duration IDLE = Duration.ofHours(8);
    private static final Duration LIFETIME = Duration.ofHours(12);

    /** Opens (creating when needed) the accounts called {@code name}; the same name opens the same accounts. */
    protected abstract Accounts open(String name);

    private static StoredSession session(String digest, String user, Instant at) {
        return new StoredSession(digest, user, "csrf-" + digest, "stamp-" + user, at, at.plus(IDLE), at.plus(LIFETIME),
                false);
    }

    private static io.dmarclens.store.users.PendingLogin pending(String digest, String user, Instant at) {
        return new io.dmarclens.store.users.PendingLogin(digest, user, "stamp-" + user, at, at.plus(Duration.ofMinutes(5)),
                "/sources?domain=example.com");
    }

    @Test
    void aSecondStepBegunOnOneNodeIsTakenOnceOnAnother() {
        try (Accounts a = open("pending"); Accounts b = open("pending")) {
            io.dmarclens.store.users.PendingLogin p = pending("p1", "alice", T0);
            assertTrue(a.pendingLogins().begin(p, 5, 100));
            assertEquals(Optional.of(p), b.pendingLogins().find("p1", T0.plusSeconds(10)), "node B knows A's step");
            assertEquals(Optional.of(p), b.pendingLogins().find("p1", T0.plusSeconds(20)), "finding does not take it");
            assertEquals(Optional.empty(), b.pendingLogins().find("p2", T0), "an unknown digest");
            assertEquals(Optional.of(p), b.pendingLogins().take("p1", T0.plusSeconds(30)), "completed on B");
            assertEquals(Optional.empty(), a.pendingLogins().take("p1", T0.plusSeconds(31)), "a step completes once");
            assertEquals(Optional.empty(), a.pendingLogins().find("p1", T0.plusSeconds(31)));

            assertTrue(a.pendingLogins().begin(pending("p3", "alice", T0), 5, 100));
            assertTrue(b.pendingLogins().find("p3", T0.plus(Duration.ofMinutes(5))).isPresent(), "live for five minutes");
            assertTrue(b.pendingLogins().find("p3", T0.plus(Duration.ofMinutes(5)).plusSeconds(1)).isEmpty(), "then lapsed");
            assertTrue(b.pendingLogins().take("p3", T0.plus(Duration.ofMinutes(6))).isEmpty(), "a lapsed step is not taken");
            assertEquals(1, a.pendingLogins().purge(T0.plus(Duration.ofMinutes(6))));
        }
    }

    @Test
    void ofTwoNodesCompletingOneSecondStepAtOnceOneDoes() throws Exception {
        try (Accounts a = open("pending-race"); Accounts b = open("pending-race")) {
            assertTrue(a.pendingLogins().begin(pending("p1", "alice", T0), 5, 100));
            List<Accounts> nodes = List.of(a, b, a, b);
            int won = Races.winners(nodes.size(), i -> nodes.get(i).pendingLogins().take("p1", T0.plusSeconds(5)).isPresent());
            assertEquals(1, won, "exactly one of the racing completions gets the step");
        }
    }

    @Test
    void expiredSecondStepsAreDroppedByTheNextBeginAlthoughTheBoundIsFarOff() {
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        Clock later = Clock.offset(clock, Duration.ofMinutes(6));
        try (Accounts a = open("pending-lapse"); Accounts b = open("pending-lapse")) {
            assertTrue(a.pendingLogins().begin(pending("e1", "alice", clock.instant()), 5, 100));
            assertTrue(b.pendingLogins().begin(pending("e2", "bob", clock.instant()), 5, 100));
            assertTrue(b.pendingLogins().begin(pending("l1", "carol", later.instant()), 5, 100));
            // Asked at a time they were live, they are gone: the begin six minutes later dropped them.
            assertTrue(a.pendingLogins().find("e1", clock.instant()).isEmpty(), "e1 dropped");
            assertTrue(b.pendingLogins().find("e2", clock.instant()).isEmpty(), "e2 dropped");
            assertTrue(a.pendingLogins().find("l1", later.instant()).isPresent(), "the new step kept");
            assertEquals(0, a.pendingLogins().purge(later.instant()), "nothing lapsed left to purge");
        }
    }

    @Test
    void pendingSecondStepsAreBoundedPerUserAndInAll() {
        try (Accounts a = open("pending-bound"); Accounts b = open("pending-bound")) {
            for (int i = 0; i < 4; i++) {
                assertTrue((i % 2 == 0 ? a : b).pendingLogins().begin(pending("u" + i, "mallory", T0.plusSeconds(i)), 3, 5));
            }
            assertTrue(a.pendingLogins().find("u0", T0.plusSeconds(10)).isEmpty(), "the user's oldest beyond three ended");
            for (int i = 1; i < 4; i++) {
                assertTrue(b.pendingLogins().find("u" + i, T0.plusSeconds(10)).isPresent(), "u" + i + " kept");
            }
            assertTrue(a.pendingLogins().begin(pending("v1", "alice", T0.plusSeconds(20)), 3, 5));
            assertTrue(b.pendingLogins().begin(pending("v2", "bob", T0.plusSeconds(21)), 3, 5));
            assertFalse(a.pendingLogins().begin(pending("v3", "carol", T0.plusSeconds(22)), 3, 5),
                    "five live steps in all: the next is refused");
            assertTrue(b.pendingLogins().find("v3", T0.plusSeconds(23)).isEmpty());
            assertTrue(a.pendingLogins().begin(pending("v4", "carol", T0.plus(Duration.ofMinutes(10))), 3, 5),
                    "once the others lapsed, there is room again");
            assertTrue(b.pendingLogins().find("v4", T0.plus(Duration.ofMinutes(10))).isPresent());
        }
    }

    @Test
    void aSessionCreatedByOneNodeIsFoundAndEndedByAnother() {
        try (Accounts a = open("sessions"); Accounts b = open("sessions")) {
            StoredSession s = session("d1", "alice", T0);
            a.sessions().create(s, 32);
            assertEquals(Optional.of(s), b.sessions().find("d1", T0.plusSeconds(1)), "node B knows A's session at once");
            assertEquals(Optional.empty(), b.sessions().find("d2", T0), "an unknown digest");
            assertTrue(b.sessions().end("d1"), "logout on B");
            assertEquals(Optional.empty(), a.sessions().find("d1", T0.plusSeconds(2)), "ended on A too");
            assertFalse(a.sessions().end("d1"), "a session ends once");
        }
    }

    @Test
    void sessionsExpireWhenIdleAndAtTheirEndHoweverOftenRenewed() {
        try (Accounts a = open("expiry"); Accounts b = open("expiry")) {
            a.sessions().create(session("d1", "alice", T0), 32);
            assertTrue(b.sessions().find("d1", T0.plus(IDLE)).isPresent(), "live up to its idle expiry");
            assertTrue(b.sessions().find("d1", T0.plus(IDLE).plusSeconds(1)).isEmpty(), "idle too long");
            a.sessions().create(session("d2", "alice", T0), 32);
            for (int hour = 1; hour < 12; hour++) {
                Instant now = T0.plus(Duration.ofHours(hour));
                assertTrue(b.sessions().find("d2", now).isPresent(), "used every hour, alive at hour " + hour);
                (hour % 2 == 0 ? a : b).sessions().renew("d2", now.plus(IDLE));
            }
            assertTrue(a.sessions().find("d2", T0.plus(LIFETIME)).isEmpty(), "ends 12 hours after the login");
            a.sessions().renew("unknown", T0.plus(IDLE));
            assertTrue(a.sessions().find("unknown", T0).isEmpty(), "renewing creates nothing");
        }
    }

    @Test
    void enrolmentIsCompletedForEveryNode() {
        try (Accounts a = open("enrol"); Accounts b = open("enrol")) {
            StoredSession s = new StoredSession("d1", "bob", "csrf", "stamp", T0, T0.plus(IDLE), T0.plus(LIFETIME), true);
            a.sessions().create(s, 32);
            assertTrue(b.sessions().find("d1", T0).orElseThrow().enrolOnly());
            b.sessions().completeEnrolment("d1");
            StoredSession after = a.sessions().find("d1", T0).orElseThrow();
            assertFalse(after.enrolOnly());
            assertEquals("csrf", after.csrfToken(), "the CSRF token stays with the session");
        }
    }

    @Test
    void aUsersOldestSessionsEndBeyondTheBoundAndEndAllEndsOnlyTheirs() {
        try (Accounts a = open("bound"); Accounts b = open("bound")) {
            for (int i = 0; i < 5; i++) {
                (i % 2 == 0 ? a : b).sessions().create(session("alice-" + i, "alice", T0.plusSeconds(i)), 3);
            }
            a.sessions().create(session("bob-0", "bob", T0), 3);
            Instant now = T0.plusSeconds(10);
            assertTrue(a.sessions().find("alice-0", now).isEmpty(), "the oldest ended");
            assertTrue(a.sessions().find("alice-1", now).isEmpty());
            for (int i = 2; i < 5; i++) {
                assertTrue(b.sessions().find("alice-" + i, now).isPresent(), "the newest three stay: " + i);
            }
            assertEquals(3, b.sessions().endAll("alice"));
            assertTrue(a.sessions().find("alice-4", now).isEmpty(), "removed user: no session on any node");
            assertTrue(a.sessions().find("bob-0", now).isPresent(), "bob's session is not alice's to end");
        }
    }

    @Test
    void purgeForgetsOnlyWhatIsNoLongerLive() {
        try (Accounts a = open("purge")) {
            a.sessions().create(session("old", "alice", T0), 32);
            a.sessions().create(session("new", "alice", T0.plus(Duration.ofHours(6))), 32);
            assertEquals(1, a.sessions().purge(T0.plus(IDLE).plusSeconds(1)));
            assertTrue(a.sessions().find("new", T0.plus(IDLE).plusSeconds(1)).isPresent());
        }
    }

    @Test
    void failuresCountedByOneNodeAreSeenByAnotherWithinTheWindow() {
        try (Accounts a = open("failures"); Accounts b = open("failures")) {
            LoginFailures fa = a.loginFailures();
            LoginFailures fb = b.loginFailures();
            List<String> keys = List.of("u\0alice", "a\0192.0.2.1");
            for (int i = 0; i < 4; i++) {
                (i % 2 == 0 ? fa : fb).add(keys, T0.plusSeconds(i), 3, T0.minusSeconds(900));
            }
            Map<String, List<Instant>> seen = fb.failures(List.of("u\0alice", "a\0192.0.2.1", "u\0bob"), T0.minusSeconds(1));
            List<Instant> newest = List.of(T0.plusSeconds(1), T0.plusSeconds(2), T0.plusSeconds(3));
            assertEquals(Map.of("u\0alice", newest, "a\0192.0.2.1", newest), seen, "the newest three of both nodes");
            assertEquals(List.of(T0.plusSeconds(3)), fa.failures(Set.of("u\0alice"), T0.plusSeconds(2)).get("u\0alice"),
                    "only those after the window's start");
            fa.takeBack(List.of("u\0alice"), T0.plusSeconds(3));
            assertEquals(List.of(T0.plusSeconds(1), T0.plusSeconds(2)), fb.failures(Set.of("u\0alice"), T0).get("u\0alice"));
            fb.clear("a\0192.0.2.1");
            assertEquals(Map.of(), fa.failures(Set.of("a\0192.0.2.1"), T0.minusSeconds(1)));
        }
    }

    @Test
    void loginsAreRememberedAndOldCountersPurged() {
        try (Accounts a = open("known"); Accounts b = open("known")) {
            a.loginFailures().loggedIn("p\0192.0.2.1\0alice", T0);
            assertEquals(Optional.of(T0), b.loginFailures().lastLogin("p\0192.0.2.1\0alice"));
            assertEquals(Optional.empty(), b.loginFailures().lastLogin("p\0192.0.2.1\0bob"));
            b.loginFailures().add(List.of("u\0bob"), T0, 5, T0.minusSeconds(900));
            b.loginFailures().add(List.of("u\0carol"), T0.plusSeconds(600), 5, T0.minusSeconds(900));
            int purged = a.loginFailures().purge(T0.plusSeconds(1), T0.minusSeconds(1));
            assertEquals(1, purged, "bob's counter had no failure after the cutoff");
            assertEquals(Set.of("u\0carol"), b.loginFailures().failures(List.of("u\0bob", "u\0carol"), T0.minusSeconds(1)).keySet());
            assertEquals(Optional.of(T0), b.loginFailures().lastLogin("p\0192.0.2.1\0alice"), "a login newer than its cutoff stays");
            a.loginFailures().purge(T0, T0.plusSeconds(1));
            assertEquals(Optional.empty(), b.loginFailures().lastLogin("p\0192.0.2.1\0alice"));
        }
    }
}
