package io.dmarclens.web.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.index.users.SqliteAccounts;
import io.dmarclens.web.TestClock;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two nodes' throttles on the counters of one accounts file: guesses spread over the nodes count together. */
class SharedLoginThrottleTest {
    @TempDir
    Path dir;
    private final TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:00Z"));
    private SqliteAccounts accountsA;
    private SqliteAccounts accountsB;
    private LoginThrottle nodeA;
    private LoginThrottle nodeB;

    @BeforeEach
    void open() {
        accountsA = SqliteAccounts.open(dir);
        accountsB = SqliteAccounts.open(dir);
        nodeA = new LoginThrottle(LoginLimits.defaults(), clock, accountsA.loginFailures());
        nodeB = new LoginThrottle(LoginLimits.defaults(), clock, accountsB.loginFailures());
    }

    @AfterEach
    void close() {
        accountsA.close();
        accountsB.close();
    }

    @Test
    void failuresOnTwoNodesCountTogetherUntilTheyLeaveTheWindow() {
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofSeconds(1));
            assertTrue((i % 2 == 0 ? nodeA : nodeB).begin(ip("198.51.100.1"), "bob").allowed(), "guess " + (i + 1));
        }
        LoginThrottle.Attempt sixth = nodeA.begin(ip("198.51.100.1"), "bob");
        assertFalse(sixth.allowed(), "three guesses on A and two on B are five");
        assertEquals(Duration.ofMinutes(15).minusSeconds(4), sixth.retryAfter().orElseThrow(),
                "until the first guess leaves the window");
        assertFalse(nodeB.begin(ip("198.51.100.1"), "bob").allowed());
        assertTrue(nodeB.begin(ip("198.51.100.2"), "bob").allowed(), "bob from elsewhere is not locked out");
        clock.advance(Duration.ofMinutes(15));
        assertTrue(nodeB.begin(ip("198.51.100.1"), "bob").allowed(), "the first guess left the window");
    }

    @Test
    void aLoginOnOneNodeExemptsItsPairOnTheOther() {
        InetAddress office = ip("203.0.113.7");
        nodeA.begin(office, "alice").succeeded();
        for (int i = 0; i < 20; i++) {
            assertTrue((i % 2 == 0 ? nodeA : nodeB).begin(office, "guess" + i).allowed());
        }
        assertFalse(nodeB.begin(office, "someone").allowed(), "the sprayer's address waits on every node");
        assertTrue(nodeB.begin(office, "alice").allowed(), "alice logged in from here before, through A");
    }

    @Test
    void aSuccessTakesBackItsCountOnEveryNode() {
        InetAddress a = ip("198.51.100.1");
        for (int i = 0; i < 4; i++) {
            clock.advance(Duration.ofSeconds(1));
            nodeA.begin(a, "bob");
        }
        clock.advance(Duration.ofSeconds(1));
        nodeB.begin(a, "bob").succeeded();
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofSeconds(1));
            assertTrue(nodeA.begin(a, "bob").allowed(), "the pair's count was cleared by the login on B: " + i);
        }
        assertFalse(nodeA.begin(a, "bob").allowed());
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
