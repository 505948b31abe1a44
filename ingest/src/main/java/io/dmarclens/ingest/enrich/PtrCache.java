package io.dmarclens.ingest.enrich;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/** Reverse DNS answers kept with an expiry, so an address is looked up once per TTL, not per report. */
public interface PtrCache {
    /**
     * The unexpired entries among {@code ips}: an address maps to its name, or to an empty Optional when
     * it is known to have none. Addresses without a fresh entry are absent from the map.
     */
    Map<String, Optional<String>> lookup(Collection<String> ips);

    /** Remembers an answer ({@code name} null: no PTR record) until {@code expires}. */
    void store(String ip, String name, Instant expires);
}
