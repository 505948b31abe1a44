package io.dmarclens.web.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.web.TestClock;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    private final TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(LoginLimits.defaults(), clock);

    @Test
    void fiveFailuresStopThePairOnlyUntilTheyLeaveTheWindow() {
        failTimes(ip("198.51.100.1"), "bob", 5);
        LoginThrottle.Attempt sixth = throttle.begin(ip("198.51.100.1"), "bob");
        assertFalse(sixth.allowed());
        assertEquals(Duration.ofMinutes(15), sixth.retryAfter().orElseThrow());
        assertTrue(throttle.begin(ip("198.51.100.2"), "bob").allowed(), "bob from elsewhere is not locked out");
        assertTrue(throttle.begin(ip("198.51.100.1"), "carol").allowed(), "another user from there is not either");
        clock.advance(Duration.ofMinutes(15).plusSeconds(1));
        assertTrue(throttle.begin(ip("198.51.100.1"), "bob").allowed());
    }

    @Test
    void anAddressPastItsLimitStillLetsInUsersWhoLoggedInFromItBefore() {
        InetAddress office = ip("203.0.113.7");
        throttle.begin(office, "alice").succeeded();
        for (int i = 0; i < 20; i++) {
            assertTrue(throttle.begin(office, "guess" + i).allowed());
        }
        assertFalse(throttle.begin(office, "someone").allowed(), "the sprayer's address waits");
        assertTrue(throttle.begin(office, "alice").allowed(), "alice logged in from here before");
    }

    @Test
    void manyAddressesGuessingOneUserStopAtTheUserLimitButNotAtItsKnownAddress() {
        throttle.begin(ip("192.0.2.1"), "bob").succeeded();
        for (int a = 0; a < 20; a++) {
            failTimes(ip("198.51.100." + (a + 10)), "bob", 5);
        }
        assertFalse(throttle.begin(ip("198.51.100.200"), "bob").allowed(), "101st guess at bob from a new address");
        assertTrue(throttle.begin(ip("192.0.2.1"), "bob").allowed(), "bob's own address");
    }

    @Test
    void aSuccessTakesBackItsCountAndClearsThePair() {
        InetAddress a = ip("198.51.100.1");
        failTimes(a, "bob", 4);
        throttle.begin(a, "bob").succeeded();
        failTimes(a, "bob", 5);
        assertFalse(throttle.begin(a, "bob").allowed());
    }

    @Test
    void anIpv6NetworkCountsAsOneAddress() {
        for (int i = 1; i <= 20; i++) {
            assertTrue(throttle.begin(ip("2001:db8:1:2::" + Integer.toHexString(i)), "user" + i).allowed());
        }
        assertFalse(throttle.begin(ip("2001:db8:1:2:ffff::1"), "other").allowed(), "same /64");
        assertTrue(throttle.begin(ip("2001:db8:1:3::1"), "other").allowed(), "next /64");
    }

    @Test
    void overLongNamesCountAgainstTheirAddressToo() {
        String longName = "x".repeat(65);
        failTimes(ip("198.51.100.9"), longName, 5);
        assertFalse(throttle.begin(ip("198.51.100.9"), longName + "y").allowed(), "every invalid name is one pair");
    }

    @Test
    void aFloodOfNewKeysNeverForgivesAndStaysBounded() {
        LoginThrottle small = new LoginThrottle(new LoginLimits(Duration.ofMinutes(15), 5, 20, 100, 100), clock);
        InetAddress a = ip("198.51.100.1");
        for (int i = 0; i < 5; i++) {
            assertTrue(small.begin(a, "bob").allowed());
        }
        for (int i = 0; i < 5000; i++) {
            small.begin(ip("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255)), "u" + "x".repeat(70));
        }
        assertTrue(small.trackedKeys() <= 100, "bounded: " + small.trackedKeys());
        assertFalse(small.begin(a, "bob").allowed(), "the locked pair stays locked");
        // a pair first seen after the table filled is still counted (in a shared bucket)
        InetAddress late = ip("198.51.100.77");
        int allowed = 0;
        for (int i = 0; i < 10; i++) {
            allowed += small.begin(late, "carol").allowed() ? 1 : 0;
        }
        assertTrue(allowed <= 5, "at most 5 guesses: " + allowed);
    }

    @Test
    void concurrentAttemptsAreCountedBeforeAnyIsChecked() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return throttle.begin(ip("198.51.100.1"), "bob").allowed();
                }));
            }
            go.countDown();
            int allowed = 0;
            for (Future<Boolean> f : results) {
                allowed += f.get(10, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertEquals(5, allowed);
        } finally {
            pool.shutdownNow();
        }
    }

    private void failTimes(InetAddress address, String user, int n) {
        for (int i = 0; i < n; i++) {
            assertTrue(throttle.begin(address, user).allowed(), "attempt " + (i + 1) + " for " + user);
        }
    }

    private static InetAddress ip(String literal) {
        return TrustedProxies.literal(literal).orElseThrow();
    }
}
