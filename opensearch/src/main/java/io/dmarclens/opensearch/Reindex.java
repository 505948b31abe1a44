package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.failure.FailureReport;
import io.dmarclens.parser.tlsrpt.TlsFailureDetail;
import io.dmarclens.parser.tlsrpt.TlsPolicyResult;
import io.dmarclens.parser.tlsrpt.TlsReport;
import io.dmarclens.store.ReindexProgress;
import io.dmarclens.store.StoreException;
import io.dmarclens.store.enrichment.RecordEnrichment;
import io.dmarclens.store.enrichment.SenderInfo;
import io.dmarclens.store.query.DaySplit;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds what the store derives from the documents it keeps as the embedded store keeps its rows: the
 * search object of every record, failure report and TLS failure detail, and every report's rollups (from its
 * records, with the same {@link DaySplit} as at import). Senders are read as they are now, as the embedded
 * index joins them.
 *
 * <p><b>Resumable.</b> Reports are rebuilt in the order of their ids, failure reports and TLS failure details
 * after them; the place reached is written to the {@code meta} index after every page, so a reindex that was
 * stopped (killed, the cluster gone) goes on from there when started again. Rebuilding a report twice writes
 * the same documents.
 *
 * <p><b>Beside imports.</b> Reports stored meanwhile are written whole by their importer, so a reindex never
 * needs to see them. A report it rebuilds is checked after the rebuild: if its records changed meanwhile
 * (re-classification, a sender update) or it was taken out (retention, a replacing copy), the rebuild is done
 * again or its rollups removed, so that nothing stale or orphaned stays. Record updates are conditional on
 * the version read ({@code if_seq_no}), never blind.
 */
final class Reindex {
    private static final Logger LOG = LoggerFactory.getLogger(Reindex.class);
    /** Reports rebuilt between two saves of the place reached. */
    static final int PAGE = 100;
    /** Records rebuilt at once at most (a page of reports is split below it): bounds the memory a rebuild takes. */
    static final long RECORDS_AT_ONCE = 20_000;
    private static final int MAX_ATTEMPTS = 5;
    /** The state document in the {@code meta} index. */
    static final String STATE = "state";
    /**
     * The template version since which derived documents are written as this build writes them: stores whose
     * documents are older need a reindex (version 2 added the search object).
     */
    static final int DERIVED_SINCE = 2;

    private final Writes writes;
    private final ObjectMapper lenient;
    private final int pageSize;

    Reindex(Writes writes) {
        this(writes, PAGE);
    }

    /** @param pageSize reports rebuilt between two saves of the place reached (tests: small, to stop between) */
    Reindex(Writes writes, int pageSize) {
        this.writes = writes;
        this.pageSize = pageSize;
        this.lenient = writes.cluster().json().copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    private Cluster cluster() {
        return writes.cluster();
    }

    private IndexNames names() {
        return writes.names();
    }

    /**
     * Records, at open, which version wrote the documents already there: the one of the templates found
     * ({@code installedBefore}, 0 for a new store, which is written by this build from the start).
     */
    void recordOpened(int installedBefore) {
        ObjectNode state = JsonNodes.object();
        state.put("derived_version", installedBefore == 0 ? Templates.VERSION : installedBefore);
        // Created once: a later open (of any version) leaves what the first one found.
        Cluster.Reply r = cluster().send("PUT", "/" + names().of(Family.META) + "/_doc/" + STATE,
                Map.of("op_type", "create", "refresh", "true"), state);
        if (!r.ok() && r.status() != 409) {
            throw cluster().refused("writing the store's state", r);
        }
    }

    /** Why a reindex is needed, or empty. */
    Optional<String> needed() {
        JsonNode state = state();
        if (state.hasNonNull("phase")) {
            return Optional.of("the OpenSearch indices under prefix '" + names().prefix() + "' at " + cluster().name()
                    + " are being reindexed, or a reindex was stopped before its end: run ./dmarc-lens reindex"
                    + " --opensearch " + cluster().name() + " (it goes on where it stopped)");
        }
        int version = state.path("derived_version").asInt(Templates.VERSION);
        if (version < DERIVED_SINCE) {
            return Optional.of("the OpenSearch indices under prefix '" + names().prefix() + "' at " + cluster().name()
                    + " were written by an older DMARC Lens (template version " + version + "): search does not find"
                    + " their reports until ./dmarc-lens reindex --opensearch " + cluster().name() + " rebuilds them"
                    + " (serve can keep running meanwhile)");
        }
        return Optional.empty();
    }

    private JsonNode state() {
        Cluster.Reply r = cluster().send("GET", "/" + names().of(Family.META) + "/_doc/" + STATE, null, null);
        if (r.status() == 404) {
            return JsonNodes.object();
        }
        if (!r.ok()) {
            throw cluster().refused("reading the store's state", r);
        }
        return r.body().path("_source");
    }

    private void saveState(String phase, long after, long done) {
        ObjectNode doc = JsonNodes.object();
        ObjectNode partial = doc.putObject("doc");
        if (phase == null) {
            partial.put("derived_version", Templates.VERSION);
            partial.putNull("phase");
            partial.putNull("after");
            partial.putNull("done");
        } else {
            partial.put("phase", phase);
            partial.put("after", after);
            partial.put("done", done);
        }
        doc.put("doc_as_upsert", true);
        cluster().ok("POST", "/" + names().of(Family.META) + "/_update/" + STATE, Map.of("refresh", "true",
                "retry_on_conflict", "5"), doc);
    }

    /** Rebuilds every derived document, from where a stopped reindex left off. */
    Map<String, Long> run(ReindexProgress progress) {
        long start = System.nanoTime();
        writes.flush();
        writes.refresh();
        JsonNode state = state();
        String phase = state.path("phase").asText("reports");
        long after = state.path("after").asLong(Long.MIN_VALUE);
        long done = state.path("done").asLong(0);
        if (state.hasNonNull("phase")) {
            LOG.info("Reindex goes on with the {} after id {} ({} done before)", phase, after, done);
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        if (phase.equals("reports")) {
            long total = count(Family.REPORTS);
            done = reports(after, done, total, progress);
            phase = "failures";
            after = Long.MIN_VALUE;
            done = 0;
            saveState(phase, after, done);
        }
        if (phase.equals("failures")) {
            long total = count(Family.FAILURES);
            done = failures(after, done, total, progress);
            phase = "tls";
            after = Long.MIN_VALUE;
            done = 0;
            saveState(phase, after, done);
        }
        tlsFailures(after, done, count(Family.TLS_FAILURES), progress);
        saveState(null, 0, 0);
        writes.refresh();
        // the rollups were rewritten: every day's compact rollup is computed again from them
        writes.compaction().touchAllDays();
        counts.put("record", count(Family.RECORDS));
        counts.put("failure", count(Family.FAILURES));
        counts.put("tls", count(Family.TLS_FAILURES));
        LOG.info("Reindexed the OpenSearch indices under prefix '{}' at {} in {} ms: {}", names().prefix(),
                cluster().name(), (System.nanoTime() - start) / 1_000_000, counts);
        return counts;
    }

    private long count(Family f) {
        JsonNode r = cluster().ok("POST", "/" + names().of(f) + "/_count", Map.of("ignore_unavailable", "true",
                "allow_no_indices", "true"), null);
        return r.path("count").asLong();
    }

    /** Pages of hits in ascending order of a long id field, with their versions; null at the end. */
    private List<JsonNode> page(String index, ObjectNode query, String idField, long after, int size) {
        ObjectNode body = JsonNodes.object();
        body.put("size", size);
        body.put("track_total_hits", false);
        body.put("seq_no_primary_term", true);
        body.set("query", query);
        body.putArray("sort").addObject().put(idField, "asc");
        if (after != Long.MIN_VALUE) {
            body.putArray("search_after").add(after);
        }
        JsonNode hits = cluster().ok("POST", "/" + index + "/_search", Map.of("ignore_unavailable", "true",
                "allow_no_indices", "true"), body).path("hits").path("hits");
        List<JsonNode> out = new ArrayList<>();
        hits.forEach(out::add);
        return out;
    }

    private ObjectNode visible(String refField) {
        ObjectNode query = JsonNodes.object();
        ObjectNode bool = query.putObject("bool");
        bool.withArray("filter").addObject().putObject("match_all");
        writes.visibility().exclude(bool, refField);
        return query;
    }

    // --- aggregate reports: records' search objects and rollups ---

    private long reports(long after, long done, long total, ReindexProgress progress) {
        while (true) {
            List<JsonNode> page = page(names().of(Family.REPORTS), visible("report_ref"), "report_ref", after, pageSize);
            if (page.isEmpty()) {
                return done;
            }
            // Rebuilt in groups of at most RECORDS_AT_ONCE records: a page of large reports stays in bounds.
            List<JsonNode> group = new ArrayList<>();
            long records = 0;
            for (JsonNode h : page) {
                JsonNode report = h.path("_source");
                if (!group.isEmpty() && records + report.path("record_count").asLong() > RECORDS_AT_ONCE) {
                    rebuildAll(group);
                    group.clear();
                    records = 0;
                }
                group.add(report);
                records += report.path("record_count").asLong();
            }
            rebuildAll(group);
            done += page.size();
            after = page.get(page.size() - 1).path("_source").path("report_ref").asLong();
            saveState("reports", after, done);
            progress.update(done, Math.max(total, done), "reports");
        }
    }

    /** Rebuilds reports until each was rebuilt without anything changing under it (or it is gone). */
    private void rebuildAll(List<JsonNode> reports) {
        List<JsonNode> todo = new ArrayList<>(reports);
        for (int attempt = 1; !todo.isEmpty(); attempt++) {
            Set<Long> again = rebuild(todo);
            todo.clear();
            for (Long ref : again) {
                JsonNode report = reportDoc(ref);
                if (report != null) {
                    todo.add(report);
                }
            }
            if (!todo.isEmpty() && attempt >= MAX_ATTEMPTS) {
                throw new StoreException("OpenSearch at " + cluster().name() + " kept changing " + todo.size()
                        + " reports while they were reindexed: run reindex again");
            }
        }
    }

    /**
     * Rebuilds the search objects of the reports' records and their rollups, in a few requests for all of them.
     *
     * @return the reports to rebuild again: a record changed while they were rebuilt
     */
    private Set<Long> rebuild(List<JsonNode> reports) {
        Map<Long, Docs.ReportFields> fieldsOf = new LinkedHashMap<>();
        Set<String> recordIndices = new java.util.TreeSet<>();
        for (JsonNode report : reports) {
            long ref = report.path("report_ref").asLong();
            fieldsOf.put(ref, new Docs.ReportFields(ref, report.path("source_ref").asLong(),
                    report.path("reporter").asText(), report.path("reporter_email").asText(),
                    report.path("report_id").asText(), report.path("policy_domain").asText(),
                    report.path("begin").asLong(), report.path("end").asLong(), Rows.authenticity(report)));
            recordIndices.add(names().month(Family.RECORDS, report.path("begin").asLong()));
        }
        // Every record of these reports, with the version it was read at.
        ObjectNode byReport = JsonNodes.object();
        ArrayNode refs = byReport.putObject("terms").putArray("report_ref");
        fieldsOf.keySet().forEach(refs::add);
        List<JsonNode> records = new ArrayList<>();
        String recordIndex = String.join(",", recordIndices);
        for (long after = Long.MIN_VALUE; ; ) {
            List<JsonNode> page = page(recordIndex, byReport, "record_id", after, Scan.PAGE);
            records.addAll(page);
            if (page.size() < Scan.PAGE) {
                break;
            }
            after = page.get(page.size() - 1).path("_source").path("record_id").asLong();
        }
        Map<String, SenderInfo> senders = senders(records);
        List<Object> lines = new ArrayList<>();
        Map<Long, Map<RollupKey, Long>> rollups = new LinkedHashMap<>();
        Map<String, Long> reportOfRecord = new HashMap<>();
        Map<String, String> indexOfRecord = new HashMap<>();
        for (JsonNode hit : records) {
            JsonNode d = hit.path("_source");
            long ref = d.path("report_ref").asLong();
            Docs.ReportFields fields = fieldsOf.get(ref);
            AggregateRecord record = RecordDocs.record(d);
            SenderInfo sender = senders.getOrDefault(d.path("source_ip").asText(), SenderInfo.UNKNOWN);
            RecordEnrichment enrichment = RecordDocs.enrichment(d, sender);
            long recordId = d.path("record_id").asLong();
            ObjectNode search = SearchDocs.record(recordId, fields.begin(), fields.reporter(), fields.reporterEmail(),
                    fields.policyDomain(), record, enrichment, sender, fields.authenticity().verdict().code());
            lines.add(conditionalUpdate(hit));
            lines.add(setSearch(search));
            reportOfRecord.put(hit.path("_id").asText(), ref);
            indexOfRecord.put(hit.path("_id").asText(), hit.path("_index").asText());
            rollups.computeIfAbsent(ref, k -> new LinkedHashMap<>())
                    .merge(Docs.rollupKey(fields, record, enrichment), record.count(), Long::sum);
        }
        Map<String, Long> versions = new HashMap<>();
        Set<String> conflicts = new HashSet<>();
        sendConditional(lines, versions, conflicts);
        Set<Long> again = new HashSet<>();
        conflicts.forEach(id -> again.add(reportOfRecord.get(id)));

        // The rollups: every document the records make, then away with any other document of these reports.
        Set<String> keep = new HashSet<>();
        List<Object> rollupLines = new ArrayList<>();
        Set<String> rollupIndices = new java.util.TreeSet<>();
        for (Docs.ReportFields f : fieldsOf.values()) {
            if (again.contains(f.ref())) {
                continue; // rebuilt whole in the next round
            }
            String rollupIndex = writes.monthIndex(Family.ROLLUPS, f.begin());
            rollupIndices.add(rollupIndex);
            DaySplit split = DaySplit.of(f.begin(), f.end());
            for (Map.Entry<RollupKey, Long> e : rollups.getOrDefault(f.ref(), Map.of()).entrySet()) {
                long[] days = split.apply(e.getValue());
                for (int i = 0; i < days.length; i++) {
                    if (days[i] == 0) {
                        continue;
                    }
                    LocalDate day = LocalDate.ofEpochDay(split.firstDay() + i);
                    String id = Docs.rollupId(f.ref(), e.getKey(), day);
                    keep.add(id);
                    ObjectNode action = JsonNodes.object();
                    action.putObject("index").put("_index", rollupIndex).put("_id", id);
                    rollupLines.add(action);
                    rollupLines.add(Docs.rollup(f.ref(), e.getKey(), day, days[i]));
                    if (rollupLines.size() >= 2 * OpenSearchImportBatch.BULK_RECORDS) {
                        cluster().bulk(rollupLines, null);
                        rollupLines.clear();
                    }
                }
            }
        }
        cluster().bulk(rollupLines, null);
        List<Long> rebuilt = new ArrayList<>(fieldsOf.keySet());
        rebuilt.removeAll(again);
        removeOtherRollups(String.join(",", rollupIndices), rebuilt, keep);
        writes.refreshData();
        again.addAll(check(fieldsOf, rebuilt, versions, indexOfRecord));
        return again;
    }

    private Map<String, SenderInfo> senders(List<JsonNode> records) {
        Set<String> ips = new HashSet<>();
        records.forEach(h -> ips.add(h.path("_source").path("source_ip").asText()));
        Map<String, SenderInfo> out = new HashMap<>();
        if (ips.isEmpty()) {
            return out;
        }
        ObjectNode mget = JsonNodes.object();
        ArrayNode docs = mget.putArray("ids");
        Map<String, String> ipOf = new HashMap<>();
        for (String ip : ips) {
            String id = Docs.senderId(ip);
            docs.add(id);
            ipOf.put(id, ip);
        }
        for (JsonNode d : cluster().ok("POST", "/" + names().of(Family.SENDERS) + "/_mget", Map.of(), mget).path("docs")) {
            if (d.path("found").asBoolean()) {
                out.put(ipOf.get(d.path("_id").asText()), RecordDocs.sender(d.path("_source")));
            }
        }
        return out;
    }

    /** An update of the hit's document that fails if it changed since it was read. */
    private static ObjectNode conditionalUpdate(JsonNode hit) {
        ObjectNode action = JsonNodes.object();
        action.putObject("update").put("_index", hit.path("_index").asText()).put("_id", hit.path("_id").asText())
                .put("if_seq_no", hit.path("_seq_no").asLong()).put("if_primary_term", hit.path("_primary_term").asLong());
        return action;
    }

    /** Replaces the search object whole (a partial update would merge into what is there). */
    private static ObjectNode setSearch(ObjectNode search) {
        ObjectNode update = JsonNodes.object();
        ObjectNode script = update.putObject("script");
        script.put("lang", "painless");
        script.put("source", "ctx._source." + SearchDocs.FIELD + " = params.s");
        script.putObject("params").set("s", search);
        return update;
    }

    /**
     * Sends conditional updates: the documents that changed since they were read go to {@code conflicts} (they
     * are rebuilt again), the others' new versions to {@code versions}. A document gone meanwhile (its report
     * taken out) is neither: there is nothing to rebuild.
     */
    private void sendConditional(List<Object> lines, Map<String, Long> versions, Set<String> conflicts) {
        for (int from = 0; from < lines.size(); from += 2 * OpenSearchImportBatch.BULK_RECORDS) {
            List<Object> chunk = lines.subList(from, Math.min(lines.size(), from + 2 * OpenSearchImportBatch.BULK_RECORDS));
            for (JsonNode result : cluster().bulkItems(chunk)) {
                int status = result.path("status").asInt();
                String id = result.path("_id").asText();
                if (status == 409) {
                    conflicts.add(id);
                } else if (status == 404) {
                    continue;
                } else if (result.has("error")) {
                    throw new StoreException("OpenSearch at " + cluster().name() + " refused a write: "
                            + cluster().itemError(result));
                } else {
                    versions.put(id, result.path("_seq_no").asLong());
                }
            }
        }
    }

    /** Deletes the rollup documents of the reports that the rebuild did not write (a key no record has now). */
    private void removeOtherRollups(String rollupIndices, List<Long> refs, Set<String> keep) {
        if (refs.isEmpty()) {
            return;
        }
        // Only documents refreshed before are seen: those written just now are all kept anyway.
        ObjectNode body = JsonNodes.object();
        body.put("size", 10_000);
        body.put("_source", false);
        body.put("track_total_hits", true);
        ArrayNode terms = body.putObject("query").putObject("terms").putArray("report_ref");
        refs.forEach(terms::add);
        JsonNode hits = cluster().ok("POST", "/" + rollupIndices + "/_search", Map.of("ignore_unavailable", "true",
                "allow_no_indices", "true"), body).path("hits");
        if (hits.path("total").path("value").asLong() > 10_000) {
            // Too many to list: a query that deletes all but the documents just written.
            ObjectNode delete = JsonNodes.object();
            ObjectNode bool = delete.putObject("query").putObject("bool");
            bool.withArray("filter").addObject().set("terms", body.path("query").path("terms"));
            ArrayNode ids = bool.withArray("must_not").addObject().putObject("ids").putArray("values");
            keep.forEach(ids::add);
            cluster().ok("POST", "/" + rollupIndices + "/_delete_by_query", Map.of("conflicts", "proceed"), delete);
            return;
        }
        List<Object> lines = new ArrayList<>();
        for (JsonNode h : hits.path("hits")) {
            if (!keep.contains(h.path("_id").asText())) {
                ObjectNode action = JsonNodes.object();
                action.putObject("delete").put("_index", h.path("_index").asText()).put("_id", h.path("_id").asText());
                lines.add(action);
            }
        }
        cluster().bulk(lines, null);
    }

    /**
     * After the refresh: each report is still there and visible, and its records are as the rebuild left them.
     * A report taken out meanwhile loses the rollups the rebuild may have put back.
     *
     * @return the reports to rebuild again (a record changed: their rollups may be stale)
     */
    private Set<Long> check(Map<Long, Docs.ReportFields> fieldsOf, List<Long> rebuilt, Map<String, Long> versions,
                            Map<String, String> indexOf) {
        Set<Long> again = new HashSet<>();
        if (rebuilt.isEmpty()) {
            return again;
        }
        Set<Long> hidden = writes.visibility().hidden();
        ObjectNode reports = JsonNodes.object();
        ArrayNode refs = reports.putArray("ids");
        rebuilt.forEach(r -> refs.add(String.valueOf(r)));
        List<Long> gone = new ArrayList<>();
        for (JsonNode d : cluster().ok("POST", "/" + names().of(Family.REPORTS) + "/_mget", Map.of("_source", "false"),
                reports).path("docs")) {
            long ref = d.path("_id").asLong();
            if (!d.path("found").asBoolean() || hidden.contains(ref)) {
                gone.add(ref);
            }
        }
        if (!gone.isEmpty()) {
            ObjectNode body = JsonNodes.object();
            ArrayNode terms = body.putObject("query").putObject("terms").putArray("report_ref");
            gone.forEach(terms::add);
            cluster().ok("POST", "/" + names().of(Family.ROLLUPS) + "/_delete_by_query", Map.of("conflicts", "proceed",
                    "refresh", "true", "ignore_unavailable", "true", "allow_no_indices", "true"), body);
        }
        if (versions.isEmpty()) {
            return again;
        }
        List<String> ids = new ArrayList<>(versions.keySet());
        for (int from = 0; from < ids.size(); from += Scan.PAGE * 10) {
            ObjectNode mget = JsonNodes.object();
            ArrayNode list = mget.putArray("docs");
            ids.subList(from, Math.min(ids.size(), from + Scan.PAGE * 10))
                    .forEach(id -> list.addObject().put("_index", indexOf.get(id)).put("_id", id));
            for (JsonNode d : cluster().ok("POST", "/_mget", Map.of("_source_includes", "report_ref"),
                    mget).path("docs")) {
                if (d.path("found").asBoolean() && d.path("_seq_no").asLong() != versions.get(d.path("_id").asText())) {
                    long ref = d.path("_source").path("report_ref").asLong();
                    if (!gone.contains(ref) && fieldsOf.containsKey(ref)) {
                        again.add(ref); // re-classified or given a sender meanwhile: the rollups may be stale
                    }
                }
            }
        }
        return again;
    }

    private JsonNode reportDoc(long ref) {
        Cluster.Reply r = cluster().send("GET", "/" + names().of(Family.REPORTS) + "/_doc/" + ref, null, null);
        if (r.status() == 404) {
            return null;
        }
        if (!r.ok()) {
            throw cluster().refused("reading a report", r);
        }
        return r.body().path("_source");
    }

    // --- failure reports and TLS failure details: their search objects ---

    private long failures(long after, long done, long total, ReindexProgress progress) {
        ObjectNode all = JsonNodes.object();
        all.putObject("match_all");
        while (true) {
            List<JsonNode> page = page(names().of(Family.FAILURES), all, "failure_id", after, Scan.PAGE);
            if (page.isEmpty()) {
                return done;
            }
            List<JsonNode> hits = page;
            for (int attempt = 1; !hits.isEmpty(); attempt++) {
                Set<String> ips = new HashSet<>();
                hits.forEach(h -> ips.add(Optional.ofNullable(RecordDocs.text(h.path("_source"), "source_ip"))
                        .map(String::strip).orElse("")));
                Map<String, SenderInfo> senders = sendersByIp(ips);
                List<Object> lines = new ArrayList<>();
                for (JsonNode h : hits) {
                    JsonNode d = h.path("_source");
                    FailureReport report = failureReport(d);
                    String ip = report.sourceIp() == null ? "" : report.sourceIp().strip();
                    long importedAt = d.path("imported_at").asLong();
                    lines.add(conditionalUpdate(h));
                    lines.add(setSearch(SearchDocs.failure(d.path("failure_id").asLong(), report, importedAt,
                            senders.getOrDefault(ip, SenderInfo.UNKNOWN), Rows.authenticity(d).verdict().code())));
                }
                Set<String> conflicts = new HashSet<>();
                sendConditional(lines, new HashMap<>(), conflicts);
                if (conflicts.isEmpty()) {
                    break;
                }
                if (attempt >= MAX_ATTEMPTS) {
                    throw new StoreException("OpenSearch at " + cluster().name() + " kept changing failure reports"
                            + " while they were reindexed: run reindex again");
                }
                hits = reread(names().of(Family.FAILURES), hits, conflicts);
            }
            done += page.size();
            after = page.get(page.size() - 1).path("_source").path("failure_id").asLong();
            saveState("failures", after, done);
            progress.update(done, Math.max(total, done), "failure reports");
        }
    }

    private Map<String, SenderInfo> sendersByIp(Set<String> ips) {
        List<JsonNode> fake = new ArrayList<>();
        for (String ip : ips) {
            if (!ip.isEmpty()) {
                ObjectNode h = JsonNodes.object();
                h.putObject("_source").put("source_ip", ip);
                fake.add(h);
            }
        }
        return senders(fake);
    }

    /** The failure report whole, as the parser made it (the {@code doc} field). */
    private FailureReport failureReport(JsonNode d) {
        try {
            return lenient.treeToValue(d.path("doc"), FailureReport.class);
        } catch (IOException e) {
            throw new StoreException("OpenSearch at " + cluster().name() + ": the failure report "
                    + d.path("failure_id").asText() + " cannot be read back (" + e.getMessage() + ")", e);
        }
    }

    /** The conflicting hits again, with their current versions (gone ones left out). */
    private List<JsonNode> reread(String index, List<JsonNode> hits, Set<String> conflicts) {
        ObjectNode mget = JsonNodes.object();
        ArrayNode ids = mget.putArray("ids");
        hits.stream().map(h -> h.path("_id").asText()).filter(conflicts::contains).forEach(ids::add);
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode d : cluster().ok("POST", "/" + index + "/_mget", Map.of(), mget).path("docs")) {
            if (d.path("found").asBoolean()) {
                out.add(d);
            }
        }
        return out;
    }

    private long tlsFailures(long after, long done, long total, ReindexProgress progress) {
        Map<Long, JsonNode> reports = new HashMap<>();
        while (true) {
            List<JsonNode> page = page(names().of(Family.TLS_FAILURES), visible("tls_ref"), "failure_id", after,
                    Scan.PAGE);
            if (page.isEmpty()) {
                return done;
            }
            List<JsonNode> hits = page;
            for (int attempt = 1; !hits.isEmpty(); attempt++) {
                List<Object> lines = new ArrayList<>();
                for (JsonNode h : hits) {
                    JsonNode d = h.path("_source");
                    long ref = d.path("tls_ref").asLong();
                    JsonNode tls = reports.computeIfAbsent(ref, this::tlsDoc);
                    if (tls == null) {
                        reports.remove(ref);
                        continue; // its report was taken out meanwhile
                    }
                    lines.add(conditionalUpdate(h));
                    lines.add(setSearch(tlsSearch(d, tls)));
                }
                Set<String> conflicts = new HashSet<>();
                sendConditional(lines, new HashMap<>(), conflicts);
                if (conflicts.isEmpty()) {
                    break;
                }
                if (attempt >= MAX_ATTEMPTS) {
                    throw new StoreException("OpenSearch at " + cluster().name() + " kept changing TLS reports"
                            + " while they were reindexed: run reindex again");
                }
                hits = reread(names().of(Family.TLS_FAILURES), hits, conflicts);
            }
            if (reports.size() > 10_000) {
                reports.clear();
            }
            done += page.size();
            after = page.get(page.size() - 1).path("_source").path("failure_id").asLong();
            saveState("tls", after, done);
            progress.update(done, Math.max(total, done), "TLS failure details");
        }
    }

    private JsonNode tlsDoc(long ref) {
        Cluster.Reply r = cluster().send("GET", "/" + names().of(Family.TLS) + "/_doc/" + ref, null, null);
        if (r.status() == 404) {
            return null;
        }
        if (!r.ok()) {
            throw cluster().refused("reading a TLS report", r);
        }
        return r.body().path("_source");
    }

    /** A TLS failure detail's search object from its document and its report's, as at import. */
    private static ObjectNode tlsSearch(JsonNode d, JsonNode tls) {
        JsonNode policy = tls.path("policies").path(d.path("policy").asInt());
        List<String> mx = new ArrayList<>();
        policy.path("mx_host").forEach(m -> mx.add(m.asText()));
        TlsFailureDetail detail = new TlsFailureDetail(RecordDocs.text(d, "result_type"),
                RecordDocs.text(d, "sending_mta_ip"), RecordDocs.text(d, "receiving_mx_hostname"),
                RecordDocs.text(d, "receiving_mx_helo"), RecordDocs.text(d, "receiving_ip"),
                d.path("failed_sessions").asLong(), RecordDocs.text(d, "additional_info"),
                RecordDocs.text(d, "failure_reason_code"));
        TlsPolicyResult p = new TlsPolicyResult(RecordDocs.text(d, "policy_type"), List.of(),
                RecordDocs.text(d, "policy_domain"), mx, 0, 0, List.of());
        long begin = tls.path("begin").asLong();
        TlsReport report = new TlsReport(null, tls.path("organization").asText(""),
                begin == 0 ? null : Instant.ofEpochSecond(begin), null, RecordDocs.text(tls, "contact"),
                RecordDocs.text(tls, "report_id"), List.of(), List.of());
        return SearchDocs.tlsFailure(d.path("failure_id").asLong(), report, p, detail,
                Rows.authenticity(d).verdict().code());
    }
}
