package io.dmarclens.index.search;

import io.dmarclens.index.store.CommittedRecord;
import io.dmarclens.index.store.Database;
import io.dmarclens.store.StoreException;
import io.dmarclens.store.enrichment.SenderInfo;
import io.dmarclens.store.query.ResolvedScope;
import io.dmarclens.store.search.SearchHit;
import io.dmarclens.store.search.SearchQueryParser;
import io.dmarclens.store.search.SearchResults;
import io.dmarclens.store.search.SearchSyntaxException;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.BytesRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lucene index in {@code dataDir/index}, kept behind the database: it indexes rows after they are
 * committed, on its own thread, from the values the import handed over with the commit (a bounded number
 * of aggregate records, see {@link #committed}) or else by reading them back from SQLite by id, which
 * gives the same documents. The last indexed id of each kind
 * is stored in every Lucene commit, so the index always knows how far it got; on open it compares that
 * marker and its document counts with the database, catches up when it lags (e.g. after a crash) and
 * rebuilds itself when the two disagree in any other way. Everything that changes the index runs on the
 * one indexer thread, in order, so no two tasks race.
 */
public final class SearchIndex implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SearchIndex.class);
    private static final int CHUNK = 2_000;
    /**
     * The indexer commits at most this often while rows arrive, and this long after the last ones at the
     * latest: a reader beside the server (the search command) sees what the last commit holds.
     */
    static final long COMMIT_EVERY_MS = 15_000;
    private static final long COMMIT_EVERY_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(COMMIT_EVERY_MS);
    static final String[] KINDS = {SearchDocuments.RECORD, SearchDocuments.FAILURE, SearchDocuments.TLS};

    private final Database db;
    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final ScheduledExecutorService indexer;
    private final SearchDocuments documents;
    private final LuceneQueries queries;
    private final AtomicBoolean catchUpQueued = new AtomicBoolean();
    private final Queue<List<CommittedRecord>> committed = new ConcurrentLinkedQueue<>();
    // Written only on the indexer thread.
    private final Map<String, Long> lastIndexed = new HashMap<>();
    private long lastCommit = System.nanoTime();
    private boolean dirty;

    private SearchIndex(Database db, Directory directory, IndexWriter writer) throws IOException {
        this.db = db;
        this.documents = new SearchDocuments(new TextTokens(writer.getAnalyzer()));
        this.queries = new LuceneQueries(writer.getAnalyzer());
        this.directory = directory;
        this.writer = writer;
        this.searchers = new SearcherManager(writer, null);
        this.indexer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dmarc-lens-indexer");
            t.setDaemon(true);
            return t;
        });
        // A burst of imports that ends leaves its last documents uncommitted until the next import: commit
        // them anyway, so that readers in other processes see them within about COMMIT_EVERY_MS.
        indexer.scheduleWithFixedDelay(this::commitIfDue, COMMIT_EVERY_MS, COMMIT_EVERY_MS / 3, TimeUnit.MILLISECONDS);
    }

    private void commitIfDue() {
        try {
            if (dirty && System.nanoTime() - lastCommit >= COMMIT_EVERY_NANOS) {
                commit();
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("committing the search index failed: {} (tried again shortly)", e.toString());
            LOG.debug("search index commit", e);
        }
    }

    /**
     * Opens the index in {@code dir}, checks it against the database and repairs it when needed (catching
     * up in the background when it merely lags, rebuilding when the two disagree).
     */
    public static SearchIndex open(Path dir, Database db) {
        try {
            Directory directory = FSDirectory.open(dir);
            IndexWriterConfig cfg = new IndexWriterConfig(LuceneQueries.analyzer());
            cfg.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
            // Bulk imports: a large buffer and no compound files mean fewer, cheaper flushes.
            cfg.setRAMBufferSizeMB(96);
            cfg.setUseCompoundFile(false);
            cfg.setCommitOnClose(false);
            IndexWriter writer;
            try {
                writer = new IndexWriter(directory, cfg);
            } catch (LockObtainFailedException e) {
                directory.close();
                throw inUse(dir);
            }
            SearchIndex index = new SearchIndex(db, directory, writer);
            index.verify();
            // A first commit right away, so that readers beside this writer (IndexSnapshot) find an index.
            await(index.indexer.submit(() -> {
                if (!DirectoryReader.indexExists(directory)) {
                    index.commit();
                }
                return null;
            }));
            return index;
        } catch (IOException e) {
            throw new StoreException("cannot open the search index in " + dir + ": " + e.getMessage()
                    + " (run ./dmarc-lens reindex to rebuild it from the database)", e);
        }
    }

    /**
     * Fails when another writer holds the index in {@code dir} (a running {@code serve} or {@code import}),
     * before anything else is opened. A check, not a reservation: the writer's open still takes the lock.
     *
     * @throws StoreException saying in one line to stop the other process
     */
    public static void checkNotInUse(Path dir) {
        if (!java.nio.file.Files.isDirectory(dir)) {
            return;
        }
        try (Directory directory = FSDirectory.open(dir);
             org.apache.lucene.store.Lock lock = directory.obtainLock(IndexWriter.WRITE_LOCK_NAME)) {
            lock.ensureValid();
        } catch (LockObtainFailedException e) {
            throw inUse(dir);
        } catch (IOException e) {
            throw new StoreException("cannot open the search index in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static StoreException inUse(Path indexDir) {
        Path data = indexDir.toAbsolutePath().getParent();
        return new StoreException("the data directory " + data + " is in use by another DMARC Lens process"
                + " (a running serve or import): stop it first");
    }

    /** The outcome of comparing the index with the database. */
    public enum Check { IN_SYNC, CAUGHT_UP, REBUILT }

    private Check lastCheck = Check.IN_SYNC;

    /** What the check on open found. */
    public Check lastCheck() {
        return lastCheck;
    }

    private void verify() throws IOException {
        Map<String, String> userData = writer.getLiveCommitData() == null ? Map.of() : toMap(writer.getLiveCommitData());
        boolean consistent = true;
        boolean lagging = false;
        try (DirectoryReader reader = DirectoryReader.open(writer)) {
            IndexSearcher searcher = new IndexSearcher(reader);
            for (String kind : KINDS) {
                long marker = Long.parseLong(userData.getOrDefault("last_" + kind, "0"));
                long docs = searcher.count(new TermQuery(new Term(SearchFields.KIND, kind)));
                long[] rows = db.read(c -> countUpTo(c, kind, marker));
                if (rows[0] != docs) {
                    LOG.warn("search index holds {} {} documents but the database {} rows up to id {}: rebuilding",
                            docs, kind, rows[0], marker);
                    consistent = false;
                }
                if (rows[1] > marker) {
                    lagging = true;
                }
                lastIndexed.put(kind, marker);
            }
        }
        if (!consistent) {
            lastCheck = Check.REBUILT;
            await(indexer.submit(() -> {
                rebuildNow();
                return null;
            }));
        } else if (lagging) {
            lastCheck = Check.CAUGHT_UP;
            LOG.info("search index is behind the database: catching up");
            changed();
        }
    }

    private static Map<String, String> toMap(Iterable<Map.Entry<String, String>> data) {
        Map<String, String> m = new HashMap<>();
        for (Map.Entry<String, String> e : data) {
            m.put(e.getKey(), e.getValue());
        }
        return m;
    }

    /** [rows with id <= marker, max id] of a kind's table. */
    private static long[] countUpTo(Connection c, String kind, long marker) throws SQLException {
        String table = table(kind);
        try (PreparedStatement ps = c.prepareStatement("SELECT (SELECT COUNT(*) FROM " + table + " WHERE id <= ?),"
                + " (SELECT COALESCE(MAX(id), 0) FROM " + table + ")")) {
            ps.setLong(1, marker);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new long[]{rs.getLong(1), rs.getLong(2)};
            }
        }
    }

    static String table(String kind) {
        return switch (kind) {
            case SearchDocuments.RECORD -> "aggregate_record";
            case SearchDocuments.FAILURE -> "failure_report";
            case SearchDocuments.TLS -> "tls_failure";
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /**
     * Tells the indexer that rows were committed, handing over the committed records the import kept for
     * it (in id order; possibly none): those are indexed from memory, everything else is read back.
     */
    public void committed(List<CommittedRecord> records) {
        if (!records.isEmpty()) {
            committed.add(records);
        }
        changed();
    }

    /** Tells the indexer that rows were committed; it catches up in the background. */
    public void changed() {
        if (catchUpQueued.compareAndSet(false, true)) {
            indexer.execute(() -> {
                catchUpQueued.set(false);
                try {
                    catchUp();
                } catch (IOException | RuntimeException e) {
                    LOG.error("indexing new rows failed; the next start repairs the index", e);
                }
            });
        }
    }

    /** Waits until everything committed to the database before this call is searchable. */
    public void awaitIndexed() {
        await(indexer.submit(() -> {
            catchUp();
            return null;
        }));
        try {
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new StoreException("cannot refresh the search index: " + e.getMessage(), e);
        }
    }

    /** Re-indexes every document of one source IP (after what is known about it changed). */
    public void reindexSource(String ip) {
        indexer.submit(() -> {
            catchUp();
            writer.deleteDocuments(new Term(SearchFields.IP_KEY, ip));
            db.read(c -> {
                addAll(c, SearchDocuments.RECORD_SQL + " WHERE rec.source_ip = ? AND rec.id <= ?", documents::record,
                        ip, lastIndexed.get(SearchDocuments.RECORD));
                addAll(c, SearchDocuments.FAILURE_SQL + " WHERE f.source_ip = ? AND f.id <= ?", documents::failure,
                        ip, lastIndexed.get(SearchDocuments.FAILURE));
                addAll(c, SearchDocuments.TLS_SQL + " WHERE d.sending_mta_ip = ? AND d.id <= ?", documents::tls,
                        ip, lastIndexed.get(SearchDocuments.TLS));
                return null;
            });
            dirty = true;
            return null;
        });
    }

    /**
     * Removes the documents of deleted reports; {@code reportKeys} are "a" + aggregate report id,
     * "f" + failure report id or "t" + TLS report id. Waits until done.
     */
    public void deleteReports(List<String> reportKeys) {
        if (reportKeys.isEmpty()) {
            return;
        }
        await(indexer.submit(() -> {
            for (int i = 0; i < reportKeys.size(); i += 1_000) {
                List<String> chunk = reportKeys.subList(i, Math.min(reportKeys.size(), i + 1_000));
                writer.deleteDocuments(chunk.stream().map(k -> new Term(SearchFields.REPORT, k)).toArray(Term[]::new));
            }
            dirty = true;
            commit();
            return null;
        }));
    }

    /**
     * Removes the documents of reports a commit deleted (a partial copy replaced by a more complete one), in
     * the background: queued after the catch-up that commit asked for, so documents are added before any of
     * them is removed. Keys as for {@link #deleteReports}.
     */
    public void dropReports(List<String> reportKeys) {
        List<String> keys = List.copyOf(reportKeys);
        indexer.execute(() -> {
            try {
                catchUp();
                writer.deleteDocuments(keys.stream().map(k -> new Term(SearchFields.REPORT, k)).toArray(Term[]::new));
                dirty = true;
            } catch (IOException | RuntimeException e) {
                LOG.error("removing the documents of replaced reports failed; the next start repairs the index", e);
            }
        });
    }

    /** Drops the whole index and builds it again from the database; waits until done. */
    public void rebuild() {
        await(indexer.submit(() -> {
            rebuildNow();
            return null;
        }));
    }

    private void rebuildNow() throws IOException {
        writer.deleteAll();
        for (String kind : KINDS) {
            lastIndexed.put(kind, 0L);
        }
        dirty = true;
        catchUp();
        commit();
    }

    private void catchUp() throws IOException {
        List<CommittedRecord> batch;
        while ((batch = committed.poll()) != null) {
            try {
                indexCommitted(batch);
            } finally {
                db.releaseStaged(batch.size());
            }
        }
        int added;
        do {
            added = 0;
            added += tail(SearchDocuments.RECORD, SearchDocuments.RECORD_SQL + " WHERE rec.id > ? ORDER BY rec.id LIMIT "
                    + CHUNK, documents::record);
            added += tail(SearchDocuments.FAILURE, SearchDocuments.FAILURE_SQL + " WHERE f.id > ? ORDER BY f.id LIMIT "
                    + CHUNK, documents::failure);
            added += tail(SearchDocuments.TLS, SearchDocuments.TLS_SQL + " WHERE d.id > ? ORDER BY d.id LIMIT " + CHUNK,
                    documents::tls);
        } while (added > 0);
        if (dirty && System.nanoTime() - lastCommit > COMMIT_EVERY_NANOS) {
            commit();
        }
    }

    /**
     * Indexes records handed over by the import after their commit. Rows committed before them that are not
     * indexed yet (written by other paths, or not staged) are read back first, so documents are still added
     * in id order and the marker never skips a row; records already indexed (read back by an earlier
     * catch-up) are skipped.
     */
    private void indexCommitted(List<CommittedRecord> batch) throws IOException {
        long first = batch.get(0).id();
        long last = batch.get(batch.size() - 1).id();
        if (last <= lastIndexed.get(SearchDocuments.RECORD)) {
            return;
        }
        while (lastIndexed.get(SearchDocuments.RECORD) < first - 1
                && tail(SearchDocuments.RECORD, SearchDocuments.RECORD_SQL + " WHERE rec.id > ? AND rec.id < ?"
                + " ORDER BY rec.id LIMIT " + CHUNK, documents::record, first) > 0) {
            // read back in chunks
        }
        long from = lastIndexed.get(SearchDocuments.RECORD);
        Map<String, SenderInfo> senders = new HashMap<>();
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(SearchDocuments.SENDER_SQL)) {
                for (CommittedRecord r : batch) {
                    if (r.id() > from && !senders.containsKey(r.sourceIp())) {
                        ps.setString(1, r.sourceIp());
                        try (ResultSet rs = ps.executeQuery()) {
                            senders.put(r.sourceIp(), SearchDocuments.sender(rs));
                        }
                    }
                }
            }
            return null;
        });
        List<Document> docs = new ArrayList<>(CHUNK);
        for (CommittedRecord r : batch) {
            if (r.id() <= from) {
                continue;
            }
            docs.add(documents.record(r, senders.get(r.sourceIp())));
            if (docs.size() == CHUNK) {
                writer.addDocuments(docs);
                docs.clear();
            }
        }
        writer.addDocuments(docs);
        lastIndexed.put(SearchDocuments.RECORD, last);
        dirty = true;
    }

    private int tail(String kind, String sql, DocumentReader reader, Object... bounds) throws IOException {
        long from = lastIndexed.get(kind);
        List<Document> docs = new ArrayList<>(CHUNK);
        long[] last = {from};
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, from);
                for (int i = 0; i < bounds.length; i++) {
                    ps.setObject(i + 2, bounds[i]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        docs.add(reader.read(rs));
                        last[0] = rs.getLong(1);
                    }
                }
            }
            return null;
        });
        if (!docs.isEmpty()) {
            writer.addDocuments(docs);
            lastIndexed.put(kind, last[0]);
            dirty = true;
        }
        return docs.size();
    }

    private void addAll(Connection c, String sql, DocumentReader reader, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<Document> docs = new ArrayList<>();
                while (rs.next()) {
                    docs.add(reader.read(rs));
                }
                writer.addDocuments(docs);
            } catch (IOException e) {
                throw new SQLException("cannot write to the search index: " + e.getMessage(), e);
            }
        }
    }

    private void commit() throws IOException {
        Map<String, String> data = new HashMap<>();
        for (String kind : KINDS) {
            data.put("last_" + kind, Long.toString(lastIndexed.get(kind)));
        }
        writer.setLiveCommitData(data.entrySet());
        writer.commit();
        lastCommit = System.nanoTime();
        dirty = false;
    }

    /**
     * Runs a query and returns the newest hits first.
     *
     * @throws SearchSyntaxException when the query cannot be read
     */
    public SearchResults search(String queryText, int limit, boolean excludeUnverified, ResolvedScope scope)
            throws SearchSyntaxException {
        Query query = withScope(withOrigin(queries.parse(queryText), excludeUnverified), scope);
        awaitIndexed();
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                return newestFirst(searcher, query, queryText, limit);
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new StoreException("the search index cannot be read: " + e.getMessage()
                    + " (run ./dmarc-lens reindex to rebuild it)", e);
        }
    }

    /**
     * The query without the documents of unverified reports when {@code excludeUnverified} (shared with
     * {@link IndexSnapshot}). Documents indexed before they carried their report's verdict have no
     * {@link SearchFields#ORIGIN} and stay in until {@code reindex} rebuilds them.
     */
    static Query withOrigin(Query query, boolean excludeUnverified) {
        if (!excludeUnverified) {
            return query;
        }
        return new BooleanQuery.Builder().add(query, BooleanClause.Occur.MUST)
                .add(new TermQuery(new Term(SearchFields.ORIGIN, SearchFields.UNVERIFIED)), BooleanClause.Occur.MUST_NOT)
                .build();
    }

    /**
     * The query limited to the documents of the domains in scope (shared with {@link IndexSnapshot}): a filter
     * clause inside the query, so that the top hits and the total are those of the scope alone. Records by their
     * report's policy domain, failure reports when every reported domain counts under the scope, TLS failure
     * details by their policy's domain ({@link ResolvedScope}).
     */
    static Query withScope(Query query, ResolvedScope scope) {
        if (scope.isAll()) {
            return query;
        }
        BooleanQuery.Builder kinds = new BooleanQuery.Builder();
        boolean any = false;
        if (!scope.aggregateDomains().isEmpty()) {
            kinds.add(ofKind(SearchDocuments.RECORD, scope.aggregateDomains(), Set.of()), BooleanClause.Occur.SHOULD);
            any = true;
        }
        if (!scope.failureDomainsIn().isEmpty()) {
            kinds.add(ofKind(SearchDocuments.FAILURE, scope.failureDomainsIn(), scope.failureDomainsOut()),
                    BooleanClause.Occur.SHOULD);
            any = true;
        }
        if (!scope.tlsDomainsIn().isEmpty()) {
            kinds.add(ofKind(SearchDocuments.TLS, scope.tlsDomainsIn(), Set.of()), BooleanClause.Occur.SHOULD);
            any = true;
        }
        // nothing in scope finds nothing: never let an empty set fall back to every document
        Query bound = any ? kinds.setMinimumNumberShouldMatch(1).build() : new MatchNoDocsQuery();
        return new BooleanQuery.Builder().add(query, BooleanClause.Occur.MUST).add(bound, BooleanClause.Occur.FILTER)
                .build();
    }

    private static Query ofKind(String kind, Set<String> in, Set<String> out) {
        BooleanQuery.Builder b = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(SearchFields.KIND, kind)), BooleanClause.Occur.FILTER)
                .add(new TermInSetQuery(SearchFields.DOMAIN, in.stream().map(BytesRef::new).toList()),
                        BooleanClause.Occur.FILTER);
        if (!out.isEmpty()) {
            b.add(new TermInSetQuery(SearchFields.DOMAIN, out.stream().map(BytesRef::new).toList()),
                    BooleanClause.Occur.MUST_NOT);
        }
        return b.build();
    }

    /** The newest {@code limit} hits of a query (shared with {@link IndexSnapshot}). */
    static SearchResults newestFirst(IndexSearcher searcher, Query query, String queryText, int limit)
            throws IOException, SearchSyntaxException {
        int n = Math.max(1, Math.min(limit, 100_000));
        TopDocs top;
        try {
            // Sorting by the ref doc value as well hands it back with each hit: no stored fields needed.
            top = searcher.search(query, n, new Sort(new SortField(SearchFields.DATE_SORT, SortField.Type.LONG, true),
                    new SortField(SearchFields.REF, SortField.Type.LONG, true)));
        } catch (IndexSearcher.TooManyClauses e) {
            // Counted over the whole query when it runs: many words, each looked for in every field.
            throw new SearchSyntaxException(queryText, SearchQueryParser.TOO_MANY_TERMS);
        }
        List<SearchHit> hits = new ArrayList<>(top.scoreDocs.length);
        for (ScoreDoc sd : top.scoreDocs) {
            Object[] values = ((FieldDoc) sd).fields;
            long date = (Long) values[0];
            long ref = (Long) values[1];
            hits.add(new SearchHit(SearchHit.Kind.values()[(int) (ref & 3)], ref >>> 2, Instant.ofEpochSecond(date)));
        }
        return new SearchResults(queryText, top.totalHits.value, hits);
    }

    /** Documents of each kind (record, failure, tls) that a searcher sees (shared with {@link IndexSnapshot}). */
    static Map<String, Long> countKinds(IndexSearcher searcher) throws IOException {
        Map<String, Long> out = new HashMap<>();
        for (String kind : KINDS) {
            out.put(kind, (long) searcher.count(new TermQuery(new Term(SearchFields.KIND, kind))));
        }
        return out;
    }

    /** Number of documents of each kind (record, failure, tls), for checks and tests. */
    public Map<String, Long> documentCounts() {
        awaitIndexed();
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                return countKinds(searcher);
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new StoreException("the search index cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            await(indexer.submit(() -> {
                catchUp();
                commit();
                return null;
            }));
        } finally {
            indexer.shutdown();
            try {
                indexer.awaitTermination(1, TimeUnit.MINUTES);
                searchers.close();
                writer.close();
                directory.close();
            } catch (IOException e) {
                LOG.warn("closing the search index failed: {}", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for the search index", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof StoreException s) {
                throw s;
            }
            throw new StoreException("the search index failed: " + c.getMessage()
                    + " (run ./dmarc-lens reindex to rebuild it)", c);
        }
    }

    @FunctionalInterface
    interface DocumentReader {
        Document read(ResultSet rs) throws SQLException;
    }
}
