package io.dmarclens.index;

import io.dmarclens.index.query.KnownDomainsSql;
import io.dmarclens.index.query.SqliteDomainQueries;
import io.dmarclens.index.query.SqliteFailureReportQueries;
import io.dmarclens.index.query.SqliteForwardingQueries;
import io.dmarclens.index.query.SqliteOverviewQueries;
import io.dmarclens.index.query.SqliteRawSourceQueries;
import io.dmarclens.index.query.SqliteReportQueries;
import io.dmarclens.index.query.SqliteReporterQueries;
import io.dmarclens.index.query.SqliteSourceQueries;
import io.dmarclens.index.query.SqliteTlsReportQueries;
import io.dmarclens.index.search.IndexSnapshot;
import io.dmarclens.index.search.SearchIndex;
import io.dmarclens.index.store.Database;
import io.dmarclens.index.store.StoreWrites;
import io.dmarclens.store.Clocks;
import io.dmarclens.store.CommitListener;
import io.dmarclens.store.CommitListeners;
import io.dmarclens.store.CommitMark;
import io.dmarclens.store.CommitMode;
import io.dmarclens.store.ImportBatch;
import io.dmarclens.store.PrivateFiles;
import io.dmarclens.store.PtrCacheEntry;
import io.dmarclens.store.SourceFile;
import io.dmarclens.store.Store;
import io.dmarclens.store.StoreException;
import io.dmarclens.store.StoredRecordFacts;
import io.dmarclens.store.enrichment.RecordEnrichment;
import io.dmarclens.store.enrichment.SenderInfo;
import io.dmarclens.store.query.DomainQueries;
import io.dmarclens.store.query.DomainScope;
import io.dmarclens.store.query.FailureReportQueries;
import io.dmarclens.store.query.ForwardingQueries;
import io.dmarclens.store.query.OverviewQueries;
import io.dmarclens.store.query.RawSourceQueries;
import io.dmarclens.store.query.ReportQueries;
import io.dmarclens.store.query.ReporterQueries;
import io.dmarclens.store.query.ResolvedScope;
import io.dmarclens.store.query.ScopeResolver;
import io.dmarclens.store.query.SourceQueries;
import io.dmarclens.store.query.TlsReportQueries;
import io.dmarclens.store.retention.RetentionPolicy;
import io.dmarclens.store.retention.RetentionResult;
import io.dmarclens.store.search.SearchResults;
import io.dmarclens.store.search.SearchSyntaxException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Where every report lands: the SQLite database {@code dmarc-lens.db} (WAL mode) and the Lucene index
 * {@code index/} in a data directory. Thread-safe; open one per process and close it on shutdown. Callers
 * outside {@code app} hold it as a {@link Store} and write through {@link ImportBatch}:
 *
 * <pre>{@code
 * try (Store store = EmbeddedStore.open(Path.of("data"))) {
 *     ImportResult result;
 *     try (ImportBatch batch = store.beginImport(SourceFile.of("report.xml", "file", bytes))) {
 *         if (batch.beginAggregate(header)) {
 *             for (AggregateRecord r : records) batch.record(r, enrichment(r));
 *             batch.endAggregate(warnings);
 *         }
 *         result = batch.commit();
 *     }
 *     Totals t = store.overview().totals(ReportFilter.lastDays(30, today));
 *     SearchResults hits = store.search("ip:203.0.113.0/24 dkim:fail", 100);
 * }
 * }</pre>
 */
public final class EmbeddedStore implements Store {
    /** Name of the Lucene index directory inside the data directory. */
    public static final String INDEX_DIR = "index";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EmbeddedStore.class);

    private final Path dataDir;
    private final Clock clock;
    private final Database db;
    /** The writable index; null when opened read-only. */
    private final SearchIndex index;
    /** The index as last committed, opened on the first search; only when read-only. */
    private IndexSnapshot snapshot;
    private final StoreWrites writes;
    private final OverviewQueries overview;
    private final SourceQueries sources;
    private final ForwardingQueries forwarding;
    private final DomainQueries domains;
    private final ReporterQueries reporters;
    private final ReportQueries reports;
    private final FailureReportQueries failureReports;
    private final TlsReportQueries tlsReports;
    private final RawSourceQueries rawSources;
    private final CommitListeners listeners = new CommitListeners();
    private final ScopeResolver scopes;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedStore(Path dataDir, Clock clock, Database db, SearchIndex index) {
        this.dataDir = dataDir;
        this.clock = clock;
        this.db = db;
        this.index = index;
        this.writes = new StoreWrites(db, clock);
        // A read-only store sees another process's commits without being told: it reads the domains every time.
        this.scopes = index == null ? ScopeResolver.uncached(() -> KnownDomainsSql.load(db))
                : new ScopeResolver(() -> KnownDomainsSql.load(db));
        this.overview = new SqliteOverviewQueries(db, scopes);
        this.sources = new SqliteSourceQueries(db, scopes);
        this.forwarding = new SqliteForwardingQueries(db, scopes);
        this.domains = new SqliteDomainQueries(db, scopes);
        this.reporters = new SqliteReporterQueries(db, scopes);
        this.reports = new SqliteReportQueries(db, scopes);
        this.failureReports = new SqliteFailureReportQueries(db, scopes);
        this.tlsReports = new SqliteTlsReportQueries(db, scopes);
        this.rawSources = new SqliteRawSourceQueries(db, scopes);
        if (index != null) {
            db.onCommit(index::committed);
            db.onStoreCommit(commit -> {
                scopes.invalidate(); // the commit may have brought a domain: scopes resolve against it from now on
                listeners.tell(commit);
            });
            db.onDeleted(index::dropReports);
        }
    }

    /**
     * Opens the store in {@code dataDir}, creating it when needed: migrates the database to the current
     * schema and checks the search index against it (catching up or rebuilding it when they disagree).
     *
     * Stamps what it stores and judges cache expiry with {@link Clocks#system()}.
     *
     * @throws StoreException when the directory cannot be used or the database is of a newer version
     */
    public static EmbeddedStore open(Path dataDir) {
        return open(dataDir, Clocks.system());
    }

    /**
     * Opens the store in {@code dataDir} like {@link #open(Path)}, with {@code clock} as the time of imports
     * and of the reverse DNS cache expiry.
     *
     * @throws StoreException when the directory cannot be used or the database is of a newer version
     */
    public static EmbeddedStore open(Path dataDir, Clock clock) {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(clock, "clock");
        // Before the database is touched: another process's writer makes this one fail, in one clear line.
        SearchIndex.checkNotInUse(dataDir.resolve(INDEX_DIR));
        try {
            PrivateFiles.createDirectories(dataDir.resolve(INDEX_DIR));
        } catch (IOException e) {
            throw new StoreException("cannot create the data directory " + dataDir + ": " + e.getMessage(), e);
        }
        Database db = Database.open(dataDir);
        try {
            return new EmbeddedStore(dataDir, clock, db, SearchIndex.open(dataDir.resolve(INDEX_DIR), db));
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
    public static EmbeddedStore openReadOnly(Path dataDir) {
        return openReadOnly(dataDir, Clocks.system());
    }

    /** As {@link #openReadOnly(Path)}, with {@code clock} as the time for the reverse DNS cache's expiry. */
    public static EmbeddedStore openReadOnly(Path dataDir, Clock clock) {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(clock, "clock");
        return new EmbeddedStore(dataDir, clock, Database.openReadOnly(dataDir), null);
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

    /** Whether {@code dataDir} holds an embedded store (its database file), without creating anything. */
    public static boolean existsIn(Path dataDir) {
        return Files.isRegularFile(dataDir.resolve(Database.FILE_NAME));
    }

    /** The data directory. */
    public Path dataDir() {
        return dataDir;
    }

    /**
     * Starts storing the reports of one raw source, committing them as {@code mode} says. With
     * {@link CommitMode#GROUPED}, call {@link #flush()} before telling anyone the reports are stored.
     */
    @Override
    public ImportBatch beginImport(SourceFile source, CommitMode mode) {
        return writes.beginImport(source, Objects.requireNonNull(mode, "mode"), writable()::changed);
    }

    /**
     * Commits reports imported with {@link CommitMode#GROUPED} that are not committed yet.
     *
     * @throws StoreException when a group commit failed: those reports are not stored
     */
    @Override
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
    @Override
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
    @Override
    public int reclassify(String ip, Function<StoredRecordFacts, RecordEnrichment> classifier) {
        SearchIndex writable = writable();
        int changed = writes.reclassify(ip, classifier);
        if (changed > 0) {
            writable.reindexSource(ip);
        }
        return changed;
    }

    /** The cached reverse DNS answer for an IP, unless absent or expired. */
    @Override
    public Optional<PtrCacheEntry> cachedPtr(String ip) {
        return writes.cachedPtr(ip, clock.instant());
    }

    /** Caches a reverse DNS answer ({@code name} null for "no PTR record") until {@code expiresAt}. */
    @Override
    public void cachePtr(String ip, String name, Instant expiresAt) {
        writes.cachePtr(ip, name, expiresAt);
    }

    @Override
    public CommitMark mark() {
        return new CommitMark(db.failedGroups());
    }

    @Override
    public void commitDurably(CommitMark since) {
        db.flush();
        if (db.failedGroups() != since.value()) {
            // Another importer's flush was told; some of this run's reports may have been in the lost group.
            throw new StoreException("a grouped commit failed while these reports were imported; import them again");
        }
        db.syncCommitted();
    }

    @Override
    public void addCommitListener(CommitListener listener) {
        listeners.add(listener);
    }

    @Override
    public OverviewQueries overview() {
        return overview;
    }

    @Override
    public SourceQueries sources() {
        return sources;
    }

    @Override
    public ForwardingQueries forwarding() {
        return forwarding;
    }

    @Override
    public DomainQueries domains() {
        return domains;
    }

    @Override
    public ReporterQueries reporters() {
        return reporters;
    }

    @Override
    public ReportQueries reports() {
        return reports;
    }

    @Override
    public FailureReportQueries failureReports() {
        return failureReports;
    }

    @Override
    public TlsReportQueries tlsReports() {
        return tlsReports;
    }

    @Override
    public RawSourceQueries rawSources() {
        return rawSources;
    }

    /**
     * Searches records, failure reports and TLS failure details; newest first.
     *
     * @param query a query in the syntax of docs/search.md
     * @param limit the most hits to return
     * @param excludeUnverified leave out the documents of reports whose origin is unverified
     * @throws SearchSyntaxException when the query cannot be read (the message says why)
     */
    @Override
    public SearchResults search(String query, int limit, boolean excludeUnverified, DomainScope scope)
            throws SearchSyntaxException {
        ResolvedScope resolved = scopes.resolve(scope);
        return index == null ? snapshot().search(query, limit, excludeUnverified, resolved)
                : index.search(query, limit, excludeUnverified, resolved);
    }

    /** Waits until everything stored so far is searchable (read-only: returns at once). */
    @Override
    public void awaitIndexed() {
        if (index != null) {
            index.awaitIndexed();
        }
    }

    /** Rebuilds the search index from the database. */
    @Override
    public Map<String, Long> reindex() {
        SearchIndex writable = writable();
        writable.rebuild();
        return writable.documentCounts();
    }

    /** Searchable documents of each kind (record, failure, tls). */
    public Map<String, Long> searchableDocuments() {
        return index == null ? snapshot().documentCounts() : index.documentCounts();
    }

    /** The search index, for checks (document counts, what the check on open found); not when read-only. */
    public SearchIndex searchIndex() {
        return writable();
    }

    /** Deletes what the policy says is too old; see {@link RetentionPolicy}. */
    @Override
    public RetentionResult applyRetention(RetentionPolicy policy, Instant now) {
        SearchIndex writable = writable();
        StoreWrites.Deleted deleted = writes.applyRetention(policy, now);
        writable.deleteReports(deleted.reportKeys());
        scopes.invalidate(); // a domain may have gone with its last report
        return deleted.result();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return; // closing twice (a shutdown hook and a try-with-resources) is harmless
        }
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
