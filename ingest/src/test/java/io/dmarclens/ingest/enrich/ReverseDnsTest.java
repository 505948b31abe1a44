package io.dmarclens.ingest.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reverse DNS against a real UDP DNS server on loopback. */
class ReverseDnsTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private final MemoryPtrCache cache = new MemoryPtrCache(clock);
    private LoopbackDnsServer server;
    private ReverseDns dns;

    @BeforeEach
    void start() throws Exception {
        server = new LoopbackDnsServer()
                .answer("209.85.220.41", "mail-sor-f41.google.com")
                .answer("2a00:1450:4864:20::130", "mail-lj1-x130.google.com")
                .ignore("192.0.2.99");
        dns = new ReverseDns(ReverseDns.resolver(server.hostPort()), cache,
                new ReverseDns.Settings(4, Duration.ofMillis(300), Duration.ofDays(7), Duration.ofDays(1), 100), clock);
    }

    @AfterEach
    void stop() {
        dns.close();
        server.close();
    }

    @Test
    void namesAreResolvedAndCachedWithTheirTtl() throws Exception {
        assertEquals(Optional.of("mail-sor-f41.google.com"), dns.resolve("209.85.220.41").get(5, TimeUnit.SECONDS));
        assertEquals(Optional.of("mail-lj1-x130.google.com"),
                dns.resolve("2a00:1450:4864:20::130").get(5, TimeUnit.SECONDS));
        assertEquals(Instant.parse("2026-01-08T00:00:00Z"), cache.entries.get("209.85.220.41").expires());
        assertEquals(Optional.of("mail-sor-f41.google.com"), dns.cached(List.of("209.85.220.41")).get("209.85.220.41"));
    }

    @Test
    void nxdomainIsCachedAsNoName() throws Exception {
        assertEquals(Optional.empty(), dns.resolve("198.51.100.1").get(5, TimeUnit.SECONDS));
        MemoryPtrCache.Entry entry = cache.entries.get("198.51.100.1");
        assertNull(entry.name());
        assertEquals(Instant.parse("2026-01-02T00:00:00Z"), entry.expires());
        assertEquals(Optional.empty(), dns.cached(List.of("198.51.100.1")).get("198.51.100.1"));
    }

    @Test
    void anUnansweredLookupTimesOutQuicklyAndIsNotCached() throws Exception {
        long start = System.nanoTime();
        assertEquals(Optional.empty(), dns.resolve("192.0.2.99").get(10, TimeUnit.SECONDS));
        assertTrue(server.queries.get() >= 1, "the server was asked");
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "bounded by the timeout");
        assertFalse(cache.entries.containsKey("192.0.2.99"));
    }

    @Test
    void concurrentRequestsForOneAddressShareOneLookup() throws Exception {
        var first = dns.resolve("192.0.2.99");
        var second = dns.resolve("192.0.2.99");
        assertSame(first, second);
        first.get(10, TimeUnit.SECONDS);
    }

    @Test
    void offlineDoesNoDnsAtAll() throws Exception {
        cache.store("203.0.113.5", "known.example.net", clock.instant().plusSeconds(60));
        try (ReverseDns offline = ReverseDns.offline(cache)) {
            assertFalse(offline.online());
            assertEquals(Optional.empty(), offline.resolve("209.85.220.41").get(1, TimeUnit.SECONDS));
            assertEquals(Optional.of("known.example.net"), offline.cached(List.of("203.0.113.5")).get("203.0.113.5"));
        }
        assertEquals(0, server.queries.get());
    }
}
