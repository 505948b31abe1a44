package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.store.users.PendingLogin;
import io.dmarclens.store.users.PendingLogins;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Pending second steps of two-factor logins in {@code PREFIX-pending-logins}, one document per step, its id the
 * digest of the step's id: the code may come through any node. A step is taken by deleting the version that was
 * read ({@code if_seq_no}), so of two nodes completing it at once one does. Times are epoch milliseconds; logins
 * are rare, so every write is refreshed at once and the bounds count what is there.
 */
final class OpenSearchPendingLogins implements PendingLogins {
    private final Cluster cluster;
    private final String index;

    OpenSearchPendingLogins(Cluster cluster, String index) {
        this.cluster = cluster;
        this.index = index;
    }

    /** The index's fields, for {@link OpenSearchAccounts}'s creation of it. */
    static void fields(ObjectNode p) {
        p.putObject("user").put("type", "keyword");
        p.putObject("credential").put("type", "keyword").put("index", false);
        p.putObject("created_at").put("type", "date").put("format", "epoch_millis");
        p.putObject("expires").put("type", "date").put("format", "epoch_millis");
        p.putObject("next").put("type", "keyword").put("index", false).put("doc_values", false);
    }

    @Override
    public boolean begin(PendingLogin p, int maxPerUser, int maxTotal) {
        // Lapsed steps go at every write, not only when the bound is reached: the index holds what is live.
        purge(p.createdAt());
        if (count() >= maxTotal) {
            return false;
        }
        ObjectNode doc = cluster.json().createObjectNode();
        doc.put("user", p.user()).put("credential", p.credential()).put("created_at", p.createdAt().toEpochMilli())
                .put("expires", p.expires().toEpochMilli()).put("next", p.next());
        cluster.ok("PUT", "/" + index + "/_doc/" + OpenSearchAccounts.id(p.digest()),
                Map.of("op_type", "create", "refresh", "true"), doc);
        ObjectNode search = cluster.json().createObjectNode();
        search.put("from", Math.max(1, maxPerUser)).put("size", 1000).put("_source", false);
        search.putObject("query").putObject("term").put("user", p.user());
        ArrayNode sort = search.putArray("sort");
        sort.addObject().put("created_at", "desc");
        for (JsonNode h : cluster.ok("POST", "/" + index + "/_search", null, search).path("hits").path("hits")) {
            cluster.send("DELETE", "/" + index + "/_doc/" + OpenSearchAccounts.id(h.path("_id").asText()),
                    Map.of("refresh", "true"), null);
        }
        return true;
    }

    private long count() {
        return cluster.ok("POST", "/" + index + "/_count", null, null).path("count").asLong();
    }

    @Override
    public Optional<PendingLogin> find(String digest, Instant now) {
        return read(digest, now).map(Read::login);
    }

    private record Read(PendingLogin login, Cluster.Version version) {
    }

    private Optional<Read> read(String digest, Instant now) {
        return cluster.get(index, OpenSearchAccounts.id(digest), "reading a pending login").flatMap(r -> {
            JsonNode d = r.source();
            PendingLogin p = new PendingLogin(digest, d.path("user").asText(), d.path("credential").asText(),
                    Instant.ofEpochMilli(d.path("created_at").asLong()), Instant.ofEpochMilli(d.path("expires").asLong()),
                    d.path("next").asText());
            return p.liveAt(now) ? Optional.of(new Read(p, r.version())) : Optional.empty();
        });
    }

    @Override
    public Optional<PendingLogin> take(String digest, Instant now) {
        Optional<Read> found = read(digest, now);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        boolean taken = cluster.delete(index, OpenSearchAccounts.id(digest),
                found.get().version().params(Map.of("refresh", "true")), "taking a pending login");
        return taken ? Optional.of(found.get().login()) : Optional.empty();
    }

    @Override
    public int purge(Instant now) {
        ObjectNode query = cluster.json().createObjectNode();
        query.putObject("query").putObject("range").putObject("expires").put("lt", now.toEpochMilli());
        return cluster.ok("POST", "/" + index + "/_delete_by_query", Map.of("refresh", "true", "conflicts", "proceed"),
                query).path("deleted").asInt();
    }
}
