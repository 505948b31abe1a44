package io.dmarclens.web.auth;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.web.TestClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SessionsTest {
    @Test
    void aBusySessionStillEndsAtItsLifetime() {
        TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:00Z"));
        Sessions sessions = new Sessions(Duration.ofHours(8), Duration.ofHours(12), clock);
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
        Sessions sessions = new Sessions(Duration.ofHours(8), Duration.ofHours(12), clock);
        Sessions.Session s = sessions.create("alice", "stamp");
        clock.advance(Duration.ofHours(8).plusSeconds(1));
        assertTrue(sessions.find(s.id()).isEmpty());
    }

    @Test
    void aUsersSessionsBeyondTheLimitEndOldestFirst() {
        TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:00Z"));
        Sessions sessions = new Sessions(Duration.ofHours(8), Duration.ofHours(12), clock);
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
