package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.store.users.SessionStore;
import io.dmarclens.store.users.StoredSession;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Login sessions in {@code PREFIX-sessions}, one document per session, its id the digest of the session id:
 * every DMARC Lens process on the cluster finds a session by a realtime get, so a login through one node works
 * on the next and a logout (a delete) holds on every node at once. Times are epoch milliseconds.
 */
final class OpenSearchSessions implements SessionStore {
    private final Cluster cluster;
    private final String index;

    OpenSearchSessions(Cluster cluster, String index) {
        this.cluster = cluster;
        this.index = index;
    }

    /** The index's fields, for {@link OpenSearchAccounts}'s creation of it. */
    static void fields(ObjectNode p) {
        p.putObject("digest").put("type", "keyword");
        p.putObject("user").put("type", "keyword");
        p.putObject("csrf_token").put("type", "keyword").put("index", false);
        p.putObject("credential").put("type", "keyword").put("index", false);
        p.putObject("created_at").put("type", "date").put("format", "epoch_millis");
        p.putObject("expires").put("type", "date").put("format", "epoch_millis");
        p.putObject("ends_at").put("type", "date").put("format", "epoch_millis");
        p.putObject("enrol_only").put("type", "boolean");
    }

    @Override
    public void create(StoredSession s, int maxPerUser) {
        ObjectNode doc = cluster.json().createObjectNode();
        doc.put("digest", s.digest()).put("user", s.user()).put("csrf_token", s.csrfToken())
                .put("credential", s.credential()).put("created_at", s.createdAt().toEpochMilli())
                .put("expires", s.expires().toEpochMilli()).put("ends_at", s.endsAt().toEpochMilli())
                .put("enrol_only", s.enrolOnly());
        // Refreshed at once (a login is rare): the bound below must see the new session among the user's.
        cluster.ok("PUT", "/" + index + "/_doc/" + OpenSearchAccounts.id(s.digest()),
                Map.of("op_type", "create", "refresh", "true"), doc);
        ObjectNode search = cluster.json().createObjectNode();
        search.put("from", Math.max(1, maxPerUser)).put("size", 1000).put("_source", false);
        search.putObject("query").putObject("term").put("user", s.user());
        ArrayNode sort = search.putArray("sort");
        sort.addObject().put("created_at", "desc");
        sort.addObject().put("digest", "desc");
        JsonNode hits = cluster.ok("POST", "/" + index + "/_search", null, search).path("hits").path("hits");
        for (JsonNode h : hits) {
            end(h.path("_id").asText());
        }
    }

    @Override
    public Optional<StoredSession> find(String digest, Instant now) {
        return cluster.get(index, OpenSearchAccounts.id(digest), "reading a login session").flatMap(r -> {
            JsonNode d = r.source();
            StoredSession s = new StoredSession(digest, d.path("user").asText(), d.path("csrf_token").asText(),
                    d.path("credential").asText(), Instant.ofEpochMilli(d.path("created_at").asLong()),
                    Instant.ofEpochMilli(d.path("expires").asLong()), Instant.ofEpochMilli(d.path("ends_at").asLong()),
                    d.path("enrol_only").asBoolean());
            return s.liveAt(now) ? Optional.of(s) : Optional.empty();
        });
    }

    @Override
    public void renew(String digest, Instant expires) {
        // Never moves the expiry back: two nodes renewing at once leave the later time.
        script(digest, "if (ctx._source.expires < params.e) { ctx._source.expires = params.e } else { ctx.op = 'noop' }",
                Map.of("e", expires.toEpochMilli()), "renewing a login session");
    }

    @Override
    public void completeEnrolment(String digest) {
        script(digest, "ctx._source.enrol_only = false", Map.of(), "completing an enrolment");
    }

    private void script(String digest, String source, Map<String, Object> params, String what) {
        ObjectNode body = cluster.json().createObjectNode();
        ObjectNode script = body.putObject("script");
        script.put("lang", "painless").put("source", source);
        script.set("params", cluster.json().valueToTree(params));
        Cluster.Reply r = cluster.send("POST", "/" + index + "/_update/" + OpenSearchAccounts.id(digest),
                Map.of("retry_on_conflict", "5"), body);
        if (!r.ok() && r.status() != 404) {
            throw cluster.refused(what, r);
        }
    }

    @Override
    public boolean end(String digest) {
        return cluster.delete(index, OpenSearchAccounts.id(digest), Map.of("refresh", "true"), "ending a login session");
    }

    @Override
    public int endAll(String user) {
        ObjectNode query = cluster.json().createObjectNode();
        query.putObject("query").putObject("term").put("user", user);
        return deleteByQuery(query);
    }

    @Override
    public int purge(Instant now) {
        ObjectNode query = cluster.json().createObjectNode();
        ObjectNode bool = query.putObject("query").putObject("bool");
        bool.put("minimum_should_match", 1);
        ArrayNode should = bool.putArray("should");
        should.addObject().putObject("range").putObject("expires").put("lt", now.toEpochMilli());
        should.addObject().putObject("range").putObject("ends_at").put("lte", now.toEpochMilli());
        return deleteByQuery(query);
    }

    private int deleteByQuery(ObjectNode query) {
        // Renewals are not refreshed (gets read in real time): the search must see them, or it would judge a
        // renewed session by its old expiry. A renewal after the refresh makes the delete a skipped conflict.
        cluster.ok("POST", "/" + index + "/_refresh", null, null);
        return cluster.ok("POST", "/" + index + "/_delete_by_query", Map.of("refresh", "true", "conflicts", "proceed"),
                query).path("deleted").asInt();
    }
}
