package io.dmarclens.index.search;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A bounded memo for values that repeat across millions of documents (addresses, auth result lists,
 * text tokens): the least recently used entry goes first. For the indexer thread only; not thread-safe.
 */
final class LruCache<K, V> {
    private final Map<K, V> map;

    LruCache(int maxEntries) {
        this.map = new LinkedHashMap<>(1_024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > maxEntries;
            }
        };
    }

    /** The cached value of {@code key}, computing (and keeping) it first when absent; never null. */
    V get(K key, Function<K, V> compute) {
        V value = map.get(key);
        if (value == null) {
            value = compute.apply(key);
            map.put(key, value);
        }
        return value;
    }
}
