package io.dmarclens.web.auth;

import io.dmarclens.store.users.LoginFailures;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Counts failed logins per user name and client address pair, per address and per user name within a
 * sliding window (see {@link LoginLimits}), so that guessing passwords is slow without letting a stranger
 * lock a user out from where that user logs in.
 *
 * <p>With the accounts' {@link LoginFailures} (what {@code serve} uses), the counters and the pairs that logged in
 * are kept there, shared by every node on the same accounts: guesses spread over the nodes behind a load balancer
 * count together. Only login attempts read and write them (a request with a session never does); two nodes
 * checking the same counter in the same instant may each let one attempt more through. Without it, they are
 * kept in this process's memory, as below.
 *
 * <p>An attempt is counted as a failure before its password is checked ({@link #begin}), and the count is
 * taken back when it succeeds: concurrent requests cannot all pass the check before any is counted. The
 * counters are bounded: when the table is full, new keys count in a fixed array of hashed buckets, where
 * strangers' failures may add to each other but nothing is ever forgotten early.
 */
public final class LoginThrottle {
    /** How long a successful login exempts its pair from the address and user limits. */
    static final Duration KNOWN_PAIR_MEMORY = Duration.ofDays(30);
    private static final Pattern VALID_USER = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final int OVERFLOW_BUCKETS = 4096;

    private final LoginLimits limits;
    private final Clock clock;
    private final int depth;
    // All state below is guarded by "this": each operation is a few map lookups next to a bcrypt check.
    private final Map<String, ArrayDeque<Instant>> failures = new HashMap<>();
    private final ArrayDeque<Instant>[] overflow;
    private final Map<String, Instant> knownPairs;
    private Instant lastSweep = Instant.MIN;
    /** The counters shared with the other nodes, or null to keep them in memory. */
    private final LoginFailures shared;
    private Instant lastPurge = Instant.MIN;

    /** Counters in this process's memory only. */
    public LoginThrottle(LoginLimits limits, Clock clock) {
        this(limits, clock, null);
    }

    /** Counters kept in {@code shared} (null: in this process's memory only). */
    @SuppressWarnings("unchecked")
    public LoginThrottle(LoginLimits limits, Clock clock, LoginFailures shared) {
        this.limits = limits;
        this.clock = clock;
        this.shared = shared;
        this.depth = Math.max(limits.perPair(), Math.max(limits.perAddress(), limits.perUser()));
        this.overflow = new ArrayDeque[OVERFLOW_BUCKETS];
        int knownCapacity = Math.max(1_000, limits.trackedKeys() / 10);
        // Only successful logins add here, so strangers cannot fill it; losing the eldest only makes us stricter.
        this.knownPairs = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
                return size() > knownCapacity;
            }
        };
    }

    /**
     * Asks to check one password. When allowed, the attempt already counts as a failure; call
     * {@link Attempt#succeeded()} when the password was right.
     */
    public synchronized Attempt begin(InetAddress client, String user) {
        Instant now = clock.instant();
        String address = addressKey(client);
        boolean validUser = user != null && VALID_USER.matcher(user).matches();
        String pair = "p\0" + address + "\0" + (validUser ? user : "\0invalid");
        String addressKey = "a\0" + address;
        String userKey = validUser ? "u\0" + user : null;
        if (shared != null) {
            return beginShared(now.truncatedTo(ChronoUnit.MILLIS), pair, addressKey, userKey);
        }
        Instant known = knownPairs.get(pair);
        boolean exempt = known != null && now.isBefore(known.plus(KNOWN_PAIR_MEMORY));
        Duration wait = waitFor(pair, limits.perPair(), now);
        if (!exempt) {
            wait = max(wait, waitFor(addressKey, limits.perAddress(), now));
            if (userKey != null) {
                wait = max(wait, waitFor(userKey, limits.perUser(), now));
            }
        }
        if (!wait.isZero()) {
            return new Attempt(wait, null, null, null, null);
        }
        record(pair, now);
        record(addressKey, now);
        if (userKey != null) {
            record(userKey, now);
        }
        return new Attempt(Duration.ZERO, now, pair, addressKey, userKey);
    }

    /** As {@link #begin}, with the counters of the accounts; {@code now} in milliseconds, as they keep it. */
    private Attempt beginShared(Instant now, String pair, String addressKey, String userKey) {
        Instant since = now.minus(limits.window());
        List<String> keys = userKey == null ? List.of(pair, addressKey) : List.of(pair, addressKey, userKey);
        Map<String, List<Instant>> counted = shared.failures(keys, since);
        Duration wait = waitFor(counted.get(pair), limits.perPair(), now);
        boolean exempt = shared.lastLogin(pair).map(known -> now.isBefore(known.plus(KNOWN_PAIR_MEMORY))).orElse(false);
        if (!exempt) {
            wait = max(wait, waitFor(counted.get(addressKey), limits.perAddress(), now));
            if (userKey != null) {
                wait = max(wait, waitFor(counted.get(userKey), limits.perUser(), now));
            }
        }
        if (!wait.isZero()) {
            return new Attempt(wait, null, null, null, null);
        }
        shared.add(keys, now, depth, since);
        if (!now.isBefore(lastPurge.plus(limits.window())) || now.isBefore(lastPurge)) {
            // Counters whose failures all left the window, and logins older than the exemption, are forgotten.
            lastPurge = now;
            shared.purge(since, now.minus(KNOWN_PAIR_MEMORY));
        }
        return new Attempt(Duration.ZERO, now, pair, addressKey, userKey);
    }

    /** Zero when another failure may still be counted, else how long until one may: {@code times} oldest first. */
    private Duration waitFor(List<Instant> times, int limit, Instant now) {
        int excess = times == null ? -1 : times.size() - limit;
        if (excess < 0) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(now, times.get(excess).plus(limits.window()));
        return left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left;
    }

    /** How many counters the table holds (tests: the bound holds). */
    synchronized int trackedKeys() {
        return failures.size();
    }

    private synchronized void succeeded(Attempt a) {
        if (shared != null) {
            shared.clear(a.pair);
            shared.takeBack(a.userKey == null ? List.of(a.addressKey) : List.of(a.addressKey, a.userKey), a.at);
            shared.loggedIn(a.pair, a.at);
            return;
        }
        failures.remove(a.pair);
        forget(a.addressKey, a.at);
        if (a.userKey != null) {
            forget(a.userKey, a.at);
        }
        knownPairs.put(a.pair, a.at);
    }

    /** Zero when another failure may still be counted for the key, else how long until one may. */
    private Duration waitFor(String key, int limit, Instant now) {
        ArrayDeque<Instant> times = find(key);
        if (times == null) {
            return Duration.ZERO;
        }
        Instant cutoff = now.minus(limits.window());
        while (!times.isEmpty() && !times.peekFirst().isAfter(cutoff)) {
            times.removeFirst();
        }
        int excess = times.size() - limit;
        if (excess < 0) {
            return Duration.ZERO;
        }
        Iterator<Instant> it = times.iterator();
        Instant t = it.next();
        for (int i = 0; i < excess; i++) {
            t = it.next();
        }
        Duration left = Duration.between(now, t.plus(limits.window()));
        return left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left;
    }

    private ArrayDeque<Instant> find(String key) {
        ArrayDeque<Instant> times = failures.get(key);
        return times != null ? times : overflow[bucket(key)];
    }

    private void record(String key, Instant now) {
        ArrayDeque<Instant> times = failures.get(key);
        if (times == null) {
            if (failures.size() >= limits.trackedKeys()) {
                sweep(now);
            }
            if (failures.size() < limits.trackedKeys()) {
                times = new ArrayDeque<>();
                failures.put(key, times);
            } else {
                int b = bucket(key);
                if (overflow[b] == null) {
                    overflow[b] = new ArrayDeque<>();
                }
                times = overflow[b];
            }
        }
        times.addLast(now);
        while (times.size() > depth) {
            times.removeFirst();
        }
    }

    /** Drops counters whose failures all left the window; at most once a second, as it walks the table. */
    private void sweep(Instant now) {
        if (now.isBefore(lastSweep.plusSeconds(1)) && !now.isBefore(lastSweep)) {
            return;
        }
        lastSweep = now;
        Instant cutoff = now.minus(limits.window());
        failures.values().removeIf(times -> times.isEmpty() || !times.peekLast().isAfter(cutoff));
    }

    private void forget(String key, Instant at) {
        ArrayDeque<Instant> times = find(key);
        if (times != null) {
            times.removeLastOccurrence(at);
        }
    }

    private static int bucket(String key) {
        return Math.floorMod(key.hashCode() * 0x9E3779B9, OVERFLOW_BUCKETS);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** An IPv4 address as it is; an IPv6 address by its /64 network, which one subscriber usually holds whole. */
    static String addressKey(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet6Address) {
            return HexFormat.of().formatHex(b, 0, 8) + "/64";
        }
        return address.getHostAddress();
    }

    /** One login attempt: refused with the time to wait, or allowed and counted until it succeeds. */
    public final class Attempt {
        private final Duration retryAfter;
        private final Instant at;
        private final String pair;
        private final String addressKey;
        private final String userKey;

        private Attempt(Duration retryAfter, Instant at, String pair, String addressKey, String userKey) {
            this.retryAfter = retryAfter;
            this.at = at;
            this.pair = pair;
            this.addressKey = addressKey;
            this.userKey = userKey;
        }

        /** True when the password may be checked. */
        public boolean allowed() {
            return at != null;
        }

        /** How long the client must wait before this pair may try again, when refused. */
        public Optional<Duration> retryAfter() {
            return allowed() ? Optional.empty() : Optional.of(retryAfter);
        }

        /** The password was right: takes back this attempt's count and remembers the pair as known. */
        public void succeeded() {
            if (!allowed()) {
                throw new IllegalStateException("a refused attempt cannot succeed");
            }
            LoginThrottle.this.succeeded(this);
        }
    }
}
