package io.dmarclens.ingest.enrich;

import io.dmarclens.store.PtrCacheEntry;
import io.dmarclens.store.Store;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Reverse DNS answers cached in the store's database, so they survive restarts. */
public final class StorePtrCache implements PtrCache {
    private final Store store;

    public StorePtrCache(Store store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public Map<String, Optional<String>> lookup(Collection<String> ips) {
        Map<String, Optional<String>> found = new HashMap<>();
        for (String ip : ips) {
            Optional<PtrCacheEntry> entry = store.cachedPtr(ip);
            entry.ifPresent(e -> found.put(ip, Optional.ofNullable(e.name())));
        }
        return found;
    }

    @Override
    public void store(String ip, String name, Instant expires) {
        store.cachePtr(ip, name, expires);
    }
}
