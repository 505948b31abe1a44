package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.store.StoreException;
import io.dmarclens.store.ingestlog.InboxIds;
import io.dmarclens.store.ingestlog.InboxMessage;
import io.dmarclens.store.ingestlog.IngestLog;
import io.dmarclens.store.ingestlog.IngestLogEntry;
import io.dmarclens.store.ingestlog.IngestLogPage;
import io.dmarclens.store.ingestlog.IngestStatus;
import io.dmarclens.store.ingestlog.MessageOrigin;
import io.dmarclens.store.ingestlog.ProcessingResult;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The ingest log of every node on the cluster, in {@code PREFIX-ingest-log} (one document per message, its id the
 * inbox id, with the name of the node that received it), and the bytes of quarantined messages in
 * {@code PREFIX-quarantine} (one document per message, base64; a message is at most the inbox's size limit and the
 * quarantine is bounded), so that any node's dashboard lists, downloads and retries what any node quarantined, and
 * a node that is gone loses none of it. Writes are fsynced before they are acknowledged (translog durability
 * {@code request}); an outcome is written by a scripted upsert, so that a message processed again never turns a
 * STORED entry into a DUPLICATE one, whichever node processes it. Lists and counts refresh the index first: they are
 * read by people, not on the path of every message.
 *
 * <pre>{@code
 * try (IngestLog log = OpenSearchIngestLog.open(settings, clock, "mx1")) { log.page(null, 0, 50); }
 * }</pre>
 */
public final class OpenSearchIngestLog implements IngestLog {
    private static final String FINISH = "if (ctx._source.status == 'STORED' && params.status == 'DUPLICATE') {"
            + " ctx.op = 'noop' } else {"
            + " if (ctx._source.id == null) { ctx._source.putAll(params.accepted) }"
            + " ctx._source.status = params.status; ctx._source.reports = params.reports;"
            + " ctx._source.records = params.records; ctx._source.duplicates = params.duplicates;"
            + " ctx._source.kinds = params.kinds; ctx._source.detail = params.detail;"
            + " ctx._source.finished_at = params.finished_at; ctx._source.partial = params.partial; }";
    private static final String DROP = "if (ctx._source.status == 'QUARANTINED') { ctx._source.status = 'DROPPED';"
            + " ctx._source.detail = params.reason + params.because + ctx._source.detail }"
            + " else { ctx.op = 'noop' }";

    private final Cluster cluster;
    private final String index;
    private final String contents;
    private final Clock clock;
    private final String node;
    private final Batcher<InboxMessage, Void> accepting = new Batcher<>(this::acceptedAll);

    private OpenSearchIngestLog(Cluster cluster, String prefix, Clock clock, String node) {
        this.cluster = cluster;
        this.index = prefix + "-ingest-log";
        this.contents = prefix + "-quarantine";
        this.clock = clock;
        this.node = node;
    }

    /**
     * Connects and creates the two indices when missing; {@code node} is written on the entries this process
     * creates, {@code clock} stamps refusals and outcomes.
     *
     * @throws StoreException when the cluster cannot be reached or refuses
     */
    public static OpenSearchIngestLog open(OpenSearchSettings settings, Clock clock, String node) {
        Objects.requireNonNull(settings, "settings");
        Cluster cluster = Cluster.connect(settings, OpenSearchStore.jsonMapper());
        try {
            OpenSearchIngestLog log = new OpenSearchIngestLog(cluster, settings.indexPrefix(), clock,
                    node == null ? "" : node);
            log.create(log.index, settings, true);
            log.create(log.contents, settings, false);
            return log;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private void create(String name, OpenSearchSettings settings, boolean log) {
        ObjectNode body = cluster.json().createObjectNode();
        ObjectNode s = body.putObject("settings").putObject("index");
        s.put("number_of_shards", log ? settings.shards() : 1);
        s.put("number_of_replicas", settings.replicas());
        s.put("translog.durability", "request");
        // The Ingest page pages through the whole log by offset.
        s.put("max_result_window", 1_000_000);
        ObjectNode mappings = body.putObject("mappings");
        mappings.put("dynamic", "strict");
        ObjectNode p = mappings.putObject("properties");
        if (log) {
            p.putObject("id").put("type", "keyword");
            p.putObject("received_at").put("type", "date").put("format", "epoch_millis");
            p.putObject("channel").put("type", "keyword");
            p.putObject("origin").put("type", "object").put("enabled", false);
            p.putObject("source_key").put("type", "keyword");
            p.putObject("name").put("type", "keyword").put("index", false).put("doc_values", false);
            p.putObject("size").put("type", "long");
            p.putObject("status").put("type", "keyword");
            p.putObject("reports").put("type", "integer");
            p.putObject("records").put("type", "long");
            p.putObject("duplicates").put("type", "integer");
            p.putObject("kinds").put("type", "keyword");
            p.putObject("detail").put("type", "keyword").put("index", false).put("doc_values", false);
            p.putObject("finished_at").put("type", "date").put("format", "epoch_millis");
            p.putObject("partial").put("type", "integer");
            p.putObject("node").put("type", "keyword");
        } else {
            p.putObject("content").put("type", "binary");
        }
        cluster.createIndex(name, body);
    }

    private ObjectNode acceptedDoc(InboxMessage m) {
        ObjectNode d = cluster.json().createObjectNode();
        d.put("id", m.id()).put("received_at", m.receivedAt().toEpochMilli())
                .put("channel", m.origin().channel().name()).put("source_key", m.origin().sourceKey())
                .put("name", m.name()).put("size", m.size()).put("status", IngestStatus.PENDING.name())
                .put("reports", 0).put("records", 0L).put("duplicates", 0).put("detail", "").put("partial", 0)
                .put("node", node);
        d.putArray("kinds");
        ObjectNode origin = d.putObject("origin");
        m.origin().details().forEach(origin::put);
        return d;
    }

    /**
     * Writes the entry (fsynced before this returns). Entries of messages accepted at the same moment (an SMTP
     * burst: every session is a thread) go in one bulk request: the first caller sends what waits, and callers
     * that come while a request is out wait for it and then send theirs together, so nobody waits for a timer
     * and a burst costs the node a request and a translog fsync per batch instead of per message.
     */
    @Override
    public void accepted(InboxMessage message) {
        accepting.write(message);
    }

    private void acceptedAll(List<Batcher.Item<InboxMessage, Void>> batch) {
        List<Object> lines = new ArrayList<>(2 * batch.size());
        for (Batcher.Item<InboxMessage, Void> item : batch) {
            ObjectNode action = cluster.json().createObjectNode();
            action.putObject("create").put("_index", index).put("_id", OpenSearchAccounts.id(item.value().id()));
            lines.add(action);
            lines.add(acceptedDoc(item.value()));
        }
        List<JsonNode> items = cluster.bulkItems(lines);
        for (int i = 0; i < batch.size(); i++) {
            Batcher.Item<InboxMessage, Void> item = batch.get(i);
            JsonNode r = i < items.size() ? items.get(i) : null;
            if (r == null) {
                item.fail(new StoreException("OpenSearch at " + cluster.name() + " did not answer for the entry of"
                        + " message " + item.value().id()));
            } else if (r.has("error") && r.path("status").asInt() != 409) { // 409: logged already
                item.fail(new StoreException("OpenSearch at " + cluster.name() + " refused logging message "
                        + item.value().id() + " (" + cluster.itemError(r) + ")"));
            } else {
                item.done();
            }
        }
    }

    @Override
    public List<IngestLogEntry> finished(List<Finished> done) {
        if (done.isEmpty()) {
            return List.of();
        }
        long now = clock.millis();
        List<Object> lines = new ArrayList<>();
        for (Finished f : done) {
            ProcessingResult result = f.result();
            List<String> parts = new ArrayList<>();
            result.partialReports().forEach(p -> parts.add("partial report: " + p));
            parts.addAll(result.unreadableParts());
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("accepted", acceptedDoc(f.message()));
            params.put("status", result.status().name());
            params.put("reports", result.reports());
            params.put("records", result.records());
            params.put("duplicates", result.duplicates());
            params.put("kinds", new ArrayList<>(new TreeSet<>(result.kinds())));
            params.put("detail", result.error() != null ? result.error() : String.join("\n", parts));
            params.put("finished_at", now);
            params.put("partial", result.partialReports().size());
            ObjectNode action = cluster.json().createObjectNode();
            action.putObject("update").put("_index", index).put("_id", f.message().id()).put("retry_on_conflict", 5);
            lines.add(action);
            ObjectNode body = cluster.json().createObjectNode();
            ObjectNode script = body.putObject("script");
            script.put("lang", "painless").put("source", FINISH);
            script.set("params", cluster.json().valueToTree(params));
            body.put("scripted_upsert", true);
            body.putObject("upsert");
            lines.add(body);
        }
        cluster.bulk(lines, null);
        Map<String, IngestLogEntry> byId = new LinkedHashMap<>();
        for (IngestLogEntry e : getAll(done.stream().map(f -> f.message().id()).toList())) {
            byId.put(e.id(), e);
        }
        List<IngestLogEntry> out = new ArrayList<>(done.size());
        for (Finished f : done) {
            IngestLogEntry e = byId.get(f.message().id());
            if (e == null) {
                throw new StoreException("OpenSearch at " + cluster.name() + " lost the ingest log entry of message "
                        + f.message().id() + " it had just acknowledged");
            }
            out.add(e);
        }
        return out;
    }

    @Override
    public IngestLogEntry rejected(MessageOrigin origin, long size, String reason) {
        Instant now = clock.instant();
        String id = InboxIds.next(now);
        ObjectNode d = acceptedDoc(new InboxMessage(id, now, origin, size, ""));
        d.put("source_key", "").put("status", IngestStatus.REJECTED.name()).put("detail", reason)
                .put("finished_at", now.toEpochMilli());
        cluster.ok("PUT", "/" + index + "/_doc/" + id, Map.of("op_type", "create"), d);
        return entry(d);
    }

    @Override
    public void dropped(String id, String reason) {
        ObjectNode body = cluster.json().createObjectNode();
        ObjectNode script = body.putObject("script");
        script.put("lang", "painless").put("source", DROP);
        // Painless string literals have no line break escape: the separator comes as a parameter.
        script.putObject("params").put("reason", reason).put("because", "\nquarantined because: ");
        Cluster.Reply r = cluster.send("POST", "/" + index + "/_update/" + OpenSearchAccounts.id(id),
                Map.of("retry_on_conflict", "5"), body);
        if (r.status() == 404) {
            return;
        }
        if (!r.ok()) {
            throw cluster.refused("marking message " + id + " dropped", r);
        }
        if (r.body().path("result").asText().equals("updated")) {
            forgetContent(id);
        }
    }

    @Override
    public Optional<IngestLogEntry> get(String id) {
        Cluster.Reply r = cluster.send("GET", "/" + index + "/_doc/" + OpenSearchAccounts.id(id), null, null);
        if (r.status() == 404 || r.ok() && !r.body().path("found").asBoolean()) {
            return Optional.empty();
        }
        if (!r.ok()) {
            throw cluster.refused("reading the ingest log", r);
        }
        return Optional.of(entry(r.body().path("_source")));
    }

    private List<IngestLogEntry> getAll(List<String> ids) {
        ObjectNode body = cluster.json().createObjectNode();
        ArrayNode list = body.putArray("ids");
        ids.forEach(list::add);
        List<IngestLogEntry> out = new ArrayList<>();
        for (JsonNode d : cluster.ok("POST", "/" + index + "/_mget", null, body).path("docs")) {
            if (d.path("found").asBoolean()) {
                out.add(entry(d.path("_source")));
            }
        }
        return out;
    }

    @Override
    public Optional<IngestLogEntry> bySourceKey(String sourceKey) {
        if (sourceKey.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode body = search(1);
        body.putObject("query").putObject("term").put("source_key", sourceKey);
        List<IngestLogEntry> hits = hits(body);
        return hits.isEmpty() ? Optional.empty() : Optional.of(hits.get(0));
    }

    @Override
    public IngestLogPage page(IngestStatus status, int offset, int limit) {
        if (offset < 0 || limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("offset must be >= 0 and limit between 1 and 1000");
        }
        ObjectNode body = search(limit);
        body.put("from", offset).put("track_total_hits", true);
        if (status != null) {
            body.putObject("query").putObject("term").put("status", status.name());
        }
        refresh();
        JsonNode reply = cluster.ok("POST", "/" + index + "/_search", null, body);
        List<IngestLogEntry> entries = new ArrayList<>();
        reply.path("hits").path("hits").forEach(h -> entries.add(entry(h.path("_source"))));
        return new IngestLogPage(entries, reply.path("hits").path("total").path("value").asLong(), offset, limit);
    }

    /** Newest first, as the embedded log: by the time received, then by id (ids begin with that time). */
    private ObjectNode search(int size) {
        ObjectNode body = cluster.json().createObjectNode();
        body.put("size", size);
        ArrayNode sort = body.putArray("sort");
        sort.addObject().put("received_at", "desc");
        sort.addObject().put("id", "desc");
        return body;
    }

    private List<IngestLogEntry> hits(ObjectNode body) {
        refresh();
        List<IngestLogEntry> out = new ArrayList<>();
        cluster.ok("POST", "/" + index + "/_search", null, body).path("hits").path("hits")
                .forEach(h -> out.add(entry(h.path("_source"))));
        return out;
    }

    @Override
    public Map<IngestStatus, Long> countByStatus() {
        Map<IngestStatus, Long> counts = new LinkedHashMap<>();
        for (IngestStatus s : IngestStatus.values()) {
            counts.put(s, 0L);
        }
        ObjectNode body = cluster.json().createObjectNode();
        body.put("size", 0);
        // Six values at most: every shard answers all of them, so the terms aggregation is exact.
        body.putObject("aggs").putObject("s").putObject("terms").put("field", "status").put("size", 50);
        refresh();
        for (JsonNode b : cluster.ok("POST", "/" + index + "/_search", null, body).path("aggregations").path("s")
                .path("buckets")) {
            counts.put(IngestStatus.valueOf(b.path("key").asText()), b.path("doc_count").asLong());
        }
        return counts;
    }

    private void refresh() {
        cluster.ok("POST", "/" + index + "/_refresh", null, null);
    }

    @Override
    public void keepContent(String id, byte[] content) {
        ObjectNode doc = cluster.json().createObjectNode();
        doc.put("content", Base64.getEncoder().encodeToString(content));
        cluster.ok("PUT", "/" + contents + "/_doc/" + OpenSearchAccounts.id(id), null, doc);
    }

    @Override
    public Optional<byte[]> content(String id) {
        Cluster.Reply r = cluster.send("GET", "/" + contents + "/_doc/" + OpenSearchAccounts.id(id), null, null);
        if (r.status() == 404 || r.ok() && !r.body().path("found").asBoolean()) {
            return Optional.empty();
        }
        if (!r.ok()) {
            throw cluster.refused("reading a quarantined message", r);
        }
        return Optional.of(Base64.getDecoder().decode(r.body().path("_source").path("content").asText()));
    }

    @Override
    public Set<String> withContent(Collection<String> ids) {
        Set<String> out = new HashSet<>();
        List<String> unique = new ArrayList<>(new LinkedHashSet<>(ids));
        if (unique.isEmpty()) {
            return out;
        }
        ObjectNode body = cluster.json().createObjectNode();
        ArrayNode list = body.putArray("ids");
        unique.forEach(list::add);
        for (JsonNode d : cluster.ok("POST", "/" + contents + "/_mget", Map.of("_source", "false"), body)
                .path("docs")) {
            if (d.path("found").asBoolean()) {
                out.add(d.path("_id").asText());
            }
        }
        return out;
    }

    @Override
    public void forgetContent(String id) {
        Cluster.Reply r = cluster.send("DELETE", "/" + contents + "/_doc/" + OpenSearchAccounts.id(id), null, null);
        if (!r.ok() && r.status() != 404) {
            throw cluster.refused("deleting a quarantined message", r);
        }
    }

    private static IngestLogEntry entry(JsonNode d) {
        Map<String, String> details = new LinkedHashMap<>();
        d.path("origin").fields().forEachRemaining(e -> details.put(e.getKey(), e.getValue().asText()));
        Set<String> kinds = new LinkedHashSet<>();
        d.path("kinds").forEach(k -> kinds.add(k.asText()));
        JsonNode finished = d.path("finished_at");
        return new IngestLogEntry(d.path("id").asText(), Instant.ofEpochMilli(d.path("received_at").asLong()),
                new MessageOrigin(MessageOrigin.Channel.valueOf(d.path("channel").asText()), details),
                d.path("name").asText(), d.path("size").asLong(), IngestStatus.valueOf(d.path("status").asText()),
                d.path("reports").asInt(), d.path("records").asLong(), d.path("duplicates").asInt(), kinds,
                d.path("detail").asText(), finished.isNumber() ? Instant.ofEpochMilli(finished.asLong()) : null,
                d.path("partial").asInt(), d.path("node").asText());
    }

    @Override
    public void close() {
        cluster.close();
    }
}
