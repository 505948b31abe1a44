package io.dmarclens.web.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits failed logins per client IP and per user name within a sliding window, so that guessing
 * passwords is slow from one address and against one account from many addresses.
 */
public final class LoginThrottle {
    private static final int MAX_KEYS = 100_000;

    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();
    private final int maxPerIp;
    private final int maxPerUser;
    private final Duration window;
    private final Clock clock;

    public LoginThrottle(int maxPerIp, int maxPerUser, Duration window, Clock clock) {
        this.maxPerIp = maxPerIp;
        this.maxPerUser = maxPerUser;
        this.window = window;
        this.clock = clock;
    }

    /** True when another attempt from this IP for this user may be checked now. */
    public boolean allowed(String ip, String user) {
        return recent("ip:" + ip) < maxPerIp && recent("user:" + user) < maxPerUser;
    }

    public void failed(String ip, String user) {
        if (failures.size() > MAX_KEYS) {
            failures.clear(); // a flood of distinct keys: forget rather than run out of memory
        }
        Instant now = clock.instant();
        for (String key : new String[]{"ip:" + ip, "user:" + user}) {
            Deque<Instant> q = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
            synchronized (q) {
                q.addLast(now);
                while (q.size() > Math.max(maxPerIp, maxPerUser)) {
                    q.removeFirst();
                }
            }
        }
    }

    /** A successful login clears the user's counter (not the IP's). */
    public void succeeded(String user) {
        failures.remove("user:" + user);
    }

    private int recent(String key) {
        Deque<Instant> q = failures.get(key);
        if (q == null) {
            return 0;
        }
        Instant cutoff = clock.instant().minus(window);
        synchronized (q) {
            while (!q.isEmpty() && q.peekFirst().isBefore(cutoff)) {
                q.removeFirst();
            }
            return q.size();
        }
    }
}
