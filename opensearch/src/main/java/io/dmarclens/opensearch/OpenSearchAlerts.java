package io.dmarclens.opensearch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.store.StoreException;
import io.dmarclens.store.alerts.Alert;
import io.dmarclens.store.alerts.AlertFinding;
import io.dmarclens.store.alerts.AlertLog;
import io.dmarclens.store.alerts.AlertQuery;
import io.dmarclens.store.alerts.AlertState;
import io.dmarclens.store.alerts.Notice;
import io.dmarclens.store.alerts.Outbox;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongFunction;

/**
 * The alerts' state on the cluster, shared by every node on one index prefix: the {@link AlertLog} in
 * {@code PREFIX-alerts}, the {@link Outbox} in {@code PREFIX-alert-notices}, and in {@code PREFIX-alert-keys} the
 * counters that number alerts and notices, the rules' memory and one marker per unresolved alert (its id the
 * digest of rule and domain). Alerts and notices are few: every write is refreshed at once, so the next read on
 * any node sees it.
 *
 * <p>What the embedded file does in one transaction is done here with compare-and-set on single documents:
 * raising creates the rule and domain's marker ({@code op_type=create}: of two nodes raising the same alert at
 * once, one wins, the other gets {@link IllegalStateException} as on the embedded store), then writes the alert
 * and its notice in one bulk request; resolving and acknowledging change the alert only if nobody changed it
 * since it was read ({@code if_seq_no}, {@code if_primary_term}); a deliverer takes a notice the same way
 * ({@link #claim}). A process that dies between those steps can leave a marker without its alert (it is taken
 * as stale after a minute) or an alert resolved without its notice queued (the resolution is then not sent).
 */
public final class OpenSearchAlerts implements AlertLog, Outbox {
    private static final Map<String, String> VISIBLE = Map.of("refresh", "true");
    /** A marker whose alert was not written within this long was left by a process that died while raising. */
    private static final Duration STALE_MARKER = Duration.ofMinutes(1);
    private static final int CAS_TRIES = 20;

    private final Cluster cluster;
    private final String alerts;
    private final String notices;
    private final String keys;

    private OpenSearchAlerts(Cluster cluster, String prefix) {
        this.cluster = cluster;
        this.alerts = prefix + "-alerts";
        this.notices = prefix + "-alert-notices";
        this.keys = prefix + "-alert-keys";
    }

    /**
     * Connects and creates the indices when missing.
     *
     * @throws StoreException when the cluster cannot be reached or refuses
     */
    public static OpenSearchAlerts open(OpenSearchSettings settings) {
        return Cluster.openSmallStore(settings, cluster -> {
            OpenSearchAlerts a = new OpenSearchAlerts(cluster, settings.indexPrefix());
            cluster.createSmallIndex(a.alerts, "strict", OpenSearchAlerts::alertFields);
            cluster.createSmallIndex(a.notices, "strict", OpenSearchAlerts::noticeFields);
            // The keys index holds differently shaped small documents, read by id only: nothing of them is indexed.
            cluster.createSmallIndex(a.keys, "false", p -> { });
            return a;
        });
    }

    /** The alert log (this object). */
    public AlertLog log() {
        return this;
    }

    /** The outbox (this object). */
    public Outbox outbox() {
        return this;
    }

    private static void alertFields(ObjectNode p) {
        p.putObject("id").put("type", "long");
        p.putObject("rule").put("type", "keyword");
        p.putObject("domain").put("type", "keyword");
        p.putObject("state").put("type", "keyword");
        p.putObject("resolved").put("type", "boolean");
        for (String t : List.of("since", "opened_at", "updated_at", "resolved_at", "acknowledged_at")) {
            p.putObject(t).put("type", "date").put("format", "epoch_millis");
        }
        for (String t : List.of("summary", "evidence", "acknowledged_by", "comment")) {
            p.putObject(t).put("type", "keyword").put("index", false).put("doc_values", false);
        }
        p.putObject("amount").put("type", "long");
        p.putObject("evaluations").put("type", "long");
    }

    private static void noticeFields(ObjectNode p) {
        p.putObject("id").put("type", "long");
        p.putObject("alert_id").put("type", "long");
        p.putObject("kind").put("type", "keyword");
        p.putObject("rule").put("type", "keyword");
        p.putObject("domain").put("type", "keyword");
        for (String t : List.of("subject", "text", "html", "json", "links", "last_error")) {
            p.putObject(t).put("type", "keyword").put("index", false).put("doc_values", false);
        }
        for (String t : List.of("created_at", "next_attempt", "delivered_at")) {
            p.putObject(t).put("type", "date").put("format", "epoch_millis");
        }
        p.putObject("attempts").put("type", "integer");
        p.putObject("channels").put("type", "keyword");
    }

    // ---- the alert log

    @Override
    public Optional<Alert> unresolved(String rule, String domain) {
        Optional<Cluster.Versioned> marker = get(keys, markerId(rule, domain));
        if (marker.isEmpty()) {
            return Optional.empty();
        }
        return alert(marker.get().source().path("alert").asLong()).filter(Alert::unresolved);
    }

    @Override
    public Optional<Alert> latest(String rule, String domain) {
        ObjectNode body = cluster.json().createObjectNode();
        body.put("size", 1);
        ArrayNode filter = body.putObject("query").putObject("bool").putArray("filter");
        filter.addObject().putObject("term").put("rule", rule);
        filter.addObject().putObject("term").put("domain", domain);
        body.putArray("sort").addObject().put("id", "desc");
        List<Alert> found = searchAlerts(body);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    @Override
    public Alert raise(AlertFinding f, LongFunction<Notice> notice, Instant at) {
        long id = next("alert");
        ObjectNode marker = cluster.json().createObjectNode();
        marker.put("alert", id).put("at", at.toEpochMilli());
        String markerId = markerId(f.rule(), f.domain());
        for (int tries = 0; ; tries++) {
            if (cluster.casPut(keys, markerId, marker, null, "raising an alert").isPresent()) {
                break;
            }
            if (tries > 0 || !dropStaleMarker(markerId, at)) {
                throw new IllegalStateException("rule " + f.rule() + " already has an unresolved alert for " + f.domain());
            }
        }
        Alert alert = new Alert(id, f.rule(), f.domain(), AlertState.OPEN, f.since(), at, at, null, f.summary(),
                f.amount(), f.evidence(), 1, null, null, null);
        Notice n = notice.apply(id).withAlertId(id);
        long noticeId = next("notice");
        List<Object> lines = new ArrayList<>();
        lines.add(Map.of("index", Map.of("_index", alerts, "_id", Long.toString(id))));
        lines.add(alertDoc(alert));
        lines.add(Map.of("index", Map.of("_index", notices, "_id", Long.toString(noticeId))));
        lines.add(noticeDoc(noticeId, n));
        cluster.bulk(lines, "true");
        return alert;
    }

    /** Deletes the marker when its alert is resolved or was never written; true when it is gone. */
    private boolean dropStaleMarker(String markerId, Instant at) {
        Optional<Cluster.Versioned> marker = get(keys, markerId);
        if (marker.isEmpty()) {
            return true;
        }
        JsonNode m = marker.get().source();
        Optional<Alert> alert = alert(m.path("alert").asLong());
        boolean stale = alert.map(a -> !a.unresolved()).orElseGet(() ->
                Instant.ofEpochMilli(m.path("at").asLong()).plus(STALE_MARKER).isBefore(at));
        if (!stale) {
            return false;
        }
        Cluster.Reply r = cluster.send("DELETE", "/" + keys + "/_doc/" + markerId, marker.get().version().params(VISIBLE), null);
        return r.ok() || r.status() == 404;
    }

    @Override
    public Alert update(long id, AlertFinding f, Instant at) {
        return change(id, a -> new Alert(a.id(), a.rule(), a.domain(), a.state(),
                        f.since().isBefore(a.since()) ? f.since() : a.since(), a.openedAt(), at, null, f.summary(),
                        f.amount(), f.evidence(), a.evaluations() + 1, a.acknowledgedBy(), a.acknowledgedAt(), a.comment()))
                .orElseThrow(() -> new IllegalStateException("alert " + id + " is not unresolved"));
    }

    @Override
    public Optional<Alert> resolve(long id, Notice notice, Instant at) {
        Optional<Alert> resolved = change(id, a -> new Alert(a.id(), a.rule(), a.domain(), AlertState.RESOLVED,
                a.since(), a.openedAt(), a.updatedAt(), at, a.summary(), a.amount(), a.evidence(), a.evaluations(),
                a.acknowledgedBy(), a.acknowledgedAt(), a.comment()));
        resolved.ifPresent(a -> {
            enqueue(notice.withAlertId(id));
            // The rule and domain may open a new alert now; a marker left behind is dropped by the next raise.
            Optional<Cluster.Versioned> marker = get(keys, markerId(a.rule(), a.domain()));
            if (marker.isPresent() && marker.get().source().path("alert").asLong() == id) {
                cluster.send("DELETE", "/" + keys + "/_doc/" + markerId(a.rule(), a.domain()),
                        marker.get().version().params(VISIBLE), null);
            }
        });
        return resolved;
    }

    @Override
    public Optional<Alert> acknowledge(long id, String user, String comment, Instant at) {
        return change(id, a -> new Alert(a.id(), a.rule(), a.domain(), AlertState.ACKNOWLEDGED, a.since(),
                a.openedAt(), a.updatedAt(), null, a.summary(), a.amount(), a.evidence(), a.evaluations(), user, at,
                comment));
    }

    /** Replaces unresolved alert {@code id} by {@code how} of it, compare-and-set; empty when it is not unresolved. */
    private Optional<Alert> change(long id, java.util.function.UnaryOperator<Alert> how) {
        for (int i = 0; i < CAS_TRIES; i++) {
            Optional<Cluster.Versioned> doc = get(alerts, Long.toString(id));
            if (doc.isEmpty()) {
                return Optional.empty();
            }
            Alert a = readAlert(doc.get().source());
            if (!a.unresolved()) {
                return Optional.empty();
            }
            Alert changed = how.apply(a);
            if (cluster.casPut(alerts, Long.toString(id), alertDoc(changed), doc.get().version(),
                    "changing alert " + id).isPresent()) {
                return Optional.of(changed);
            }
        }
        throw new StoreException("alert " + id + " kept changing under " + CAS_TRIES + " attempts to change it");
    }

    @Override
    public Optional<Alert> alert(long id) {
        return get(alerts, Long.toString(id)).map(d -> readAlert(d.source()));
    }

    @Override
    public List<Alert> alerts(AlertQuery q) {
        ObjectNode body = cluster.json().createObjectNode();
        body.put("from", q.offset()).put("size", q.limit());
        ArrayNode filter = body.putObject("query").putObject("bool").putArray("filter");
        if (!q.states().isEmpty()) {
            ArrayNode states = filter.addObject().putObject("terms").putArray("state");
            q.states().stream().map(Enum::name).sorted().forEach(states::add);
        }
        if (q.domain() != null) {
            filter.addObject().putObject("term").put("domain", q.domain());
        }
        if (q.rule() != null) {
            filter.addObject().putObject("term").put("rule", q.rule());
        }
        ArrayNode sort = body.putArray("sort");
        sort.addObject().put("resolved", "asc");
        sort.addObject().put("id", "desc");
        return searchAlerts(body);
    }

    @Override
    public Map<AlertState, Long> countByState() {
        Map<AlertState, Long> counts = new EnumMap<>(AlertState.class);
        for (AlertState s : AlertState.values()) {
            counts.put(s, 0L);
        }
        ObjectNode body = cluster.json().createObjectNode();
        body.put("size", 0);
        body.putObject("aggs").putObject("states").putObject("terms").put("field", "state").put("size", 10);
        for (JsonNode b : cluster.ok("POST", "/" + alerts + "/_search", null, body).path("aggregations")
                .path("states").path("buckets")) {
            try {
                counts.put(AlertState.valueOf(b.path("key").asText()), b.path("doc_count").asLong());
            } catch (IllegalArgumentException newer) {
                // a state of a newer version: not ours to count
            }
        }
        return counts;
    }

    @Override
    public Optional<String> ruleState(String key) {
        return get(keys, "rule-" + digest(key)).map(d -> d.source().path("value").asText());
    }

    @Override
    public void saveRuleState(String key, String value, Instant at) {
        ObjectNode doc = cluster.json().createObjectNode();
        doc.put("key", key).put("value", value).put("updated_at", at.toEpochMilli());
        cluster.ok("PUT", "/" + keys + "/_doc/rule-" + digest(key), VISIBLE, doc);
    }

    private List<Alert> searchAlerts(ObjectNode body) {
        List<Alert> out = new ArrayList<>();
        for (JsonNode h : cluster.ok("POST", "/" + alerts + "/_search", null, body).path("hits").path("hits")) {
            out.add(readAlert(h.path("_source")));
        }
        return out;
    }

    private ObjectNode alertDoc(Alert a) {
        ObjectNode d = cluster.json().createObjectNode();
        d.put("id", a.id()).put("rule", a.rule()).put("domain", a.domain()).put("state", a.state().name())
                .put("resolved", !a.unresolved()).put("since", a.since().toEpochMilli())
                .put("opened_at", a.openedAt().toEpochMilli()).put("updated_at", a.updatedAt().toEpochMilli())
                .put("summary", a.summary()).put("amount", a.amount()).put("evidence", a.evidence())
                .put("evaluations", a.evaluations());
        putInstant(d, "resolved_at", a.resolvedAt());
        putInstant(d, "acknowledged_at", a.acknowledgedAt());
        if (a.acknowledgedBy() != null) {
            d.put("acknowledged_by", a.acknowledgedBy());
        }
        if (a.comment() != null) {
            d.put("comment", a.comment());
        }
        return d;
    }

    private static Alert readAlert(JsonNode s) {
        return new Alert(s.path("id").asLong(), s.path("rule").asText(), s.path("domain").asText(),
                AlertState.valueOf(s.path("state").asText()), instant(s, "since"), instant(s, "opened_at"),
                instant(s, "updated_at"), instant(s, "resolved_at"), s.path("summary").asText(),
                s.path("amount").asLong(), s.path("evidence").asText(), s.path("evaluations").asLong(),
                text(s, "acknowledged_by"), instant(s, "acknowledged_at"), text(s, "comment"));
    }

    // ---- the outbox

    @Override
    public long enqueue(Notice notice) {
        long id = next("notice");
        cluster.ok("PUT", "/" + notices + "/_doc/" + id, Map.of("op_type", "create", "refresh", "true"),
                noticeDoc(id, notice));
        return id;
    }

    @Override
    public List<QueuedNotice> due(Instant now, int limit) {
        ObjectNode body = cluster.json().createObjectNode();
        body.put("size", Math.max(1, Math.min(limit, 1000)));
        ObjectNode bool = body.putObject("query").putObject("bool");
        bool.putArray("must_not").addObject().putObject("exists").put("field", "delivered_at");
        bool.putArray("filter").addObject().putObject("range").putObject("next_attempt").put("lte", now.toEpochMilli());
        ArrayNode sort = body.putArray("sort");
        sort.addObject().put("next_attempt", "asc");
        sort.addObject().put("id", "asc");
        return searchNotices(body);
    }

    @Override
    public boolean claim(long id, Instant now, Instant until) {
        Optional<Cluster.Versioned> doc = get(notices, Long.toString(id));
        if (doc.isEmpty()) {
            return false;
        }
        JsonNode s = doc.get().source();
        if (s.hasNonNull("delivered_at") || !s.hasNonNull("next_attempt")
                || s.path("next_attempt").asLong() > now.toEpochMilli()) {
            return false;
        }
        ObjectNode taken = s.deepCopy();
        taken.put("next_attempt", until.toEpochMilli());
        return cluster.casPut(notices, Long.toString(id), taken, doc.get().version(),
                "taking notice " + id + " for delivery").isPresent();
    }

    @Override
    public void delivered(long id, Instant at) {
        noticeScript(id, "if (ctx._source.delivered_at == null) { ctx._source.delivered_at = params.at;"
                + " ctx._source.next_attempt = null } else { ctx.op = 'noop' }", Map.of("at", at.toEpochMilli()),
                "marking notice " + id + " delivered");
    }

    @Override
    public void deliveredTo(long id, String channel, Instant at) {
        noticeScript(id, "if (ctx._source.channels == null) { ctx._source.channels = [] }"
                + " if (ctx._source.channels.contains(params.c)) { ctx.op = 'noop' } else { ctx._source.channels.add(params.c) }",
                Map.of("c", channel), "recording a delivery of notice " + id);
    }

    @Override
    public Set<String> channelsDone(long id) {
        Set<String> out = new TreeSet<>();
        get(notices, Long.toString(id)).ifPresent(d -> d.source().path("channels").forEach(c -> out.add(c.asText())));
        return out;
    }

    @Override
    public void failed(long id, Instant at, String error, Instant retryAt) {
        String e = error == null ? "" : error.length() > 2000 ? error.substring(0, 2000) : error;
        noticeScript(id, "if (ctx._source.delivered_at == null) { ctx._source.attempts += 1;"
                + " ctx._source.last_error = params.e; ctx._source.next_attempt = params.r } else { ctx.op = 'noop' }",
                Map.of("e", e, "r", retryAt.toEpochMilli()), "recording a failed delivery of notice " + id);
    }

    @Override
    public List<QueuedNotice> forAlert(long alertId) {
        ObjectNode body = cluster.json().createObjectNode();
        body.put("size", 1000);
        body.putObject("query").putObject("term").put("alert_id", alertId);
        body.putArray("sort").addObject().put("id", "asc");
        return searchNotices(body);
    }

    @Override
    public List<QueuedNotice> recent(int limit) {
        ObjectNode body = cluster.json().createObjectNode();
        body.put("size", Math.max(0, Math.min(limit, 10_000)));
        body.putArray("sort").addObject().put("id", "desc");
        return searchNotices(body);
    }

    private void noticeScript(long id, String source, Map<String, Object> params, String what) {
        ObjectNode body = cluster.json().createObjectNode();
        ObjectNode script = body.putObject("script");
        script.put("lang", "painless").put("source", source);
        script.set("params", cluster.json().valueToTree(params));
        Cluster.Reply r = cluster.send("POST", "/" + notices + "/_update/" + id,
                Map.of("retry_on_conflict", "10", "refresh", "true"), body);
        if (!r.ok() && r.status() != 404) {
            throw cluster.refused(what, r);
        }
    }

    private ObjectNode noticeDoc(long id, Notice n) {
        ObjectNode d = cluster.json().createObjectNode();
        d.put("id", id).put("alert_id", n.alertId()).put("kind", n.kind().name()).put("rule", n.rule())
                .put("domain", n.domain()).put("subject", n.subject()).put("text", n.text()).put("html", n.html())
                .put("json", n.json()).put("created_at", n.createdAt().toEpochMilli()).put("attempts", 0)
                .put("next_attempt", n.createdAt().toEpochMilli());
        try {
            d.put("links", cluster.json().writeValueAsString(n.links()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a notice's links", e);
        }
        d.putArray("channels");
        return d;
    }

    private List<QueuedNotice> searchNotices(ObjectNode body) {
        List<QueuedNotice> out = new ArrayList<>();
        for (JsonNode h : cluster.ok("POST", "/" + notices + "/_search", null, body).path("hits").path("hits")) {
            JsonNode s = h.path("_source");
            List<Notice.DashboardLink> links = new ArrayList<>();
            try {
                for (JsonNode l : cluster.json().readTree(s.path("links").asText("[]"))) {
                    links.add(new Notice.DashboardLink(l.path("label").asText(), l.path("path").asText()));
                }
            } catch (JsonProcessingException e) {
                throw new StoreException("notice " + s.path("id").asLong() + " has unreadable links: " + e.getMessage(), e);
            }
            Notice n = new Notice(Notice.Kind.valueOf(s.path("kind").asText()), s.path("alert_id").asLong(),
                    s.path("rule").asText(), s.path("domain").asText(), s.path("subject").asText(),
                    s.path("text").asText(), s.path("html").asText(), s.path("json").asText(), links,
                    instant(s, "created_at"));
            out.add(new QueuedNotice(s.path("id").asLong(), n, s.path("attempts").asInt(), instant(s, "next_attempt"),
                    instant(s, "delivered_at"), text(s, "last_error")));
        }
        return out;
    }

    // ---- documents

    private Optional<Cluster.Versioned> get(String index, String id) {
        return cluster.get(index, id, "reading " + index + "/" + id);
    }

    /** The next number of the counter {@code name}: updates of one document are ordered, so no two callers share one. */
    private long next(String name) {
        ObjectNode body = cluster.json().createObjectNode();
        ObjectNode script = body.putObject("script");
        script.put("lang", "painless").put("source", "ctx._source.n += 1");
        body.putObject("upsert").put("n", 1);
        body.put("_source", true);
        JsonNode r = cluster.ok("POST", "/" + keys + "/_update/seq-" + name, Map.of("retry_on_conflict", "50"), body);
        return r.path("get").path("_source").path("n").asLong();
    }

    private static String markerId(String rule, String domain) {
        return "open-" + digest(rule + "\u0000" + domain);
    }

    private static String digest(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static void putInstant(ObjectNode d, String field, Instant t) {
        if (t != null) {
            d.put(field, t.toEpochMilli());
        }
    }

    private static Instant instant(JsonNode s, String field) {
        JsonNode v = s.path(field);
        return v.isMissingNode() || v.isNull() ? null : Instant.ofEpochMilli(v.asLong());
    }

    private static String text(JsonNode s, String field) {
        JsonNode v = s.path(field);
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }

    @Override
    public void close() {
        cluster.close();
    }
}
