package io.dmarclens.opensearch;

import io.dmarclens.store.query.DaySplit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.parser.ParseWarning;
import io.dmarclens.parser.Truncation;
import io.dmarclens.parser.aggregate.AggregateHeader;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.failure.FailureReport;
import io.dmarclens.parser.tlsrpt.TlsFailureDetail;
import io.dmarclens.parser.tlsrpt.TlsPolicyResult;
import io.dmarclens.parser.tlsrpt.TlsReport;
import io.dmarclens.store.Authenticity;
import io.dmarclens.store.CommitMode;
import io.dmarclens.store.ImportBatch;
import io.dmarclens.store.ImportResult;
import io.dmarclens.store.StoreCommit;
import io.dmarclens.store.StoreException;
import io.dmarclens.store.enrichment.RecordEnrichment;
import io.dmarclens.store.enrichment.SenderInfo;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Stores the reports of one raw source in OpenSearch, with the embedded store's semantics (see
 * {@link ImportBatch} and {@code SqliteImportBatch}): duplicates by identity and by content are skipped, a
 * partial copy is replaced by a more complete one (or a verified one replaces an unverified copy) exactly as
 * if only the new copy had arrived, an aborted report leaves nothing, and readers see a report whole or not
 * at all. An aggregate report's records go in bulk requests of {@value #BULK_RECORDS} while its identity is
 * claimed ({@link Identities}); its rollups and report document follow at its end, and the commit makes it
 * visible ({@link Writes}). Not thread-safe: one importer uses a batch.
 */
final class OpenSearchImportBatch implements ImportBatch {
    static final int BULK_RECORDS = 1_000;

    private final Writes writes;
    private final CommitMode mode;
    private final long sourceId;
    /** The small raw source not handed over yet (see {@link Writes#beginImport}), or null. */
    private Sources.Prepared source;
    private final String sourceSha;
    private int position;

    private enum State { IDLE, STORING, SKIPPING }

    private State state = State.IDLE;
    private AggregateHeader header;
    private Authenticity authenticity;
    private String contentKey;
    private Identities.Claim claim;
    private Docs.ReportFields fields;
    private String recordIndex;
    private String rollupIndex;
    /** The open report's documents not sent yet, as NDJSON (borrowed from the store, given back at close). */
    private BulkLines lines;
    /** The search object of the record being written, reused from record to record. */
    private final SearchDocs.Builder search = new SearchDocs.Builder();
    private final Map<RollupKey, Long> rollups = new LinkedHashMap<>();
    private final Map<String, SenderInfo> senders = new HashMap<>();
    private long reportRecords;
    private long reportMessages;
    private long lastBeat;
    /** The current report's place in the order reports are stored in (see {@link StoredOrder}). */
    private long seq;
    private boolean sentRecords;
    /** The ticket of the open report's claim (see {@link Writes#idsWritten}), and whether it is visible yet. */
    private long idsTicket;
    private boolean claimVisible;
    /** The open report's claim was handed back to the store (see {@link Writes#settled}). */
    private boolean settled;

    private int aggregateReports;
    private long records;
    private long messages;
    private int failureReports;
    private int tlsReports;
    private int duplicates;
    private int aborted;
    private int partial;
    private int superseded;
    private boolean closed;

    /** A batch whose small raw source waits for the group ({@link #source}). */
    OpenSearchImportBatch(Writes writes, CommitMode mode, Sources.Prepared source, String sourceSha) {
        this(writes, mode, source, sourceSha, source.id());
    }

    /** @param source the raw source still to be written (grouped), or null when it is written already */
    OpenSearchImportBatch(Writes writes, CommitMode mode, Sources.Prepared source, String sourceSha, long sourceId) {
        this.writes = writes;
        this.mode = mode;
        this.source = source;
        this.sourceId = sourceId;
        this.sourceSha = sourceSha;
    }

    /**
     * The raw source goes with the group, before the report that names it: the group's commit sends it first in
     * its bulk request.
     */
    private void sourceToGroup() {
        if (source != null) {
            writes.groupSource(source);
            source = null;
        }
    }

    /** The raw source is written now: a failure or TLS report naming it is visible as soon as it is stored. */
    private void sourceNow() {
        if (source != null) {
            writes.writeSource(source);
            source = null;
        }
    }

    private Cluster cluster() {
        return writes.cluster();
    }

    @Override
    public boolean beginAggregate(AggregateHeader header, Authenticity authenticity) {
        ensureIdle();
        this.header = Objects.requireNonNull(header, "header");
        this.authenticity = Objects.requireNonNull(authenticity, "authenticity");
        contentKey = sourceSha + "#" + position++;
        String identity = Docs.aggregateIdentity(header);
        long ref = DocIds.of("aggregate-copy", identity, contentKey);
        boolean verified = authenticity.verdict() == Authenticity.Verdict.VERIFIED;
        Identities.Outcome outcome = writes.claim("a-" + identity, "aggregate", ref,
                stored -> stored.partial() != null || (stored.unverified() && verified));
        if (outcome.claim() == null) {
            duplicates++;
            state = State.SKIPPING;
            return false;
        }
        claim = outcome.claim();
        settled = false;
        try {
            // Readers must leave this copy out before any of its documents can be searched: its claim is made
            // visible (a refresh of ids, shared with other importers) before its first document is sent.
            idsTicket = writes.idsWritten();
            claimVisible = false;
            long begin = header.metadata().dateRange().begin();
            fields = Docs.ReportFields.of(header, ref, sourceId, authenticity);
            seq = writes.order().next();
            recordIndex = writes.monthIndex(Family.RECORDS, begin);
            rollupIndex = writes.monthIndex(Family.ROLLUPS, begin);
        } catch (RuntimeException e) {
            giveUp();
            throw e;
        }
        if (lines == null) {
            lines = writes.borrowLines();
        }
        lines.clear();
        rollups.clear();
        senders.clear();
        reportRecords = 0;
        reportMessages = 0;
        sentRecords = false;
        lastBeat = System.nanoTime();
        state = State.STORING;
        return true;
    }

    @Override
    public void record(AggregateRecord record, RecordEnrichment enrichment) {
        if (state == State.SKIPPING) {
            return;
        }
        if (state != State.STORING) {
            throw new IllegalStateException("record outside beginAggregate/endAggregate");
        }
        Objects.requireNonNull(enrichment, "enrichment");
        try {
            long recordId = DocIds.of("record", claim.ref(), reportRecords);
            com.fasterxml.jackson.core.JsonGenerator g = lines.generator();
            Docs.writeIndexAction(g, recordIndex, String.valueOf(recordId));
            lines.endLine();
            SearchDocs.record(search, recordId, fields.begin(), fields.reporter(), fields.reporterEmail(),
                    fields.policyDomain(), record, enrichment, enrichment.sender(), authenticity.verdict().code());
            Docs.writeRecord(g, fields, recordId, record, enrichment, seq, search);
            lines.endLine();
            rollups.merge(Docs.rollupKey(fields, record, enrichment), record.count(), Long::sum);
            if (enrichment.sender() != null && !SenderInfo.UNKNOWN.equals(enrichment.sender())) {
                senders.put(Docs.ip(record), enrichment.sender());
            }
            reportRecords++;
            reportMessages += record.count();
            if (lines.lines() >= 2 * BULK_RECORDS) {
                sendLines();
            }
        } catch (IOException e) {
            giveUp();
            throw new StoreException("cannot store record " + record.index() + " of report "
                    + header.metadata().reportId() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            giveUp();
            throw wrap("cannot store record " + record.index() + " of report " + header.metadata().reportId(), e);
        }
    }

    /**
     * Each record of a partial report carries the reason (exports and search hits show it): the records still
     * waiting to be sent get it here, those sent already through an update by query (partial reports are
     * rare; their records are still left out by readers meanwhile).
     */
    private void markPartial(String reason) {
        if (!lines.isEmpty()) {
            // Read back and written again: rare, and the lines are bytes by now.
            BulkLines.Ndjson waiting = lines.ndjson();
            lines.clear();
            try (com.fasterxml.jackson.databind.MappingIterator<ObjectNode> it = cluster().json()
                    .readerFor(ObjectNode.class).readValues(waiting.bytes())) {
                while (it.hasNext()) {
                    ObjectNode line = it.next();
                    if (line.has("record_id")) {
                        line.put("partial", reason);
                    }
                    lines.add(line);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        if (sentRecords) {
            cluster().ok("POST", "/" + recordIndex + "/_refresh", Map.of(), null);
            ObjectNode body = JsonNodes.object();
            body.putObject("query").putObject("term").put("report_ref", claim.ref());
            body.putObject("script").put("lang", "painless").put("source", "ctx._source.partial = params.reason")
                    .putObject("params").put("reason", reason);
            cluster().ok("POST", "/" + recordIndex + "/_update_by_query", Map.of("conflicts", "proceed",
                    "wait_for_completion", "true"), body);
        }
    }

    private void sendLines() {
        if (!lines.isEmpty()) {
            if (!claimVisible) {
                writes.awaitIdsVisible(idsTicket);
                claimVisible = true;
            }
            sentRecords = true;
            cluster().bulk(List.of(lines.ndjson()), null);
            lines.clear();
        }
        if (System.nanoTime() - lastBeat > Identities.HEARTBEAT_NANOS) {
            claim = writes.identities().heartbeat(claim);
            lastBeat = System.nanoTime();
        }
    }

    @Override
    public boolean endAggregate(List<ParseWarning> warnings, Truncation truncation) {
        if (state == State.SKIPPING) {
            state = State.IDLE;
            return false;
        }
        if (state != State.STORING) {
            throw new IllegalStateException("endAggregate without beginAggregate");
        }
        Identities.Stored replacing = claim.current();
        boolean verified = authenticity.verdict() == Authenticity.Verdict.VERIFIED;
        if (replacing != null && !replacedBy(replacing, truncation == null, reportRecords)
                && !(replacing.unverified() && verified)) {
            // Read no further than the stored partial copy: that one stays, this one is a duplicate.
            giveUp();
            duplicates++;
            return false;
        }
        try {
            if (truncation != null) {
                markPartial(truncation.reason());
            }
            // The records still waiting go with the rollups and the report document: one bulk request (and
            // one fsync) for a report of fewer than BULK_RECORDS records, none visible before the commit.
            long importedAt = writes.clock().instant().getEpochSecond();
            DaySplit split = DaySplit.of(header.metadata().dateRange().begin(), header.metadata().dateRange().end());
            for (Map.Entry<RollupKey, Long> e : rollups.entrySet()) {
                long[] days = split.apply(e.getValue());
                for (int i = 0; i < days.length; i++) {
                    if (days[i] == 0) {
                        continue;
                    }
                    LocalDate day = LocalDate.ofEpochDay(split.firstDay() + i);
                    com.fasterxml.jackson.core.JsonGenerator g = lines.generator();
                    try {
                        Docs.writeIndexAction(g, rollupIndex, Docs.rollupId(claim.ref(), e.getKey(), day));
                        lines.endLine();
                        Docs.writeRollup(g, claim.ref(), e.getKey(), day, days[i]);
                        lines.endLine();
                    } catch (IOException io) {
                        throw new java.io.UncheckedIOException(io);
                    }
                }
                if (lines.lines() >= 2 * BULK_RECORDS) {
                    sendLines();
                }
            }
            ObjectNode report = Docs.report(header, claim.ref(), claim.key(), contentKey, sourceId, importedAt,
                    authenticity);
            report.put("record_count", reportRecords);
            report.put("seq", seq);
            report.put("message_count", reportMessages);
            if (truncation != null) {
                report.put("partial", truncation.reason());
            }
            report.put("is_partial", truncation != null);
            Docs.warnings(report, warnings);
            supersede(report, replacing, importedAt);
            ObjectNode action = JsonNodes.object();
            action.putObject("index").put("_index", writes.names().of(Family.REPORTS))
                    .put("_id", String.valueOf(claim.ref()));
            lines.add(action);
            lines.add(report);
            Map<String, SenderInfo> written = new LinkedHashMap<>();
            List<Object> senderLines = new ArrayList<>();
            for (Map.Entry<String, SenderInfo> s : senders.entrySet()) {
                if (!writes.senderWritten(s.getKey(), s.getValue())) {
                    addSender(senderLines, writes, s.getKey(), s.getValue(), importedAt);
                    written.put(s.getKey(), s.getValue());
                }
            }
            senderLines.forEach(l -> lines.add((ObjectNode) l));
            List<java.time.LocalDate> days = Compaction.days(header.metadata().dateRange().begin(),
                    header.metadata().dateRange().end());
            if (mode == CommitMode.GROUPED) {
                sourceToGroup();
                // The last documents go with the group's commit: one bulk request for the whole group.
                Writes.Ended ended = new Writes.Ended(claim, truncation == null ? null : truncation.reason(),
                        reportRecords, authenticity.unverified(), Set.of(fields.policyDomain()), false,
                        List.of(lines.ndjson()), idsTicket, Map.copyOf(written), days);
                lines.clear();
                writes.addToGroup(ended);
                settle(); // the group holds it now
            } else {
                sendLines();
                written.forEach(writes::senderWrote);
                Writes.Ended ended = new Writes.Ended(claim, truncation == null ? null : truncation.reason(),
                        reportRecords, authenticity.unverified(), Set.of(fields.policyDomain()), false, days);
                try {
                    writes.commitNow(ended);
                } finally {
                    settle();
                }
            }
        } catch (RuntimeException e) {
            giveUp();
            throw wrap("cannot store the aggregate report " + header.metadata().reportId(), e);
        }
        aggregateReports++;
        records += reportRecords;
        messages += reportMessages;
        if (truncation != null) {
            partial++;
        }
        if (replacing != null) {
            superseded++;
        }
        claim = null;
        state = State.IDLE;
        return true;
    }

    /** Senders: what is known now fills in, unknown values keep what was stored (as the embedded store does). */
    static void addSender(List<Object> lines, Writes writes, String ip, SenderInfo info, long now) {
        ObjectNode action = JsonNodes.object();
        action.putObject("update").put("_index", writes.names().of(Family.SENDERS)).put("_id", Docs.senderId(ip))
                .put("retry_on_conflict", 5);
        ObjectNode update = JsonNodes.object();
        update.set("doc", Docs.sender(ip, info, now));
        update.put("doc_as_upsert", true);
        lines.add(action);
        lines.add(update);
    }

    /** What is stored about a failure report's source, for its search document (as the embedded index joins it). */
    private SenderInfo storedSender(String ip) {
        if (ip == null || ip.isBlank()) {
            return SenderInfo.UNKNOWN;
        }
        Cluster.Reply r = cluster().send("GET", "/" + writes.names().of(Family.SENDERS) + "/_doc/"
                + Docs.senderId(ip.strip()), null, null);
        if (r.status() == 404) {
            return SenderInfo.UNKNOWN;
        }
        if (!r.ok()) {
            throw cluster().refused("reading a sender", r);
        }
        return RecordDocs.sender(r.body().path("_source"));
    }

    /** Lists the copy this one replaces (and the copies that one had replaced), keeping their raw sources. */
    private void supersede(ObjectNode report, Identities.Stored replacing, long now) {
        ArrayNode list = report.putArray("superseded");
        ArrayNode sources = report.putArray("superseded_sources");
        if (replacing == null) {
            return;
        }
        Cluster.Reply old = cluster().send("GET", "/" + writes.names().of(Family.REPORTS) + "/_doc/"
                + replacing.ref(), null, null);
        if (!old.ok()) {
            return; // its documents are gone already (a dead importer's copy): nothing to list
        }
        JsonNode o = old.body().path("_source");
        for (JsonNode earlier : o.path("superseded")) {
            list.add(earlier);
            sources.add(earlier.path("source_ref").asLong());
        }
        ObjectNode entry = list.addObject();
        entry.put("source_ref", o.path("source_ref").asLong());
        entry.put("source_part", o.path("source_part").asText(""));
        entry.put("content_key", o.path("content_key").asText(""));
        entry.put("records", o.path("record_count").asLong());
        if (o.hasNonNull("partial")) {
            entry.put("partial", o.path("partial").asText());
        }
        entry.put("imported_at", o.path("imported_at").asLong());
        entry.put("superseded_at", now);
        sources.add(o.path("source_ref").asLong());
    }

    /**
     * Whether a new copy replaces a stored one: only a partial one, by a copy read further (to its end with at
     * least as many records, or more records).
     */
    static boolean replacedBy(Identities.Stored stored, boolean complete, long newRecords) {
        return stored.partial() != null && (complete ? newRecords >= stored.records() : newRecords > stored.records());
    }

    @Override
    public void abortAggregate(String reason) {
        if (state == State.SKIPPING) {
            state = State.IDLE;
            duplicates--; // withdrawn by the parser (e.g. to read it again with repairs): not counted twice
            return;
        }
        if (state == State.STORING) {
            giveUp();
            aborted++;
        }
    }

    /** Tells the store, once per claim, that this batch is done with the open report's claim. */
    private void settle() {
        settle(claim);
    }

    private void settle(Identities.Claim c) {
        if (c != null && !settled) {
            settled = true;
            writes.settled(c.key());
        }
    }

    /** Drops the open report: its documents go and its claim is released. */
    private void giveUp() {
        if (lines != null) {
            lines.clear();
        }
        Identities.Claim c = claim;
        claim = null;
        state = State.IDLE;
        if (c != null) {
            try {
                writes.lose(new Writes.Ended(c, null, 0, false, Set.of(), false));
            } finally {
                settle(c);
            }
        }
    }

    @Override
    public boolean failure(FailureReport report, Authenticity authenticity) {
        Objects.requireNonNull(authenticity, "authenticity");
        ensureIdle();
        sourceNow();
        String key = sourceSha + "#" + position++;
        long id = DocIds.of("failure", key);
        long importedAt = writes.clock().instant().getEpochSecond();
        ObjectNode doc = Docs.failure(report, id, sourceId, key, importedAt, cluster().json());
        Docs.authenticity(doc, authenticity);
        doc.put("seq", writes.order().next());
        doc.set(SearchDocs.FIELD, SearchDocs.failure(id, report, importedAt, storedSender(report.sourceIp()),
                authenticity.verdict().code()));
        // Created once: the same report of the same input again (here or in another process) is a duplicate.
        Cluster.Reply put = cluster().send("PUT", "/" + writes.names().of(Family.FAILURES) + "/_doc/" + id,
                Map.of("op_type", "create", "refresh", "true"), doc);
        if (put.status() == 409) {
            duplicates++;
            return false;
        }
        if (!put.ok()) {
            throw cluster().refused("storing a failure report", put);
        }
        failureReports++;
        if (report.partial()) {
            partial++;
        }
        writes.tell(new StoreCommit(0, 1, 0, Docs.domains(report.reportedDomain())));
        return true;
    }

    @Override
    public boolean tls(TlsReport report, Authenticity authenticity) {
        Objects.requireNonNull(authenticity, "authenticity");
        ensureIdle();
        sourceNow();
        String key = sourceSha + "#" + position++;
        String identity = Docs.tlsIdentity(report);
        long ref = DocIds.of("tls-copy", identity, key);
        boolean complete = report.truncation() == null;
        long policies = report.policies().size();
        boolean verified = authenticity.verdict() == Authenticity.Verdict.VERIFIED;
        // As for aggregate reports: a verified copy replaces an unverified one whatever that one holds.
        Identities.Outcome outcome = writes.claim("t-" + identity, "tls", ref,
                stored -> replacedBy(stored, complete, policies) || (stored.unverified() && verified));
        if (outcome.claim() == null) {
            duplicates++;
            return false;
        }
        Identities.Claim c = outcome.claim();
        Writes.Ended ended = new Writes.Ended(c, complete ? null : report.truncation().reason(), policies,
                authenticity.unverified(),
                Docs.domains(report.policies().stream().map(TlsPolicyResult::policyDomain).toList()), true);
        try {
            writes.refreshIds();
            long importedAt = writes.clock().instant().getEpochSecond();
            List<Object> tlsLines = new ArrayList<>();
            ObjectNode doc = Docs.tls(report, ref, c.key(), key, sourceId, importedAt);
            Docs.authenticity(doc, authenticity);
            long tlsSeq = writes.order().next();
            doc.put("seq", tlsSeq);
            ArrayNode list = doc.putArray("superseded");
            ArrayNode sources = doc.putArray("superseded_sources");
            if (c.current() != null) {
                Cluster.Reply old = cluster().send("GET", "/" + writes.names().of(Family.TLS) + "/_doc/"
                        + c.current().ref(), null, null);
                if (old.ok()) {
                    JsonNode o = old.body().path("_source");
                    o.path("superseded").forEach(list::add);
                    ObjectNode entry = list.addObject();
                    entry.put("source_ref", o.path("source_ref").asLong());
                    entry.put("source_part", o.path("source_part").asText(""));
                    entry.put("content_key", o.path("content_key").asText(""));
                    entry.put("records", c.current().records());
                    if (o.hasNonNull("partial")) {
                        entry.put("partial", o.path("partial").asText());
                    }
                    entry.put("imported_at", o.path("imported_at").asLong());
                    entry.put("superseded_at", importedAt);
                    list.forEach(e -> sources.add(e.path("source_ref").asLong()));
                }
            }
            ObjectNode action = JsonNodes.object();
            action.putObject("index").put("_index", writes.names().of(Family.TLS)).put("_id", String.valueOf(ref));
            tlsLines.add(action);
            tlsLines.add(doc);
            int position = 0;
            int policy = 0;
            for (TlsPolicyResult p : report.policies()) {
                int policyIndex = policy++;
                for (TlsFailureDetail f : p.failureDetails()) {
                    long failureId = DocIds.of("tls-failure", ref, position);
                    ObjectNode a = JsonNodes.object();
                    a.putObject("index").put("_index", writes.names().of(Family.TLS_FAILURES))
                            .put("_id", String.valueOf(failureId));
                    tlsLines.add(a);
                    // seq and the policy's position: the detail lists failures under their policy, exports in order.
                    ObjectNode failureDoc = Docs.tlsFailure(report, ref, failureId, position, p, f).put("seq", tlsSeq)
                            .put("policy", policyIndex);
                    Docs.authenticity(failureDoc, authenticity);
                    failureDoc.set(SearchDocs.FIELD, SearchDocs.tlsFailure(failureId, report, p, f,
                            authenticity.verdict().code()));
                    tlsLines.add(failureDoc);
                    position++;
                }
            }
            cluster().bulk(tlsLines, null);
            writes.commitNow(ended);
        } catch (RuntimeException e) {
            writes.lose(ended);
            throw wrap("cannot store the TLS report " + report.reportId(), e);
        } finally {
            writes.settled(c.key());
        }
        tlsReports++;
        if (!complete) {
            partial++;
        }
        if (c.current() != null) {
            superseded++;
        }
        return true;
    }

    @Override
    public ImportResult commit() {
        close();
        return result();
    }

    @Override
    public ImportResult result() {
        return new ImportResult(aggregateReports, records, messages, failureReports, tlsReports, duplicates, aborted,
                partial, superseded);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (state == State.STORING) {
            abortAggregate("import batch closed before the report ended");
        }
        state = State.IDLE;
        closed = true;
        sourceToGroup(); // no report handed it over (duplicates, nothing readable): kept all the same
        if (lines != null) {
            writes.giveBackLines(lines);
            lines = null;
        }
    }

    private void ensureIdle() {
        if (closed) {
            throw new IllegalStateException("the import batch is closed");
        }
        if (state == State.SKIPPING) {
            state = State.IDLE; // a skipped duplicate needs no endAggregate
        }
        if (state != State.IDLE) {
            throw new IllegalStateException("an aggregate report is open: call endAggregate or abortAggregate first");
        }
    }

    private static StoreException wrap(String what, RuntimeException e) {
        if (e instanceof StoreException s) {
            return s;
        }
        return new StoreException(what + ": " + e.getMessage(), e);
    }
}
