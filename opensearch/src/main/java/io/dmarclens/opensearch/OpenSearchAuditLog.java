package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.store.StoreException;
import io.dmarclens.store.audit.AuditEntry;
import io.dmarclens.store.audit.AuditLog;
import io.dmarclens.store.audit.AuditQuery;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The audit log on the cluster, {@code PREFIX-audit}, beside the accounts it speaks of, so that every node of a
 * cluster writes to and shows one log. Append-only as far as DMARC Lens goes: entries are created with
 * {@code op_type=create} under fresh ids and nothing here updates or deletes one (unlike {@code web.db}'s
 * triggers, the cluster itself cannot refuse a change by somebody holding its credentials; docs/security.md).
 *
 * <p>Order: newest first by a sequence key made of the entry's time, a counter of this process (entries of the
 * same millisecond keep the order they were written in) and a random part (two nodes never collide).
 */
public final class OpenSearchAuditLog implements AuditLog {
    /** The most entries one read returns (the cluster's default result window). */
    private static final int MAX_READ = 10_000;

    private final Cluster cluster;
    private final String index;
    private final AtomicLong counter = new AtomicLong();
    private final String node;

    private OpenSearchAuditLog(Cluster cluster, String prefix) {
        this.cluster = cluster;
        this.index = prefix + "-audit";
        byte[] b = new byte[4];
        new SecureRandom().nextBytes(b);
        this.node = HexFormat.of().formatHex(b);
    }

    /**
     * Connects and creates the index when missing.
     *
     * @throws StoreException when the cluster cannot be reached or refuses
     */
    public static OpenSearchAuditLog open(OpenSearchSettings settings) {
        return Cluster.openSmallStore(settings, cluster -> {
            OpenSearchAuditLog log = new OpenSearchAuditLog(cluster, settings.indexPrefix());
            cluster.createSmallIndex(log.index, "strict", OpenSearchAuditLog::fields);
            return log;
        });
    }

    private static void fields(ObjectNode p) {
        p.putObject("seq").put("type", "keyword");
        p.putObject("at").put("type", "date").put("format", "epoch_millis");
        p.putObject("user").put("type", "keyword");
        p.putObject("action").put("type", "keyword");
        p.putObject("subject").put("type", "keyword").put("index", false).put("doc_values", false);
        p.putObject("address").put("type", "keyword");
    }

    @Override
    public void append(AuditEntry e) {
        String seq = String.format("%013d-%012d-%s", e.at().toEpochMilli(), counter.incrementAndGet(), node);
        ObjectNode doc = cluster.json().createObjectNode();
        doc.put("seq", seq).put("at", e.at().toEpochMilli()).put("user", e.user()).put("action", e.action())
                .put("subject", e.subject()).put("address", e.address());
        // No refresh here: an entry is durable once acknowledged, and reads refresh first (they are rare, logins
        // and exports are not).
        Cluster.Reply r = cluster.send("PUT", "/" + index + "/_doc/" + seq, Map.of("op_type", "create"), doc);
        if (!r.ok()) {
            throw cluster.refused("appending to the audit log", r);
        }
    }

    @Override
    public List<AuditEntry> find(AuditQuery q) {
        cluster.ok("POST", "/" + index + "/_refresh", null, null);
        ObjectNode body = cluster.json().createObjectNode();
        body.put("size", Math.max(0, Math.min(MAX_READ, q.limit())));
        ArrayNode filter = body.putObject("query").putObject("bool").putArray("filter");
        q.user().ifPresent(u -> filter.addObject().putObject("term").put("user", u));
        q.action().ifPresent(a -> filter.addObject().putObject("term").put("action", a));
        if (q.from().isPresent() || q.to().isPresent()) {
            ObjectNode range = filter.addObject().putObject("range").putObject("at");
            q.from().ifPresent(f -> range.put("gte", f.toEpochMilli()));
            q.to().ifPresent(t -> range.put("lt", t.toEpochMilli()));
        }
        body.putArray("sort").addObject().put("seq", "desc");
        List<AuditEntry> out = new ArrayList<>();
        if (q.limit() <= 0) {
            return out;
        }
        for (JsonNode h : cluster.ok("POST", "/" + index + "/_search", null, body).path("hits").path("hits")) {
            JsonNode s = h.path("_source");
            out.add(new AuditEntry(Instant.ofEpochMilli(s.path("at").asLong()), s.path("user").asText(),
                    s.path("action").asText(), s.path("subject").asText(), s.path("address").asText()));
        }
        return out;
    }

    @Override
    public void close() {
        cluster.close();
    }
}
