package io.dmarclens.posture;

import io.dmarclens.posture.DnsClient;
import io.dmarclens.posture.PostureChecker;
import io.dmarclens.posture.PostureReport;
import io.dmarclens.posture.StorePostureData;
import io.dmarclens.store.Store;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Runs posture checks for the dashboard and keeps each domain's result for a while, since a check asks
 * DNS dozens of questions and the page is opened often. Off in offline mode.
 */
public final class PostureService {
    /** How long a check's result is shown before the next view checks again. */
    public static final Duration CACHE_FOR = Duration.ofMinutes(10);

    private final Store store;
    private final InetSocketAddress dnsServer;
    private final Duration timeout;
    private final boolean offline;
    private final Clock clock;
    private final boolean excludeUnverified;
    private final ConcurrentMap<String, PostureReport> cache = new ConcurrentHashMap<>();

    /**
     * @param dnsServer the resolver to ask, or null for the system's
     * @param timeout   timeout of one DNS question
     * @param offline   when true no DNS is asked and {@link #check} returns empty
     */
    public PostureService(Store store, InetSocketAddress dnsServer, Duration timeout, boolean offline, Clock clock) {
        this(store, dnsServer, timeout, offline, clock, false);
    }

    /**
     * @param excludeUnverified readiness leaves reports of unverified origin out, as the dashboard's figures do
     */
    public PostureService(Store store, InetSocketAddress dnsServer, Duration timeout, boolean offline, Clock clock,
                          boolean excludeUnverified) {
        this.excludeUnverified = excludeUnverified;
        this.store = store;
        this.dnsServer = dnsServer;
        this.timeout = timeout;
        this.offline = offline;
        this.clock = clock;
    }

    /** A service that never asks DNS (offline mode, and tests without a DNS server). */
    public static PostureService offline(Store store, Clock clock) {
        return new PostureService(store, null, Duration.ofSeconds(2), true, clock);
    }

    public boolean offline() {
        return offline;
    }

    /** The posture of a domain, from the cache unless older than {@link #CACHE_FOR} or {@code fresh}. */
    public Optional<PostureReport> check(String domain, boolean fresh) {
        if (offline) {
            return Optional.empty();
        }
        String key = domain.strip().toLowerCase(Locale.ROOT);
        PostureReport cached = cache.get(key);
        Instant now = clock.instant();
        if (!fresh && cached != null && cached.checkedAt().plus(CACHE_FOR).isAfter(now)) {
            return Optional.of(cached);
        }
        PostureChecker checker = new PostureChecker(new DnsClient(dnsServer, timeout),
                new StorePostureData(store.sources(), excludeUnverified), clock);
        PostureReport report = checker.check(key, List.of());
        cache.put(key, report);
        return Optional.of(report);
    }
}
