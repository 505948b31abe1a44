package io.dmarclens.index;

import io.dmarclens.index.enrichment.RecordEnrichment;
import io.dmarclens.index.enrichment.SenderInfo;
import io.dmarclens.index.query.StoreQueries;
import io.dmarclens.index.retention.RetentionPolicy;
import io.dmarclens.index.retention.RetentionResult;
import io.dmarclens.index.search.IndexSnapshot;
import io.dmarclens.index.search.SearchIndex;
import io.dmarclens.index.search.SearchResults;
import io.dmarclens.index.search.SearchSyntaxException;
import io.dmarclens.index.store.Database;
import io.dmarclens.index.store.ImportBatch;
import io.dmarclens.index.store.PtrCacheEntry;
import io.dmarclens.index.store.SourceFile;
import io.dmarclens.index.store.StoreWrites;
import io.dmarclens.index.store.StoredRecordFacts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where every report lands: the SQLite database {@code dmarc-lens.db} (WAL mode) and the Lucene index
 * {@code index/} in a data directory. Thread-safe; open one per process and close it on shutdown.
 *
 * <pre>{@code
 * try (Store store = Store.open(Path.of("data"))) {
 *     ImportBatch batch = store.beginImport(SourceFile.of("report.xml", "file", bytes));
 *     if (batch.beginAggregate(header)) {
 *         for (AggregateRecord r : records) batch.record(r, enrichment(r));
 *         batch.endAggregate(warnings);
 *     }
 *     ImportResult result = batch.commit();
 *     Totals t = store.queries().totals(ReportFilter.lastDays(30, LocalDate.now()));
 *     SearchResults hits = store.search("ip:203.0.113.0/24 dkim:fail", 100);
 * }
 * }</pre>
 */
public final class Store implements AutoCloseable {
    /** Name of the Lucene index directory inside the data directory. */
    public static final String INDEX_DIR = "index";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Store.class);

    private final Path dataDir;
    private final Database db;
    /** The writable index; null when opened read-only. */
    private final SearchIndex index;
    /** The index as last committed, opened on the first search; only when read-only. */
    private IndexSnapshot snapshot;
    private final StoreWrites writes;
    private final StoreQueries queries;

    private Store(Path dataDir, Database db, SearchIndex index) {
        this.dataDir = dataDir;
        this.db = db;
        this.index = index;
        this.writes = new StoreWrites(db);
        this.queries = new StoreQueries(db);
        if (index != null) {
            db.onCommit(index::committed);
        }
    }

    /**
     * Opens the store in {@code dataDir}, creating it when needed: migrates the database to the current
     * schema and checks the search index against it (catching up or rebuilding it when they disagree).
     *
     * @throws StoreException when the directory cannot be used or the database is of a newer version
     */
    public static Store open(Path dataDir) {
        Objects.requireNonNull(dataDir, "dataDir");
        // Before the database is touched: another process's writer makes this one fail, in one clear line.
        SearchIndex.checkNotInUse(dataDir.resolve(INDEX_DIR));
        try {
            Files.createDirectories(dataDir.resolve(INDEX_DIR));
        } catch (IOException e) {
            throw new StoreException("cannot create the data directory " + dataDir + ": " + e.getMessage(), e);
        }
        Database db = Database.open(dataDir);
        try {
            return new Store(dataDir, db, SearchIndex.open(dataDir.resolve(INDEX_DIR), db));
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /**
     * Opens the store in {@code dataDir} for reading only, beside a {@code serve} or {@code import} that may
     * be writing it: queries see every committed report; searches see the search index as of its last
     * commit (the writer commits it within seconds of new reports; {@link #unsearchableRows()} says how
     * many are not searchable yet). Nothing is created, migrated, caught up or rebuilt; writing methods
     * throw {@link StoreException}.
     *
     * @throws StoreException when {@code dataDir} holds no store, or one of another schema version
     */
    public static Store openReadOnly(Path dataDir) {
        Objects.requireNonNull(dataDir, "dataDir");
        return new Store(dataDir, Database.openReadOnly(dataDir), null);
    }

    /** Whether this store was opened with {@link #openReadOnly}. */
    public boolean readOnly() {
        return index == null;
    }

    private SearchIndex writable() {
        if (index == null) {
            throw new StoreException("the store in " + dataDir + " is open for reading only");
        }
        return index;
    }

    private synchronized IndexSnapshot snapshot() {
        if (snapshot == null) {
            snapshot = IndexSnapshot.open(dataDir.resolve(INDEX_DIR), db);
        }
        return snapshot;
    }

    /**
     * Stored rows a search cannot find yet: 0 for a writable store (a search waits for them); for a
     * read-only one, those committed after the search index's last commit.
     */
    public long unsearchableRows() {
        return index == null ? snapshot().unindexedRows() : 0;
    }

    /** The data directory. */
    public Path dataDir() {
        return dataDir;
    }

    /**
     * Starts storing the reports of one raw source. The source's bytes are stored (compressed, once per
     * content hash) right away; reports follow through the batch.
     */
    public ImportBatch beginImport(SourceFile source) {
        return beginImport(source, CommitMode.EACH_REPORT);
    }

    /**
     * Starts storing the reports of one raw source, committing them as {@code mode} says. With
     * {@link CommitMode#GROUPED}, call {@link #flush()} before telling anyone the reports are stored.
     */
    public ImportBatch beginImport(SourceFile source, CommitMode mode) {
        return writes.beginImport(source, Objects.requireNonNull(mode, "mode"), writable()::changed);
    }

    /**
     * Commits reports imported with {@link CommitMode#GROUPED} that are not committed yet.
     *
     * @throws StoreException when a group commit failed: those reports are not stored
     */
    public void flush() {
        db.flush();
    }

    /**
     * Waits until everything committed is on disk: commits themselves do not wait for it, so after a power
     * cut the last ones may be gone. Call it before dropping the only other copy of what was stored (the
     * inbox does, after each run's {@link #flush()}).
     */
    public void syncToDisk() {
        db.syncCommitted();
    }

    /**
     * How many groups of {@link CommitMode#GROUPED} reports were lost so far (a failed commit). Another
     * importer's {@link #flush()} may be the one told of a loss: an importer sharing the store with others
     * compares this count before its imports and after its flush, and imports again when it moved.
     */
    public long failedGroups() {
        return db.failedGroups();
    }

    /**
     * Records what is now known about a source IP (e.g. its reverse DNS name, which arrives after the
     * report was stored). Values given as null keep what was stored. Search documents of the IP are
     * updated in the background. Call {@link #reclassify} too when the classification may change.
     */
    public void updateSender(String ip, SenderInfo info) {
        SearchIndex writable = writable();
        writes.updateSender(ip, info);
        writable.reindexSource(ip);
    }

    /**
     * Classifies every stored record of a source IP again and moves their counts between rollup rows
     * (exactly, with the same day split as at import). The classifier sees each stored record and
     * returns its new enrichment (or null to leave it).
     *
     * @return the number of records whose verdict changed
     */
    public int reclassify(String ip, Function<StoredRecordFacts, RecordEnrichment> classifier) {
        SearchIndex writable = writable();
        int changed = writes.reclassify(ip, classifier);
        if (changed > 0) {
            writable.reindexSource(ip);
        }
        return changed;
    }

    /** The cached reverse DNS answer for an IP, unless absent or expired. */
    public Optional<PtrCacheEntry> cachedPtr(String ip) {
        return writes.cachedPtr(ip, Instant.now());
    }

    /** Caches a reverse DNS answer ({@code name} null for "no PTR record") until {@code expiresAt}. */
    public void cachePtr(String ip, String name, Instant expiresAt) {
        writes.cachePtr(ip, name, expiresAt);
    }

    /** The read side: totals, series, sources, reporters, reports, exports. */
    public StoreQueries queries() {
        return queries;
    }

    /**
     * Searches records, failure reports and TLS failure details; newest first.
     *
     * @param query a query in the syntax of docs/search.md
     * @param limit the most hits to return
     * @throws SearchSyntaxException when the query cannot be read (the message says why)
     */
    public SearchResults search(String query, int limit) throws SearchSyntaxException {
        return index == null ? snapshot().search(query, limit) : index.search(query, limit);
    }

    /** Waits until everything stored so far is searchable (read-only: returns at once). */
    public void awaitIndexed() {
        if (index != null) {
            index.awaitIndexed();
        }
    }

    /** Rebuilds the search index from the database. */
    public void reindex() {
        writable().rebuild();
    }

    /** Searchable documents of each kind (record, failure, tls). */
    public java.util.Map<String, Long> searchableDocuments() {
        return index == null ? snapshot().documentCounts() : index.documentCounts();
    }

    /** The search index, for checks (document counts, what the check on open found); not when read-only. */
    public SearchIndex searchIndex() {
        return writable();
    }

    /** Deletes what the policy says is too old; see {@link RetentionPolicy}. */
    public RetentionResult applyRetention(RetentionPolicy policy, Instant now) {
        SearchIndex writable = writable();
        StoreWrites.Deleted deleted = writes.applyRetention(policy, now);
        writable.deleteReports(deleted.reportKeys());
        return deleted.result();
    }

    @Override
    public void close() {
        if (index == null) {
            try {
                synchronized (this) {
                    if (snapshot != null) {
                        snapshot.close();
                    }
                }
            } finally {
                db.close();
            }
            return;
        }
        try {
            db.flush();
        } catch (StoreException e) {
            LOG.error("closing the store: {}", e.getMessage());
        }
        try {
            index.close();
        } finally {
            db.close();
        }
    }
}
