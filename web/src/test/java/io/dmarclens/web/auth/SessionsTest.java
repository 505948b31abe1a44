package io.dmarclens.web.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.index.users.SqliteAccounts;

import io.dmarclens.web.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionsTest {
    @TempDir
    Path dir;
    private SqliteAccounts accounts;

    @BeforeEach
    void open() {
        accounts = SqliteAccounts.open(dir);
    }

    @AfterEach
    void close() {
        accounts.close();
    }

    @Test
    void aSessionOfOneNodeWorksOnAnotherAndALogoutOnEitherEndsIt() {
        TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:00Z"));
        try (SqliteAccounts other = SqliteAccounts.open(dir)) {
            Sessions a = new Sessions(accounts.sessions(), Duration.ofHours(8), Duration.ofHours(24), clock);
            Sessions b = new Sessions(other.sessions(), Duration.ofHours(8), Duration.ofHours(24), clock);
            Sessions.Session s = a.create("alice", "stamp");
            Sessions.Session onB = b.find(s.id()).orElseThrow();
            assertEquals(s.csrfToken(), onB.csrfToken(), "the CSRF token travels with the session");
            assertTrue(accounts.sessions().find(s.id(), clock.instant()).isEmpty(), "the store knows only a digest");
            clock.advance(Duration.ofHours(7));
            assertTrue(b.find(s.id()).isPresent(), "B renews the idle timer");
            clock.advance(Duration.ofHours(7));
            assertTrue(a.find(s.id()).isPresent(), "A sees B's renewal: idle 7 hours since then, not 14");
            b.invalidate(s.id());
            assertTrue(a.find(s.id()).isEmpty(), "logged out through B, gone on A");
        }
    }

    @Test
    void theIdleTimerIsWrittenAtMostOncePerStep() {
        TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:00Z"));
        Sessions sessions = new Sessions(accounts.sessions(), Duration.ofHours(8), Duration.ofHours(12), clock);
        Sessions.Session s = sessions.create("alice", "stamp");
        String digest = Sessions.digest(s.id());
        clock.advance(Duration.ofSeconds(30));
        sessions.find(s.id());
        assertEquals(s.expires(), accounts.sessions().find(digest, clock.instant()).orElseThrow().expires(),
                "30 seconds later: not written");
        clock.advance(Duration.ofSeconds(31));
        sessions.find(s.id());
        assertEquals(clock.instant().plus(Duration.ofHours(8)),
                accounts.sessions().find(digest, clock.instant()).orElseThrow().expires(), "past the step: written");
    }
    @Test
    void aBusySessionStillEndsAtItsLifetime() {
        TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:00Z"));
        Sessions sessions = new Sessions(accounts.sessions(), Duration.ofHours(8), Duration.ofHours(12), clock);
        Sessions.Session s = sessions.create("alice", "stamp");
        for (int hour = 1; hour < 12; hour++) {
            clock.advance(Duration.ofHours(1));
            assertTrue(sessions.find(s.id()).isPresent(), "used every hour, still alive at hour " + hour);
        }
        clock.advance(Duration.ofHours(1));
        assertTrue(sessions.find(s.id()).isEmpty(), "ended 12 hours after the login");
    }

    @Test
    void anIdleSessionEndsAtItsIdleTimeout() {
        TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:00Z"));
        Sessions sessions = new Sessions(accounts.sessions(), Duration.ofHours(8), Duration.ofHours(12), clock);
        Sessions.Session s = sessions.create("alice", "stamp");
        clock.advance(Duration.ofHours(8).plusSeconds(1));
        assertTrue(sessions.find(s.id()).isEmpty());
    }

    @Test
    void aUsersSessionsBeyondTheLimitEndOldestFirst() {
        TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:00Z"));
        Sessions sessions = new Sessions(accounts.sessions(), Duration.ofHours(8), Duration.ofHours(12), clock);
        Sessions.Session first = sessions.create("alice", "stamp");
        Sessions.Session bobs = sessions.create("bob", "stamp");
        Sessions.Session last = null;
        for (int i = 0; i < Sessions.MAX_SESSIONS_PER_USER; i++) {
            clock.advance(Duration.ofSeconds(1));
            last = sessions.create("alice", "stamp");
        }
        assertTrue(sessions.find(first.id()).isEmpty(), "the oldest of alice's sessions ended");
        assertTrue(sessions.find(last.id()).isPresent());
        assertTrue(sessions.find(bobs.id()).isPresent(), "bob's session is not alice's to end");
    }
}
