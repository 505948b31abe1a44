package io.dmarclens.web.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.web.TestApp;
import io.dmarclens.web.TestData;
import io.dmarclens.web.WebSettings;
import io.dmarclens.web.auth.LoginLimits;
import io.dmarclens.web.auth.TrustedProxies;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #14, "Login throttling that can be raced, reset, and turned against users", against a real server:
 * concurrent logins on real sockets from many loopback source addresses, and through a trusted proxy.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LoginAttackTest {
    private static final String ALICE = TestApp.USER;
    private static final String RIGHT = TestApp.PASSWORD;

    @TempDir
    Path dir;
    private TestApp app;
    private final ExecutorService pool = Executors.newFixedThreadPool(16);

    @AfterEach
    void stop() throws Exception {
        pool.shutdownNow();
        if (app != null) {
            app.close();
        }
    }

    @Test
    void thirtyConcurrentGuessesAtOneUserGetFiveChecks() throws Exception {
        start(WebSettings.defaults());
        LoopbackLogin login = new LoopbackLogin(app.app.port());
        List<Callable<Integer>> tries = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            String password = i == 25 ? RIGHT : "wrong " + i;
            tries.add(() -> login.post("127.0.0.2", null, ALICE, password));
        }
        Map<Integer, Integer> statuses = together(tries);
        int checked = statuses.getOrDefault(401, 0) + statuses.getOrDefault(303, 0);
        assertEquals(5, checked, "exactly the pair's limit is checked with bcrypt: " + statuses);
        assertEquals(25, statuses.getOrDefault(429, 0), statuses.toString());
        assertTrue(statuses.getOrDefault(303, 0) <= 1, statuses.toString());
    }

    @Test
    void aHundredConcurrentGuessesFromOneAddressGetTwentyChecks() throws Exception {
        start(WebSettings.defaults());
        LoopbackLogin login = new LoopbackLogin(app.app.port());
        List<Callable<Integer>> tries = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String user = "user" + i;
            tries.add(() -> login.post("127.0.0.3", null, user, "wrong password"));
        }
        Map<Integer, Integer> statuses = together(tries);
        assertEquals(Map.of(401, 20, 429, 80), statuses);
    }

    @Test
    void aFloodOfOverLongNamesFromManyAddressesDoesNotLiftALock() throws Exception {
        // A small table, so that a flood a test can afford overflows it as 98,000 requests overflowed 100,000 keys.
        start(WebSettings.defaults().withLogin(new LoginLimits(Duration.ofMinutes(15), 5, 20, 100, 200)));
        LoopbackLogin login = new LoopbackLogin(app.app.port());
        for (int i = 0; i < 5; i++) {
            assertEquals(401, login.post("127.0.0.4", null, ALICE, "wrong " + i));
        }
        assertEquals(429, login.post("127.0.0.4", null, ALICE, RIGHT));
        String longName = "a".repeat(80);
        List<Callable<Integer>> flood = new ArrayList<>();
        for (int a = 0; a < 400; a++) {
            String source = "127.0." + (10 + a / 200) + "." + (1 + a % 200);
            for (int k = 0; k < 2; k++) {
                String name = longName + a + "-" + k;
                flood.add(() -> login.post(source, null, name, "x"));
            }
        }
        long started = System.nanoTime();
        Map<Integer, Integer> statuses = together(flood);
        assertEquals(800, statuses.getOrDefault(401, 0) + statuses.getOrDefault(429, 0), statuses.toString());
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(60).toNanos());
        assertEquals(429, login.post("127.0.0.4", null, ALICE, RIGHT), "still locked after the table overflowed");
    }

    @Test
    void guessesFromTwoAddressesDoNotLockTheUserOutOfAThird() throws Exception {
        start(WebSettings.defaults());
        LoopbackLogin login = new LoopbackLogin(app.app.port());
        for (String attacker : List.of("127.0.0.5", "127.0.0.6")) {
            for (int i = 0; i < 5; i++) {
                assertEquals(401, login.post(attacker, null, ALICE, "guess " + i));
            }
            assertEquals(429, login.post(attacker, null, ALICE, "guess 6"));
        }
        assertEquals(303, login.post("127.0.0.7", null, ALICE, RIGHT));
    }

    @Test
    void sprayingFromAnAddressDoesNotLockOutUsersWhoLoggedInThereBefore() throws Exception {
        start(WebSettings.defaults());
        app.users.addOrReplace("bob", "bob's password".toCharArray());
        LoopbackLogin login = new LoopbackLogin(app.app.port());
        String office = "127.0.0.8";
        assertEquals(303, login.post(office, null, ALICE, RIGHT));
        for (int i = 0; i < 20; i++) {
            assertEquals(401, login.post(office, null, "user" + i, "guess"));
        }
        assertEquals(429, login.post(office, null, "bob", "bob's password"), "bob never logged in from here");
        assertEquals(303, login.post(office, null, ALICE, RIGHT), "alice did");
        assertEquals(303, login.post("127.0.0.9", null, "bob", "bob's password"), "bob elsewhere");
    }

    @Test
    void behindATrustedProxyEachVisitorIsCountedByTheAddressTheProxySaw() throws Exception {
        start(WebSettings.defaults().withTrustedProxies(TrustedProxies.of(List.of("127.0.0.1"))));
        LoopbackLogin login = new LoopbackLogin(app.app.port());
        // The attacker writes its own X-Forwarded-For; the proxy appends the address it saw.
        List<Callable<Integer>> spray = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String user = "user" + i;
            String forged = "198.51.100." + i + ", 203.0.113.66";
            spray.add(() -> login.post("127.0.0.1", forged, user, "guess"));
        }
        assertEquals(Map.of(401, 20, 429, 20), together(spray), "one attacker, one address, however it forges");
        assertEquals(303, login.post("127.0.0.1", "198.51.100.20", ALICE, RIGHT), "another visitor gets in");
        // Only the proxy is believed: the same header sent straight to the server counts against its sender.
        for (int i = 0; i < 5; i++) {
            assertEquals(401, login.post("127.0.0.10", "198.51.100." + i, "carol", "guess"));
        }
        assertEquals(429, login.post("127.0.0.10", "198.51.100.99", "carol", "guess"));
    }

    private void start(WebSettings settings) throws Exception {
        app = TestApp.with(dir, settings, TestData.CLOCK);
    }

    /** Runs the requests at once (16 at a time), and counts the answers by status. */
    private Map<Integer, Integer> together(List<Callable<Integer>> requests) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> futures = new ArrayList<>();
        for (Callable<Integer> r : requests) {
            futures.add(pool.submit(() -> {
                go.await();
                return r.call();
            }));
        }
        go.countDown();
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (Future<Integer> f : futures) {
            statuses.merge(f.get(60, TimeUnit.SECONDS), 1, Integer::sum);
        }
        return statuses;
    }
}
