package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.store.CommitListener;
import io.dmarclens.store.CommitListeners;
import io.dmarclens.store.CommitMark;
import io.dmarclens.store.CommitMode;
import io.dmarclens.store.ImportBatch;
import io.dmarclens.store.SourceFile;
import io.dmarclens.store.StoreCommit;
import io.dmarclens.store.StoreException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the store writes, and when it becomes visible. A report's documents are written while its
 * identity is claimed ({@link Identities}): readers leave claimed copies out ({@link Visibility}). Committing
 * a report is: refresh the data indices (its documents become searchable, still hidden), flip its identity
 * document to current (one document: atomic), refresh {@code ids} (readers now see it whole), then remove the
 * copies it replaced and tell the commit listeners.
 *
 * <p>With {@link CommitMode#GROUPED}, ended reports wait in a group that is committed every group window
 * ({@link OpenSearchSettings#commitGroupWindow()}, 2 s unless set) or {@value #GROUP_RECORDS} records, at
 * {@link #flush()} and on close: one round of refreshes for many small reports. A grouped report's last documents
 * (all of a report of fewer than {@code BULK_RECORDS} records) wait in the group too, and its commit sends the whole
 * group's in one bulk request before the refreshes (sent ahead, still hidden, once {@value #GROUP_LINES} bulk lines
 * wait). Each round
 * refreshes every month index written since the last one, and each refresh writes small segments that are merged
 * again later: an offline bulk import, which nobody reads while it runs, may use a longer window. A grouped import's
 * small raw source waits in the group too (see {@link Sources}), so that a report of a small mail costs the node
 * one request of its own, its identity's claim.
 */
final class Writes implements AutoCloseable {
    static final long GROUP_RECORDS = 250_000;
    /** How long closing waits for a grouped commit under way (its requests have their own timeouts). */
    private static final long CLOSE_WAIT_SECONDS = 120;
    private final long groupMillis;
    /**
     * Bulk lines a group holds unsent at most: the documents of its reports wait in memory (about 10 MB at this
     * size) until the commit sends them in one request, or, when they reach this many before the group is due, they
     * are sent ahead in one request and the group goes on collecting reports until its window, hidden meanwhile by
     * their claims. Committing at this bound instead committed an import writing more than 20,000 lines per window
     * about every half second whatever the window (each commit refreshes every month index written, leaving small
     * segments to merge).
     */
    static final long GROUP_LINES = 20_000;
    private static final Logger LOG = LoggerFactory.getLogger(Writes.class);

    private final Cluster cluster;
    private final IndexNames names;
    private final Clock clock;
    private final StoredOrder order;
    private final Visibility visibility;
    private final Identities identities;
    private final Sources sources;
    private final CommitListeners listeners = new CommitListeners();
    private final Object groupLock = new Object();
    private final Object commitLock = new Object();
    private final List<Ended> group = new ArrayList<>();
    /** Bulk lines of small raw sources waiting for the group's commit (see {@link Sources.Prepared#small}). */
    private final List<Object> groupSources = new ArrayList<>();
    private final Map<String, Integer> groupKeys = new java.util.HashMap<>();
    private long groupRecords;
    /** Lines of the group's reports not sent yet (see {@link #GROUP_LINES}). */
    private long groupLines;
    private long groupOpened;
    private final AtomicLong lostGroups = new AtomicLong();
    private final ScheduledExecutorService timer;
    /** Identities this store's importers are claiming or writing now, with how many importers. */
    private final Map<String, Integer> inFlight = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Boolean> knownIndices = new java.util.concurrent.ConcurrentHashMap<>();
    private final Templates templates;
    private final Object idsRefreshLock = new Object();
    /** Tickets handed out by {@link #idsWritten}; every ticket up to idsCovered is visible. */
    private long idsTickets;
    private long idsCovered;
    private boolean idsRefreshing;
    /**
     * What this store last wrote about each source (at most {@value #SENDERS_REMEMBERED}): an import that knows
     * the same again need not rewrite it. A report names hundreds of sources and most come back in the next
     * report; each rewrite is an update (a read and a write of the document) on the node.
     */
    private final Map<String, io.dmarclens.store.enrichment.SenderInfo> sendersWritten =
            java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, io.dmarclens.store.enrichment.SenderInfo> e) {
                    return size() > SENDERS_REMEMBERED;
                }
            });
    static final int SENDERS_REMEMBERED = 50_000;
    /** Line buffers kept for importers to reuse (more than the import threads there are). */
    static final int SPARE_LINES = 16;
    private final java.util.concurrent.ConcurrentLinkedQueue<BulkLines> spareLines =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final OpenSearchEnrichment enrichment;
    private final OpenSearchRetention retention;
    private final Compaction compaction;
    /** Every index of the store's families ({@link Family}), for {@link #refreshData}. */
    private final String dataIndices;

    /**
     * A report whose documents are written and whose identity is still claimed: what committing it takes.
     *
     * @param claim      its identity claim
     * @param partial    why it is partial, or null
     * @param records    aggregate records (TLS: policies, as the embedded store counts them for replacing)
     * @param unverified its origin was not verified
     * @param domains    the policy domains a listener hears of
     * @param tls        a TLS report (else aggregate)
     * @param lines      bulk lines of its documents not sent yet: the group's commit sends them, in one bulk
     *                   request with the other reports' (empty when all are sent)
     * @param idsTicket  the ticket of its claim ({@link #idsWritten}): the claim is visible before its lines go
     * @param senders    sources whose sender the lines write, remembered once the bulk is acknowledged
     * @param days       the UTC days its rollups are on (raised in the compact rollup before it is visible)
     */
    record Ended(Identities.Claim claim, String partial, long records, boolean unverified, Set<String> domains,
                 boolean tls, List<Object> lines, long idsTicket, Map<String, io.dmarclens.store.enrichment.SenderInfo> senders,
                 List<java.time.LocalDate> days) {
        /** A report whose documents are all sent already, on the given days. */
        Ended(Identities.Claim claim, String partial, long records, boolean unverified, Set<String> domains,
              boolean tls, List<java.time.LocalDate> days) {
            this(claim, partial, records, unverified, domains, tls, List.of(), 0, Map.of(), days);
        }

        /** The same report once its lines are sent (and its senders remembered). */
        Ended sent() {
            return new Ended(claim, partial, records, unverified, domains, tls, List.of(), idsTicket, Map.of(), days);
        }

        /** A report whose documents are all sent already, on no day of the compact rollup. */
        Ended(Identities.Claim claim, String partial, long records, boolean unverified, Set<String> domains,
              boolean tls) {
            this(claim, partial, records, unverified, domains, tls, List.of(), 0, Map.of(), List.of());
        }
    }

    Writes(Cluster cluster, IndexNames names, Clock clock, Templates templates, java.time.Duration groupWindow) {
        this.cluster = cluster;
        this.groupMillis = groupWindow.toMillis();
        this.names = names;
        this.clock = clock;
        this.order = new StoredOrder(clock);
        this.templates = templates;
        this.visibility = new Visibility(cluster, names);
        this.identities = new Identities(cluster, names, UUID.randomUUID().toString());
        this.sources = new Sources(cluster, names, clock);
        this.enrichment = new OpenSearchEnrichment(this);
        this.retention = new OpenSearchRetention(this);
        this.compaction = new Compaction(cluster, names, visibility, groupMillis);
        this.dataIndices = String.join(",", java.util.Arrays.stream(Family.values())
                .map(f -> f.monthly ? names.pattern(f) : names.of(f)).toList());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "opensearch-group-commit");
            t.setDaemon(true);
            return t;
        });
        long check = Math.max(1, groupMillis / 4);
        timer.scheduleWithFixedDelay(this::commitOldGroup, check, check, TimeUnit.MILLISECONDS);
    }

    Cluster cluster() {
        return cluster;
    }

    IndexNames names() {
        return names;
    }

    Clock clock() {
        return clock;
    }

    /** The order reports are stored in (see {@link StoredOrder}). */
    StoredOrder order() {
        return order;
    }

    Visibility visibility() {
        return visibility;
    }

    Identities identities() {
        return identities;
    }

    ImportBatch beginImport(SourceFile source, CommitMode mode) {
        Sources.Prepared prepared = sources.prepare(source);
        if (mode == CommitMode.GROUPED && prepared.small()) {
            // Committed with the group (before its reports can be seen): two requests and fsyncs fewer per mail.
            // The batch hands it over with its first aggregate report, or writes it before a failure or TLS
            // report (those are visible at once), or at its close.
            return new OpenSearchImportBatch(this, mode, prepared, source.sha256());
        }
        sources.write(prepared);
        return new OpenSearchImportBatch(this, mode, null, source.sha256(), prepared.id());
    }

    /** Writes a raw source now (its chunks, then its document). */
    void writeSource(Sources.Prepared prepared) {
        sources.write(prepared);
    }

    /** Adds a small raw source to the group: it goes first in the group's bulk request. */
    void groupSource(Sources.Prepared prepared) {
        addSourceToGroup(cluster.serialized(prepared.lines()));
    }

    /** Creates a month index (from its template, with its read alias) the first time it is written to. */
    String monthIndex(Family f, long begin) {
        String index = names.month(f, begin);
        // Other importers of this store wait while the index is created (an index is created once).
        knownIndices.computeIfAbsent(index, i -> {
            templates.ensureIndex(i);
            return Boolean.TRUE;
        });
        return index;
    }

    /** Whether this store wrote exactly this about the source last (see {@link #sendersWritten}). */
    boolean senderWritten(String ip, io.dmarclens.store.enrichment.SenderInfo info) {
        return info.equals(sendersWritten.get(ip));
    }

    /** Remembers what this store wrote about a source (acknowledged). */
    void senderWrote(String ip, io.dmarclens.store.enrichment.SenderInfo info) {
        sendersWritten.put(ip, info);
    }

    /** Forgets what was written about a source: it was changed otherwise (enrichment merges into it). */
    void forgetSender(String ip) {
        sendersWritten.remove(ip);
    }

    /** Commits a report ended with {@link CommitMode#EACH_REPORT} now. */
    void commitNow(Ended ended) {
        commit(List.of(ended), List.of(), false);
    }

    /** Adds a small raw source's lines to the group (sent with its commit); commits the group when it is full. */
    private void addSourceToGroup(List<Object> lines) {
        boolean full;
        synchronized (groupLock) {
            if (group.isEmpty() && groupSources.isEmpty()) {
                groupOpened = System.nanoTime();
            }
            groupSources.addAll(lines);
            groupLines += lines.size();
            full = groupLines >= GROUP_LINES;
        }
        if (full) {
            flush();
        }
    }

    /** Adds an ended report to the group (committed later); commits the group when it is full. */
    void addToGroup(Ended ended) {
        boolean full;
        boolean send;
        synchronized (groupLock) {
            if (group.isEmpty() && groupSources.isEmpty()) {
                groupOpened = System.nanoTime();
            }
            group.add(ended);
            groupKeys.merge(ended.claim().key(), 1, Integer::sum);
            groupRecords += ended.records();
            groupLines += lineCount(ended.lines());
            full = groupRecords >= GROUP_RECORDS;
            send = !full && groupLines >= GROUP_LINES;
        }
        if (full) {
            flush();
        } else if (send) {
            sendAhead();
        }
    }

    /**
     * Sends the documents the group's reports left for their commit now, without committing them: they stay
     * hidden by their claims (made visible first, as at a commit) until the group is committed. When the bulk
     * request fails the group is committed at once, which sends them again and gives the reports up if it fails.
     */
    private void sendAhead() {
        synchronized (commitLock) {
            List<Ended> unsent = new ArrayList<>();
            synchronized (groupLock) {
                if (groupLines < GROUP_LINES) {
                    return; // committed or sent meanwhile
                }
                for (Ended e : group) {
                    if (!e.lines().isEmpty()) {
                        unsent.add(e);
                    }
                }
            }
            try {
                sendDocuments(unsent, List.of());
            } catch (RuntimeException e) {
                LOG.debug("sending a group's documents ahead failed, committing it now", e);
                flush();
                return;
            }
            // No commit ran meanwhile (it takes commitLock), so the reports are still in the group, in its order.
            synchronized (groupLock) {
                int next = 0;
                for (int i = 0; i < group.size() && next < unsent.size(); i++) {
                    if (group.get(i) == unsent.get(next)) {
                        group.set(i, unsent.get(next).sent());
                        groupLines -= lineCount(unsent.get(next).lines());
                        next++;
                    }
                }
            }
        }
    }

    /** Bulk lines, one per element, or as many as an encoded part holds. */
    static long lineCount(List<Object> lines) {
        long n = 0;
        for (Object line : lines) {
            n += line instanceof BulkLines.Ndjson encoded ? encoded.lines() : 1;
        }
        return n;
    }

    /**
     * A buffer for an importer's bulk lines: one kept by an earlier importer if there is one (an import makes a
     * batch per file, and each would grow a new buffer of a few MB).
     */
    BulkLines borrowLines() {
        BulkLines kept = spareLines.poll();
        return kept != null ? kept : new BulkLines(cluster.json());
    }

    /** Takes back a buffer from {@link #borrowLines} (emptied), keeping a few for the next importers. */
    void giveBackLines(BulkLines lines) {
        lines.clear();
        if (spareLines.size() < SPARE_LINES) {
            spareLines.offer(lines);
        }
    }

    /**
     * Claims an identity for a batch of this store (see {@link Identities#claim}); the claim counts as being
     * written until {@link #settled} is called for it.
     */
    Identities.Outcome claim(String key, String kind, long ref, java.util.function.Predicate<Identities.Stored> replaceable) {
        // Counted before the claim is written: another importer of ours that finds the claim must not take it
        // for one left by a failed write (its own count is one of them).
        inFlight.merge(key, 1, Integer::sum);
        Identities.Outcome o;
        try {
            o = identities.claim(key, kind, ref, replaceable, this::flush,
                    k -> inFlight.getOrDefault(k, 0) > 1 || groupHolds(k));
        } catch (RuntimeException e) {
            settled(key);
            throw e;
        }
        if (o.claim() == null) {
            settled(key);
        }
        return o;
    }

    /** The batch is done with its claim of {@code key} (committed, grouped, given up or lost). */
    void settled(String key) {
        inFlight.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1);
    }

    /** Whether this store's uncommitted group holds a copy of the identity. */
    boolean groupHolds(String key) {
        synchronized (groupLock) {
            return groupKeys.containsKey(key);
        }
    }

    private void commitOldGroup() {
        try {
            boolean due;
            synchronized (groupLock) {
                due = (!group.isEmpty() || !groupSources.isEmpty()) && System.nanoTime() - groupOpened >= TimeUnit.MILLISECONDS.toNanos(groupMillis);
            }
            if (due) {
                flush();
            }
        } catch (RuntimeException e) {
            LOG.warn("grouped commit failed: {}", e.getMessage());
            LOG.debug("grouped commit failed", e);
        }
    }

    /**
     * Commits the group. Flushes run one at a time, and a group's identities count as held by this store until
     * its commit is over, so that an importer of the same report waits for the outcome instead of taking a claim
     * of ours for a dead one.
     */
    void flush() {
        synchronized (commitLock) {
            List<Ended> reports;
            List<Object> sourceLines;
            synchronized (groupLock) {
                if (group.isEmpty() && groupSources.isEmpty()) {
                    return;
                }
                reports = new ArrayList<>(group);
                sourceLines = new ArrayList<>(groupSources);
                group.clear();
                groupSources.clear();
                groupRecords = 0;
                groupLines = 0;
            }
            try {
                commit(reports, sourceLines, true);
            } finally {
                synchronized (groupLock) {
                    reports.forEach(e -> groupKeys.computeIfPresent(e.claim().key(), (k, n) -> n == 1 ? null : n - 1));
                }
            }
        }
    }

    private void commit(List<Ended> reports, List<Object> sourceLines, boolean grouped) {
        List<Identities.Claim> done = new ArrayList<>();
        long records = 0;
        long tls = 0;
        Set<String> domains = new HashSet<>();
        RuntimeException failure = null;
        try {
            sendDocuments(reports, sourceLines);
            refreshData();
        } catch (RuntimeException e) {
            failure = e;
        }
        List<Identities.Completed> completed = List.of();
        if (reports.isEmpty()) {
            // Only raw sources: visible now, and there is no identity to flip.
            if (failure != null) {
                if (grouped) {
                    lostGroups.incrementAndGet();
                }
                throw failure instanceof StoreException s ? s : new StoreException("OpenSearch at " + cluster.name()
                        + " did not commit: " + failure.getMessage(), failure);
            }
            return;
        }
        if (failure == null) {
            try {
                // The compact rollup of the reports' days stops being read before they become visible (one
                // raise suffices for a commit: a computation meanwhile finds the copies hidden, see Compaction).
                Set<java.time.LocalDate> days = new java.util.TreeSet<>();
                reports.forEach(e -> days.addAll(e.days()));
                compaction.touch(days);
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        if (failure == null) {
            try {
                // One bulk request flips every identity of the group, each by its own compare-and-set.
                completed = identities.completeAll(reports);
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        for (int i = 0; i < reports.size(); i++) {
            Ended e = reports.get(i);
            Identities.Completed c = i < completed.size() ? completed.get(i) : null;
            if (c == null || c.claim() == null) {
                if (c != null && failure == null) {
                    failure = c.error();
                }
                lose(e);
                continue;
            }
            done.add(c.claim());
            if (e.tls()) {
                tls++;
            } else {
                records += e.records();
            }
            domains.addAll(e.domains());
        }
        try {
            refreshIds();
        } catch (RuntimeException e) {
            failure = failure == null ? e : failure;
        }
        for (Identities.Claim c : done) {
            if (!c.retired().isEmpty()) {
                try {
                    deleteCopies(c.kind(), c.retired());
                    identities.forgetRetired(c);
                } catch (RuntimeException e) {
                    // Still hidden from readers: the next claim of the identity removes them.
                    LOG.warn("could not remove replaced copies yet: {}", e.getMessage());
                }
            }
        }
        if (!done.isEmpty()) {
            tell(new StoreCommit(records, 0, tls, domains));
        }
        if (failure != null) {
            if (grouped) {
                lostGroups.incrementAndGet();
            }
            throw failure instanceof StoreException s ? s
                    : new StoreException("OpenSearch at " + cluster.name() + " did not commit: " + failure.getMessage(),
                    failure);
        }
    }

    /**
     * Sends the documents the reports left for their commit, all in one bulk request, once their claims are
     * visible (one refresh of {@code ids} covers every claim of the group): under a burst of small reports that
     * is one request and one translog fsync for the group where it was a refresh and a bulk request per report.
     * Any item refused fails the whole group: its reports are given up and imported again. The group's small raw
     * sources go first in the same request (their {@code create} finding the same source stored already is no
     * failure).
     */
    private void sendDocuments(List<Ended> reports, List<Object> sourceLines) {
        List<Object> lines = new ArrayList<>(sourceLines);
        long ticket = 0;
        for (Ended e : reports) {
            if (!e.lines().isEmpty()) {
                lines.addAll(e.lines());
                ticket = Math.max(ticket, e.idsTicket());
            }
        }
        if (lines.isEmpty()) {
            return;
        }
        awaitIdsVisible(ticket);
        cluster.bulkCreatingOnce(lines);
        for (Ended e : reports) {
            e.senders().forEach(this::senderWrote);
        }
    }

    /** Gives up an ended report that could not be committed: its documents go, its claim is released. */
    void lose(Ended e) {
        try {
            deleteCopies(e.claim().kind(), List.of(e.claim().ref()));
            identities.release(e.claim());
        } catch (RuntimeException ex) {
            // Still claimed and hidden: the next importer of the report takes the claim over when it is stale.
            LOG.debug("could not clean up a lost report", ex);
        }
    }

    /** Deletes every document of the given copies (aggregate: report, records, rollups; TLS: report, failures). */
    void deleteCopies(String kind, Collection<Long> refs) {
        if (refs.isEmpty()) {
            return;
        }
        List<String> targets = kind.equals("tls")
                ? List.of(names.of(Family.TLS), names.of(Family.TLS_FAILURES))
                : List.of(names.of(Family.REPORTS), names.of(Family.RECORDS), names.of(Family.ROLLUPS));
        String field = kind.equals("tls") ? "tls_ref" : "report_ref";
        ObjectNode body = JsonNodes.object();
        ArrayNode terms = body.putObject("query").putObject("terms").putArray(field);
        refs.forEach(terms::add);
        cluster.ok("POST", "/" + String.join(",", targets) + "/_delete_by_query", Map.of("conflicts", "proceed",
                "refresh", "true", "ignore_unavailable", "true", "allow_no_indices", "true"), body);
    }

    void tell(StoreCommit commit) {
        if (commit.isEmpty()) {
            return;
        }
        listeners.tell(commit);
    }

    CommitMark mark() {
        return new CommitMark(lostGroups.get());
    }

    void commitDurably(CommitMark since) {
        flush();
        if (lostGroups.get() > since.value()) {
            throw new StoreException("OpenSearch at " + cluster.name() + " lost a group of reports imported since"
                    + " the mark: import them again (duplicates are skipped)");
        }
    }

    void addCommitListener(CommitListener listener) {
        listeners.add(listener);
    }

    Enrichment enrichment() {
        return enrichment;
    }

    Retention retention() {
        return retention;
    }

    Compaction compaction() {
        return compaction;
    }

    /** Makes every write so far visible to searches. */
    void refresh() {
        cluster.ok("POST", "/" + names.all() + "/_refresh", Map.of("ignore_unavailable", "true",
                "allow_no_indices", "true"), null);
    }

    /**
     * Makes written documents searchable (readers still leave claimed copies out): the store's own indices only.
     * {@link #refresh} names every index under the prefix, which holds the ingest log, the accounts, the alerts
     * and the coordination of the nodes too (a dozen more shards, refreshed by their own readers): refreshing them
     * at every grouped commit made a new small segment of the ingest log per commit, to be merged again.
     */
    void refreshData() {
        cluster.ok("POST", "/" + dataIndices + "/_refresh", Map.of("ignore_unavailable", "true",
                "allow_no_indices", "true"), null);
    }

    /** Makes identity changes acknowledged so far visible: claimed copies hidden, completed ones shown. */
    void refreshIds() {
        awaitIdsVisible(idsWritten());
    }

    /**
     * A ticket for identity writes acknowledged before this call: {@link #awaitIdsVisible} with it returns once
     * a refresh of {@code ids} begun after them has finished.
     */
    long idsWritten() {
        synchronized (idsRefreshLock) {
            return ++idsTickets;
        }
    }

    /**
     * Waits until the identity writes of the ticket are visible to searches. Concurrent importers share
     * refreshes: a refresh begun after a ticket was taken covers it, so a claim made while another importer's
     * refresh runs waits for the next one, and one refresh serves every importer waiting meanwhile (one
     * refresh per report made a new segment of {@code ids} per report, and was a round trip each).
     */
    void awaitIdsVisible(long ticket) {
        while (true) {
            long covers;
            synchronized (idsRefreshLock) {
                while (idsRefreshing && idsCovered < ticket) {
                    try {
                        idsRefreshLock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new StoreException("interrupted while making report identities visible");
                    }
                }
                if (idsCovered >= ticket) {
                    return;
                }
                idsRefreshing = true;
                covers = idsTickets;
            }
            boolean refreshed = false;
            try {
                cluster.ok("POST", "/" + names.of(Family.IDS) + "/_refresh", Map.of(), null);
                refreshed = true;
            } finally {
                synchronized (idsRefreshLock) {
                    idsRefreshing = false;
                    if (refreshed) {
                        idsCovered = Math.max(idsCovered, covers);
                    }
                    idsRefreshLock.notifyAll();
                }
            }
        }
    }

    @Override
    public void close() {
        // No new timed commit starts; one under way is waited for, not interrupted: an interrupt fails its
        // requests half-way, and the group's reports were lost (given up, or left claimed until their claims went
        // stale) although they were accepted before the close.
        timer.shutdown();
        try {
            if (!timer.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("closing the OpenSearch store: a grouped commit still runs after {} s", CLOSE_WAIT_SECONDS);
                timer.shutdownNow();
            }
        } catch (InterruptedException e) {
            timer.shutdownNow();
            Thread.currentThread().interrupt();
        }
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("closing the OpenSearch store: the last group was not committed: {}", e.getMessage());
        }
        compaction.close();
    }
}
