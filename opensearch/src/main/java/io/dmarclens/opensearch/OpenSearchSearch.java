package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.store.Authenticity;
import io.dmarclens.store.query.ResolvedScope;
import io.dmarclens.store.search.SearchField;
import io.dmarclens.store.search.SearchHit;
import io.dmarclens.store.search.SearchQuery;
import io.dmarclens.store.search.SearchQueryParser;
import io.dmarclens.store.search.SearchResults;
import io.dmarclens.store.search.SearchSyntaxException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Search on the OpenSearch store: the query read by the one parser of every store, translated
 * ({@link SearchTranslator}), run over the record, failure report and TLS failure indices at once, newest
 * first (then by id), leaving out the reports a reader may not see yet ({@link Visibility}). Hits beyond
 * OpenSearch's window of 10,000 are paged with {@code search_after}; the total is exact.
 */
final class OpenSearchSearch {
    private static final int MAX_HITS = 100_000;
    private static final int PAGE = 10_000;

    private final Cluster cluster;
    private final IndexNames names;
    private final Visibility visibility;
    private final SearchTranslator translator = new SearchTranslator();

    OpenSearchSearch(Cluster cluster, IndexNames names, Visibility visibility) {
        this.cluster = cluster;
        this.names = names;
        this.visibility = visibility;
    }

    /**
     * The newest hits; with {@code excludeUnverified} none of a report whose origin is unverified.
     *
     * @throws SearchSyntaxException when the query cannot be read, or OpenSearch refuses to run it
     */
    SearchResults search(String queryText, int limit, boolean excludeUnverified, ResolvedScope scope)
            throws SearchSyntaxException {
        SearchQuery parsed = SearchQueryParser.parse(queryText);
        ObjectNode query = visible(translator.query(parsed), excludeUnverified);
        if (!scope.isAll()) {
            // inside the query, not after the top hits: totals and the first hits are the scope's own
            ObjectNode bounded = cluster.json().createObjectNode();
            ArrayNode filter = bounded.putObject("bool").putArray("filter");
            filter.add(query);
            filter.add(ScopeFilters.searchDocuments(scope));
            query = bounded;
        }
        int wanted = Math.max(1, Math.min(limit, MAX_HITS));
        String indices = names.of(Family.RECORDS) + "," + names.of(Family.FAILURES) + "," + names.of(Family.TLS_FAILURES);
        List<SearchHit> hits = new ArrayList<>();
        long total = 0;
        JsonNode after = null;
        while (hits.size() < wanted) {
            ObjectNode body = cluster.json().createObjectNode();
            body.set("query", query);
            body.put("size", Math.min(PAGE, wanted - hits.size()));
            body.put("_source", false);
            body.put("track_total_hits", after == null);
            ArrayNode sort = body.putArray("sort");
            sort.addObject().putObject(SearchTranslator.path(SearchField.DATE)).put("order", "desc").put("unmapped_type", "date");
            sort.addObject().putObject(SearchDocs.FIELD + "." + SearchDocs.ID).put("order", "desc").put("unmapped_type", "long");
            sort.addObject().putObject(SearchTranslator.path(SearchField.KIND)).put("order", "desc").put("unmapped_type", "keyword");
            if (after != null) {
                body.set("search_after", after);
            }
            Cluster.Reply r = cluster.send("POST", "/" + indices + "/_search",
                    Map.of("ignore_unavailable", "true", "allow_no_indices", "true"), body);
            if (r.status() == 400) {
                throw refused(queryText, r.body());
            }
            if (!r.ok()) {
                throw cluster.refused("the search '" + queryText + "'", r);
            }
            if (after == null) {
                total = r.body().path("hits").path("total").path("value").asLong();
            }
            JsonNode page = r.body().path("hits").path("hits");
            for (JsonNode hit : page) {
                JsonNode values = hit.path("sort");
                SearchHit.Kind kind = SearchHit.Kind.valueOf(values.path(2).asText().toUpperCase(Locale.ROOT));
                hits.add(new SearchHit(kind, values.path(1).asLong(), Instant.ofEpochMilli(values.path(0).asLong())));
                after = values;
            }
            if (page.size() < body.path("size").asInt()) {
                break;
            }
        }
        return new SearchResults(queryText, total, hits);
    }

    /** The query without the reports being written or taken out (records by report, TLS failures by TLS report). */
    private ObjectNode visible(ObjectNode query, boolean excludeUnverified) {
        Set<Long> hidden = visibility.hidden();
        if (hidden.isEmpty() && !excludeUnverified) {
            return query;
        }
        ObjectNode out = cluster.json().createObjectNode();
        ObjectNode bool = out.putObject("bool");
        bool.withArray("filter").add(query);
        if (excludeUnverified) {
            bool.withArray("must_not").addObject().putObject("term")
                    .put(SearchTranslator.path(SearchField.ORIGIN), Authenticity.Verdict.UNVERIFIED.code());
        }
        for (String field : hidden.isEmpty() ? List.<String>of() : List.of("report_ref", "tls_ref")) {
            ArrayNode terms = bool.withArray("must_not").addObject().putObject("terms").putArray(field);
            hidden.forEach(terms::add);
        }
        return out;
    }

    /** OpenSearch could not run the query: too big, or a value it refuses (a regular expression that is not one). */
    private static SearchSyntaxException refused(String queryText, JsonNode body) {
        JsonNode error = body.path("error");
        JsonNode root = error.path("root_cause").path(0);
        String type = root.path("type").asText(error.path("type").asText(""));
        String reason = root.path("reason").asText(error.path("reason").asText(""));
        if (type.contains("too_many") || error.toString().contains("too_many_clauses")) {
            return new SearchSyntaxException(queryText, SearchQueryParser.TOO_MANY_TERMS);
        }
        String line = reason.replaceAll("\\s+", " ").strip();
        if (line.length() > 200) {
            line = line.substring(0, 199) + "…";
        }
        return new SearchSyntaxException(queryText, "cannot read the search query: " + line);
    }
}
