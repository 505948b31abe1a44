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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
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
        return Cluster.openSmallStore(settings, cluster -> {
            OpenSearchCoordination c = new OpenSearchCoordination(cluster, settings.indexPrefix());
            cluster.createSmallIndex(c.nodes, "strict", OpenSearchCoordination::nodeFields);
            cluster.createSmallIndex(c.leases, "strict", OpenSearchCoordination::leaseFields);
            return c;
        });
    }

    private static void nodeFields(ObjectNode p) {
        p.putObject("name").put("type", "keyword");
        p.putObject("roles").put("type", "keyword");
        p.putObject("version").put("type", "keyword");
        p.putObject("started_at").put("type", "date").put("format", "epoch_millis");
        p.putObject("heartbeat_at").put("type", "date").put("format", "epoch_millis");
        p.putObject("inbox_depth").put("type", "long");
        p.putObject("leases").put("type", "keyword");
    }

    private static void leaseFields(ObjectNode p) {
        p.putObject("name").put("type", "keyword");
        p.putObject("holder").put("type", "keyword");
        p.putObject("expires_at").put("type", "date").put("format", "epoch_millis");
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
        cluster.ok("PUT", "/" + nodes + "/_doc/" + OpenSearchAccounts.id(status.name()), VISIBLE, doc);
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
        return cluster.delete(nodes, OpenSearchAccounts.id(name), VISIBLE, "forgetting the node " + name);
    }

    // ---- the leases

    @Override
    public Optional<Lease> acquire(String name, String holder, Instant now, Duration ttl) {
        Optional<Cluster.Versioned> read = cluster.get(leases, OpenSearchAccounts.id(name), "reading the lease " + name);
        if (read.isPresent()) {
            JsonNode d = read.get().source();
            boolean mine = d.path("holder").asText().equals(holder);
            if (!mine && d.path("expires_at").asLong() > now.toEpochMilli()) {
                return Optional.empty();
            }
        }
        return write(name, holder, now.plus(ttl), read.map(Cluster.Versioned::version).orElse(null));
    }

    @Override
    public Optional<Lease> renew(Lease held, Instant now, Duration ttl) {
        return write(held.name(), held.holder(), now.plus(ttl), version(held));
    }

    @Override
    public void release(Lease held) {
        // Gone or taken over since: nothing of ours left to release.
        cluster.delete(leases, OpenSearchAccounts.id(held.name()), version(held).params(VISIBLE),
                "releasing the lease " + held.name());
    }

    @Override
    public List<Lease> current() {
        List<Lease> out = new ArrayList<>();
        for (JsonNode hit : all(leases)) {
            JsonNode d = hit.path("_source");
            out.add(new Lease(d.path("name").asText(), d.path("holder").asText(),
                    Instant.ofEpochMilli(d.path("expires_at").asLong()),
                    versionText(Cluster.Version.of(hit))));
        }
        return out;
    }

    /** Writes the lease if it is still at {@code version} (null: if it has no document); empty when another node came first. */
    private Optional<Lease> write(String name, String holder, Instant expiresAt, Cluster.Version version) {
        ObjectNode doc = cluster.json().createObjectNode();
        doc.put("name", name);
        doc.put("holder", holder);
        doc.put("expires_at", expiresAt.toEpochMilli());
        return cluster.casPut(leases, OpenSearchAccounts.id(name), doc, version, "writing the lease " + name)
                .map(v -> new Lease(name, holder, expiresAt, versionText(v)));
    }

    private static String versionText(Cluster.Version v) {
        return v.seqNo() + ":" + v.primaryTerm();
    }

    private static Cluster.Version version(Lease held) {
        int colon = held.version().indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("not a lease version of this store: " + held.version());
        }
        return new Cluster.Version(held.version().substring(0, colon), held.version().substring(colon + 1));
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

    @Override
    public void close() {
        cluster.close();
    }
}
