package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.store.users.LoginFailures;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Failed-login counters in {@code PREFIX-login-failures}: one document per counter (id {@code f-} and the
 * SHA-256 of its key) with the times of its newest failures, changed by scripted updates so that two nodes
 * counting at once both count; and one per pair that logged in ({@code k-...}). Times are epoch milliseconds.
 */
final class OpenSearchLoginFailures implements LoginFailures {
    private static final String ADD = "def kept = new ArrayList();"
            + " if (ctx._source.failures != null) { for (def t : ctx._source.failures) { if ((long) t > (long) params.since) { kept.add((long) t); } } }"
            + " kept.add((long) params.at); Collections.sort(kept);"
            + " while (kept.size() > params.depth) { kept.remove(0); }"
            + " ctx._source.key = params.key; ctx._source.failures = kept; ctx._source.newest = kept.get(kept.size() - 1);";
    private static final String TAKE_BACK = "def f = ctx._source.failures; int found = -1;"
            + " if (f != null) { for (int i = 0; i < f.size(); i++) { if ((long) f.get(i) == (long) params.at) { found = i; break; } } }"
            + " if (found < 0) { ctx.op = 'noop' } else { f.remove(found); }";
    private static final String LOGGED_IN = "ctx._source.key = params.key;"
            + " if (ctx._source.login == null || (long) ctx._source.login < (long) params.at) { ctx._source.login = params.at }";

    private final Cluster cluster;
    private final String index;

    OpenSearchLoginFailures(Cluster cluster, String index) {
        this.cluster = cluster;
        this.index = index;
    }

    /** The index's fields, for {@link OpenSearchAccounts}'s creation of it. */
    static void fields(ObjectNode p) {
        p.putObject("key").put("type", "keyword").put("index", false);
        p.putObject("failures").put("type", "long").put("index", false);
        p.putObject("newest").put("type", "date").put("format", "epoch_millis");
        p.putObject("login").put("type", "date").put("format", "epoch_millis");
    }

    private static String failureId(String key) {
        return "f-" + DocIds.hex("login-failures", key);
    }

    private static String loginId(String key) {
        return "k-" + DocIds.hex("login-known", key);
    }

    @Override
    public Map<String, List<Instant>> failures(Collection<String> keys, Instant since) {
        List<String> unique = new ArrayList<>(new LinkedHashSet<>(keys));
        Map<String, List<Instant>> out = new LinkedHashMap<>();
        if (unique.isEmpty()) {
            return out;
        }
        ObjectNode body = cluster.json().createObjectNode();
        ArrayNode ids = body.putArray("ids");
        unique.forEach(k -> ids.add(failureId(k)));
        JsonNode docs = cluster.ok("POST", "/" + index + "/_mget", null, body).path("docs");
        for (int i = 0; i < unique.size(); i++) {
            JsonNode d = docs.path(i);
            if (!d.path("found").asBoolean()) {
                continue;
            }
            List<Instant> times = new ArrayList<>();
            for (JsonNode t : d.path("_source").path("failures")) {
                if (t.asLong() > since.toEpochMilli()) {
                    times.add(Instant.ofEpochMilli(t.asLong()));
                }
            }
            times.sort(null);
            if (!times.isEmpty()) {
                out.put(unique.get(i), List.copyOf(times));
            }
        }
        return out;
    }

    @Override
    public void add(Collection<String> keys, Instant at, int depth, Instant since) {
        for (String key : new LinkedHashSet<>(keys)) {
            ObjectNode body = script(ADD, Map.of("key", key, "at", at.toEpochMilli(), "depth", Math.max(1, depth),
                    "since", since.toEpochMilli()));
            body.put("scripted_upsert", true);
            body.putObject("upsert");
            update(failureId(key), body, "counting a failed login");
        }
    }

    @Override
    public void takeBack(Collection<String> keys, Instant at) {
        for (String key : new LinkedHashSet<>(keys)) {
            update(failureId(key), script(TAKE_BACK, Map.of("at", at.toEpochMilli())), "taking back a failed login");
        }
    }

    @Override
    public void clear(String key) {
        Cluster.Reply r = cluster.send("DELETE", "/" + index + "/_doc/" + failureId(key), null, null);
        if (!r.ok() && r.status() != 404) {
            throw cluster.refused("clearing failed logins", r);
        }
    }

    @Override
    public void loggedIn(String key, Instant at) {
        ObjectNode body = script(LOGGED_IN, Map.of("key", key, "at", at.toEpochMilli()));
        body.put("scripted_upsert", true);
        body.putObject("upsert");
        update(loginId(key), body, "remembering a login");
    }

    @Override
    public Optional<Instant> lastLogin(String key) {
        Cluster.Reply r = cluster.send("GET", "/" + index + "/_doc/" + loginId(key), null, null);
        if (r.status() == 404 || r.ok() && !r.body().path("found").asBoolean()) {
            return Optional.empty();
        }
        if (!r.ok()) {
            throw cluster.refused("reading a remembered login", r);
        }
        return Optional.of(Instant.ofEpochMilli(r.body().path("_source").path("login").asLong()));
    }

    @Override
    public int purge(Instant failuresBefore, Instant loginsBefore) {
        // Gets read counters in real time; the search of a purge sees only what a refresh made visible.
        cluster.ok("POST", "/" + index + "/_refresh", null, null);
        ObjectNode query = cluster.json().createObjectNode();
        ObjectNode bool = query.putObject("query").putObject("bool");
        bool.put("minimum_should_match", 1);
        ArrayNode should = bool.putArray("should");
        should.addObject().putObject("range").putObject("newest").put("lte", failuresBefore.toEpochMilli());
        should.addObject().putObject("range").putObject("login").put("lte", loginsBefore.toEpochMilli());
        return cluster.ok("POST", "/" + index + "/_delete_by_query", Map.of("refresh", "true", "conflicts", "proceed"),
                query).path("deleted").asInt();
    }

    private ObjectNode script(String source, Map<String, Object> params) {
        ObjectNode body = cluster.json().createObjectNode();
        ObjectNode script = body.putObject("script");
        script.put("lang", "painless").put("source", source);
        script.set("params", cluster.json().valueToTree(params));
        return body;
    }

    private void update(String id, ObjectNode body, String what) {
        Cluster.Reply r = cluster.send("POST", "/" + index + "/_update/" + id,
                Map.of("retry_on_conflict", "10"), body);
        if (!r.ok() && r.status() != 404) {
            throw cluster.refused(what, r);
        }
    }
}
