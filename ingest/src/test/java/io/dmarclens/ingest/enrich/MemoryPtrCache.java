package io.dmarclens.ingest.enrich;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A PTR cache in memory, honouring expiry against a clock, for tests without a database. */
final class MemoryPtrCache implements PtrCache {
    record Entry(String name, Instant expires) {
    }

    final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Clock clock;

    MemoryPtrCache(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Map<String, Optional<String>> lookup(Collection<String> ips) {
        Map<String, Optional<String>> fresh = new HashMap<>();
        for (String ip : ips) {
            Entry e = entries.get(ip);
            if (e != null && e.expires().isAfter(clock.instant())) {
                fresh.put(ip, Optional.ofNullable(e.name()));
            }
        }
        return fresh;
    }

    @Override
    public void store(String ip, String name, Instant expires) {
        entries.put(ip, new Entry(name, expires));
    }
}
