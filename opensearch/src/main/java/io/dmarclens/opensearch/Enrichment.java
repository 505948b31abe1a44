package io.dmarclens.opensearch;

import io.dmarclens.store.PtrCacheEntry;
import io.dmarclens.store.StoredRecordFacts;
import io.dmarclens.store.enrichment.RecordEnrichment;
import io.dmarclens.store.enrichment.SenderInfo;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/** Senders, re-classification and the reverse DNS cache. */
interface Enrichment {
    void updateSender(String ip, SenderInfo info);

    int reclassify(String ip, Function<StoredRecordFacts, RecordEnrichment> classifier);

    Optional<PtrCacheEntry> cachedPtr(String ip);

    void cachePtr(String ip, String name, Instant expiresAt);
}
