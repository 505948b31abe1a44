package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.dmarclens.store.CommitListener;
import io.dmarclens.store.CommitMark;
import io.dmarclens.store.CommitMode;
import io.dmarclens.store.ImportBatch;
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
import io.dmarclens.store.query.ScopeResolver;
import io.dmarclens.store.query.SourceQueries;
import io.dmarclens.store.query.TlsReportQueries;
import io.dmarclens.store.retention.RetentionPolicy;
import io.dmarclens.store.retention.RetentionResult;
import io.dmarclens.store.search.SearchResults;
import io.dmarclens.store.search.SearchSyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The store on an OpenSearch cluster (2.19): the same behaviour as the embedded store behind the same
 * interface, for installations that outgrow one machine. Indices, mappings and why each field has its type
 * are in docs/opensearch.md; {@link #open} installs or upgrades the index templates and refuses a cluster
 * whose templates are newer than this build.
 *
 * <pre>{@code
 * try (Store store = OpenSearchStore.open(OpenSearchSettings.local(URI.create("http://127.0.0.1:9200"),
 *         "dmarc-lens"), Clocks.system())) {
 *     ...
 * }
 * }</pre>
 *
 * <p>Thread-safe. Several processes may open stores on the same cluster and prefix: a report's documents
 * have ids derived from its identity, and each report's identity document decides, with optimistic
 * concurrency, which copy is stored. When the cluster cannot be reached or refuses a write, methods throw
 * {@link StoreException} with a one-line message that names the cluster.
 */
public final class OpenSearchStore implements Store {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OpenSearchStore.class);
    private final Cluster cluster;
    private final IndexNames names;
    private final Clock clock;
    private final Writes writes;
    private final OpenSearchOverviewQueries overview;
    private final OpenSearchSourceQueries sources;
    private final OpenSearchForwardingQueries forwarding;
    private final OpenSearchDomainQueries domains;
    private final OpenSearchReporterQueries reporters;
    private final OpenSearchReportQueries reports;
    private final OpenSearchFailureReportQueries failureReports;
    private final OpenSearchTlsReportQueries tlsReports;
    private final OpenSearchRawSourceQueries rawSources;
    private final OpenSearchSearch search;
    private final ScopeResolver scopes;
    private static final java.time.Duration SCOPE_DOMAINS_MAX_AGE = java.time.Duration.ofMinutes(1);

    private OpenSearchStore(Cluster cluster, IndexNames names, Clock clock, Templates templates,
                            java.time.Duration groupWindow) {
        this.cluster = cluster;
        this.names = names;
        this.clock = clock;
        this.writes = new Writes(cluster, names, clock, templates, groupWindow);
        Reads reads = new Reads(cluster, names, writes.visibility());
        // Other nodes write to the same indices without telling this one: their domains show within a minute.
        this.scopes = new ScopeResolver(() -> ScopeFilters.known(reads), clock, SCOPE_DOMAINS_MAX_AGE);
        writes.addCommitListener(commit -> scopes.invalidate());
        this.overview = new OpenSearchOverviewQueries(cluster, names, writes.visibility(), scopes,
                writes.compaction());
        Records records = new Records(reads);
        ReportDocs docs = new ReportDocs(reads);
        this.failureReports = new OpenSearchFailureReportQueries(reads, scopes);
        this.tlsReports = new OpenSearchTlsReportQueries(reads, docs, scopes);
        this.sources = new OpenSearchSourceQueries(reads, records, scopes, writes.compaction());
        this.forwarding = new OpenSearchForwardingQueries(reads, scopes, writes.compaction());
        this.domains = new OpenSearchDomainQueries(reads, scopes, writes.compaction());
        this.reporters = new OpenSearchReporterQueries(reads, scopes);
        this.reports = new OpenSearchReportQueries(reads, records, docs, scopes, failureReports, tlsReports);
        this.rawSources = new OpenSearchRawSourceQueries(reads, docs, scopes);
        this.search = new OpenSearchSearch(cluster, names, writes.visibility());
    }

    /**
     * Connects to the cluster, installs or upgrades the index templates and creates the indices that are
     * missing.
     *
     * @throws StoreException when the cluster cannot be reached, refuses, or holds templates of a newer version
     */
    public static OpenSearchStore open(OpenSearchSettings settings, Clock clock) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clock, "clock");
        Cluster cluster = Cluster.connect(settings, jsonMapper());
        try {
            IndexNames names = new IndexNames(settings.indexPrefix());
            Templates templates = new Templates(cluster, names, settings);
            int before = templates.install();
            OpenSearchStore store = new OpenSearchStore(cluster, names, clock, templates,
                    settings.commitGroupWindow());
            try {
                new Reindex(store.writes).recordOpened(before);
                if (before > 0 && before < Compaction.SINCE_VERSION) {
                    // a store written before the compact rollup existed: compute it for every day it has
                    store.writes.compaction().touchAllDays();
                }
                store.reindexNeeded().ifPresent(LOG::warn); // said at start, by serve and every command
            } catch (RuntimeException e) {
                store.close();
                throw e;
            }
            return store;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** Our Jackson, with java.time as ISO text. */
    static ObjectMapper jsonMapper() {
        return new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    @Override
    public ImportBatch beginImport(SourceFile source, CommitMode mode) {
        return writes.beginImport(source, mode);
    }

    @Override
    public void flush() {
        writes.flush();
    }

    @Override
    public CommitMark mark() {
        return writes.mark();
    }

    @Override
    public void commitDurably(CommitMark since) {
        writes.commitDurably(since);
    }

    @Override
    public void addCommitListener(CommitListener listener) {
        writes.addCommitListener(listener);
    }

    @Override
    public void updateSender(String ip, SenderInfo info) {
        writes.enrichment().updateSender(ip, info);
    }

    @Override
    public int reclassify(String ip, Function<StoredRecordFacts, RecordEnrichment> classifier) {
        return writes.enrichment().reclassify(ip, classifier);
    }

    @Override
    public Optional<PtrCacheEntry> cachedPtr(String ip) {
        return writes.enrichment().cachedPtr(ip);
    }

    @Override
    public void cachePtr(String ip, String name, Instant expiresAt) {
        writes.enrichment().cachePtr(ip, name, expiresAt);
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

    @Override
    public SearchResults search(String query, int limit, boolean excludeUnverified, DomainScope scope)
            throws SearchSyntaxException {
        return search.search(query, limit, excludeUnverified, scopes.resolve(scope));
    }

    /** Makes everything stored so far searchable: the store refreshes its indices when reports are whole. */
    @Override
    public void awaitIndexed() {
        writes.flush();
        writes.refresh();
    }

    /**
     * Rebuilds the records' search objects and rollups, and the search objects of failure reports and TLS
     * failure details, from the documents stored (see {@link Reindex}): resumable, and safe while other
     * stores on the same cluster keep importing.
     */
    @Override
    public Map<String, Long> reindex() {
        return reindex(io.dmarclens.store.ReindexProgress.NONE);
    }

    @Override
    public Map<String, Long> reindex(io.dmarclens.store.ReindexProgress progress) {
        return new Reindex(writes).run(progress);
    }

    /** Reindexes saving the place reached every {@code pageSize} reports (tests: to stop between two pages). */
    Map<String, Long> reindex(io.dmarclens.store.ReindexProgress progress, int pageSize) {
        return new Reindex(writes, pageSize).run(progress);
    }

    @Override
    public Optional<String> reindexNeeded() {
        return new Reindex(writes).needed();
    }

    @Override
    public RetentionResult applyRetention(RetentionPolicy policy, Instant now) {
        RetentionResult result = writes.retention().apply(policy, now);
        scopes.invalidate(); // a domain may have gone with its last report
        return result;
    }

    /** The compact rollup this store keeps current (for tests). */
    Compaction compaction() {
        return writes.compaction();
    }

    @Override
    public void close() {
        try {
            writes.close();
        } finally {
            cluster.close();
        }
    }

    @Override
    public String toString() {
        return "OpenSearchStore[" + cluster.name() + ", prefix " + names.prefix() + ", clock " + clock + "]";
    }
}
