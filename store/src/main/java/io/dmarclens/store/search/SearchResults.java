package io.dmarclens.store.search;

import java.util.List;

/**
 * The hits of a search, newest first.
 *
 * @param query     the query as typed
 * @param totalHits how many documents match in all (may exceed the hits returned)
 * @param hits      the first hits, up to the limit asked
 */
public record SearchResults(String query, long totalHits, List<SearchHit> hits) {
    public SearchResults {
        hits = List.copyOf(hits);
    }
}
