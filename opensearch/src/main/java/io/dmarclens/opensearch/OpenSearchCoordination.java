package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.store.StoreException;
import io.dmarclens.store.cluster.Coordination;
import io.dmarclens.store.cluster.Lease;
import io.dmarclens.store.cluster.Leases;
import io.dmarclens.store.cluster.NodeRegistry;
import io.dmarclens.store.cluster.NodeRole;
import io.dmarclens.store.cluster.NodeStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The node registry and the leases of several DMARC Lens nodes on one cluster: {@code PREFIX-nodes} (one document
 * per node, its id the node's name, replaced by each heartbeat) and {@code PREFIX-leases} (one document per lease,
 * its id the lease's name). A lease changes only by compare-and-set: created with {@code op_type=create} when it
 * has no document, else written with the {@code if_seq_no}/{@code if_primary_term} of the document read; a node
 * that lost the race is answered 409 and does not hold it. Its version is that sequence number and primary term.
 * Writes are fsynced before acknowledged (translog durability {@code request}) and refreshed at once (the indices
 * are tiny), so the Ingest page shows what was written.
 */
public final class OpenSearchCoordination implements Coordination, NodeRegistry, Leases {
    private static final Map<String, String> VISIBLE = Map.of("refresh", "true");

    private final Cluster cluster;
    private final String nodes;
    private final String leases;

    private OpenSearchCoordination(Cluster cluster, String prefix) {
        this.cluster = cluster;
        this.nodes = prefix + "-nodes";
        this.leases = prefix + "-leases";
    }

    /**
     * Connects and creates the two indices when missing.
     *
     * @throws StoreException when the cluster cannot be reached or refuses
     */
    public static OpenSearchCoordination open(OpenSearchSettings settings) {
        Objects.requireNonNull(settings, "settings");
        Cluster cluster = Cluster.connect(settings, OpenSearchStore.jsonMapper());
        try {
            OpenSearchCoordination c = new OpenSearchCoordination(cluster, settings.indexPrefix());
            c.create(c.nodes, settings, true);
            c.create(c.leases, settings, false);
            return c;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private void create(String index, OpenSearchSettings settings, boolean forNodes) {
        ObjectNode body = cluster.json().createObjectNode();
        ObjectNode s = body.putObject("settings").putObject("index");
        s.put("number_of_shards", 1);
        s.put("number_of_replicas", settings.replicas());
        s.put("translog.durability", "request");
        ObjectNode mappings = body.putObject("mappings");
        mappings.put("dynamic", "strict");
        ObjectNode p = mappings.putObject("properties");
        p.putObject("name").put("type", "keyword");
        if (forNodes) {
            p.putObject("roles").put("type", "keyword");
            p.putObject("version").put("type", "keyword");
            p.putObject("started_at").put("type", "date").put("format", "epoch_millis");
            p.putObject("heartbeat_at").put("type", "date").put("format", "epoch_millis");
            p.putObject("inbox_depth").put("type", "long");
            p.putObject("leases").put("type", "keyword");
        } else {
            p.putObject("holder").put("type", "keyword");
            p.putObject("expires_at").put("type", "date").put("format", "epoch_millis");
        }
        cluster.createIndex(index, body);
    }

    @Override
    public NodeRegistry registry() {
        return this;
    }

    @Override
    public Leases leases() {
        return this;
    }

    @Override
    public boolean shared() {
        return true;
    }

    // ---- the registry

    @Override
    public void heartbeat(NodeStatus status) {
        ObjectNode doc = cluster.json().createObjectNode();
        doc.put("name", status.name());
        ArrayNode roles = doc.putArray("roles");
        status.roles().stream().sorted().forEach(r -> roles.add(r.id()));
        doc.put("version", status.version());
        doc.put("started_at", status.startedAt().toEpochMilli());
        doc.put("heartbeat_at", status.heartbeatAt().toEpochMilli());
        doc.put("inbox_depth", status.inboxDepth());
        ArrayNode held = doc.putArray("leases");
        status.leases().forEach(held::add);
        cluster.ok("PUT", "/" + nodes + "/_doc/" + id(status.name()), VISIBLE, doc);
    }

    @Override
    public List<NodeStatus> statuses() {
        List<NodeStatus> out = new ArrayList<>();
        for (JsonNode hit : all(nodes)) {
            JsonNode d = hit.path("_source");
            EnumSet<NodeRole> roles = EnumSet.noneOf(NodeRole.class);
            for (JsonNode r : d.path("roles")) {
                try {
                    roles.add(NodeRole.parse(r.asText()));
                } catch (IllegalArgumentException newer) {
                    // a role of a newer version: not ours to show
                }
            }
            List<String> held = new ArrayList<>();
            d.path("leases").forEach(l -> held.add(l.asText()));
            out.add(new NodeStatus(d.path("name").asText(), roles, d.path("version").asText(),
                    Instant.ofEpochMilli(d.path("started_at").asLong()), Instant.ofEpochMilli(d.path("heartbeat_at").asLong()),
                    d.path("inbox_depth").asLong(), held));
        }
        return out;
    }

    @Override
    public boolean forget(String name) {
        Cluster.Reply r = cluster.send("DELETE", "/" + nodes + "/_doc/" + id(name), VISIBLE, null);
        if (r.status() == 404) {
            return false;
        }
        if (!r.ok()) {
            throw cluster.refused("forgetting the node " + name, r);
        }
        return true;
    }

    // ---- the leases

    @Override
    public Optional<Lease> acquire(String name, String holder, Instant now, Duration ttl) {
        Cluster.Reply read = cluster.send("GET", "/" + leases + "/_doc/" + id(name), null, null);
        Map<String, String> params = new LinkedHashMap<>(VISIBLE);
        if (read.ok() && read.body().path("found").asBoolean()) {
            JsonNode d = read.body().path("_source");
            boolean mine = d.path("holder").asText().equals(holder);
            if (!mine && d.path("expires_at").asLong() > now.toEpochMilli()) {
                return Optional.empty();
            }
            params.put("if_seq_no", read.body().path("_seq_no").asText());
            params.put("if_primary_term", read.body().path("_primary_term").asText());
        } else if (read.status() == 404) {
            params.put("op_type", "create");
        } else {
            throw cluster.refused("reading the lease " + name, read);
        }
        return write(name, holder, now.plus(ttl), params);
    }

    @Override
    public Optional<Lease> renew(Lease held, Instant now, Duration ttl) {
        Map<String, String> params = new LinkedHashMap<>(VISIBLE);
        putVersion(params, held);
        return write(held.name(), held.holder(), now.plus(ttl), params);
    }

    @Override
    public void release(Lease held) {
        Map<String, String> params = new LinkedHashMap<>(VISIBLE);
        putVersion(params, held);
        Cluster.Reply r = cluster.send("DELETE", "/" + leases + "/_doc/" + id(held.name()), params, null);
        if (!r.ok() && r.status() != 404 && r.status() != 409) {
            throw cluster.refused("releasing the lease " + held.name(), r);
        }
    }

    @Override
    public List<Lease> current() {
        List<Lease> out = new ArrayList<>();
        for (JsonNode hit : all(leases)) {
            JsonNode d = hit.path("_source");
            out.add(new Lease(d.path("name").asText(), d.path("holder").asText(),
                    Instant.ofEpochMilli(d.path("expires_at").asLong()),
                    hit.path("_seq_no").asText() + ":" + hit.path("_primary_term").asText()));
        }
        return out;
    }

    private Optional<Lease> write(String name, String holder, Instant expiresAt, Map<String, String> params) {
        ObjectNode doc = cluster.json().createObjectNode();
        doc.put("name", name);
        doc.put("holder", holder);
        doc.put("expires_at", expiresAt.toEpochMilli());
        Cluster.Reply r = cluster.send("PUT", "/" + leases + "/_doc/" + id(name), params, doc);
        if (r.status() == 409) {
            return Optional.empty(); // another node wrote it first
        }
        if (!r.ok()) {
            throw cluster.refused("writing the lease " + name, r);
        }
        return Optional.of(new Lease(name, holder, expiresAt,
                r.body().path("_seq_no").asText() + ":" + r.body().path("_primary_term").asText()));
    }

    private static void putVersion(Map<String, String> params, Lease held) {
        int colon = held.version().indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("not a lease version of this store: " + held.version());
        }
        params.put("if_seq_no", held.version().substring(0, colon));
        params.put("if_primary_term", held.version().substring(colon + 1));
    }

    /** Every document of a tiny index, sorted by name (a few nodes, a lease per mailbox and job). */
    private List<JsonNode> all(String index) {
        ObjectNode body = cluster.json().createObjectNode();
        body.put("size", 10_000);
        body.put("seq_no_primary_term", true);
        body.putArray("sort").addObject().put("name", "asc");
        List<JsonNode> out = new ArrayList<>();
        cluster.ok("POST", "/" + index + "/_search", null, body).path("hits").path("hits").forEach(out::add);
        return out;
    }

    private static String id(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void close() {
        cluster.close();
    }
}
