package io.dmarclens.store;

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
import io.dmarclens.store.query.SourceQueries;
import io.dmarclens.store.query.TlsReportQueries;
import io.dmarclens.store.retention.RetentionPolicy;
import io.dmarclens.store.retention.RetentionResult;
import io.dmarclens.store.search.SearchResults;
import io.dmarclens.store.search.SearchSyntaxException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where every report lands, and what the dashboard, the API, the command line and the pipeline read.
 * Thread-safe; open one per process (the application chooses the implementation) and close it on shutdown.
 *
 * <pre>{@code
 * try (ImportBatch batch = store.beginImport(SourceFile.of("report.xml", "file", bytes))) {
 *     if (batch.beginAggregate(header)) {
 *         for (AggregateRecord r : records) batch.record(r, enrichment(r));
 *         batch.endAggregate(warnings);
 *     }
 *     ImportResult result = batch.commit();
 * }
 * Totals t = store.overview().totals(ReportFilter.lastDays(30, today));
 * SearchResults hits = store.search("ip:203.0.113.0/24 dkim:fail", 100);
 * }</pre>
 *
 * <p>Errors: a store that cannot do what it is asked throws {@link StoreException} (unchecked) with a
 * message a user can act on; a query in the wrong syntax is {@link SearchSyntaxException} (checked).
 */
public interface Store extends AutoCloseable {
    /** Starts storing the reports of one raw source, each report committed as it ends. */
    default ImportBatch beginImport(SourceFile source) {
        return beginImport(source, CommitMode.EACH_REPORT);
    }

    /**
     * Starts storing the reports of one raw source, committing them as {@code mode} says. With
     * {@link CommitMode#GROUPED}, call {@link #flush()} or {@link #commitDurably} before telling anyone the
     * reports are stored.
     */
    ImportBatch beginImport(SourceFile source, CommitMode mode);

    /**
     * Commits reports imported with {@link CommitMode#GROUPED} that are not committed yet.
     *
     * @throws StoreException when a commit failed: those reports are not stored
     */
    void flush();

    /** A mark to take before a run of grouped imports, for {@link #commitDurably}. */
    CommitMark mark();

    /**
     * Commits every grouped import and waits until it survives a power cut. Call it before dropping the
     * only other copy of what was imported (the durable inbox does, after each run).
     *
     * @param since the mark taken before the run's imports
     * @throws StoreException when any report imported since {@code since} may have been lost (another
     *                        importer's commit failed with it): import the run again, duplicates are skipped
     */
    void commitDurably(CommitMark since);

    /**
     * Calls {@code listener} after each commit that stores reports (aggregate reports, grouped or not,
     * failure reports and TLS reports; see {@link StoreCommit}), on the committing thread: keep it short. A
     * listener that throws is logged and does not fail the import nor the other listeners.
     */
    void addCommitListener(CommitListener listener);

    /**
     * Records what is now known about a source IP (e.g. its reverse DNS name, which arrives after the
     * report was stored). Values given as null keep what was stored. Call {@link #reclassify} too when the
     * classification may change.
     */
    void updateSender(String ip, SenderInfo info);

    /**
     * Classifies every stored record of a source IP again and moves their counts exactly. The classifier
     * sees each stored record and returns its new enrichment (or null to leave it).
     *
     * @return the number of records whose verdict changed
     */
    int reclassify(String ip, Function<StoredRecordFacts, RecordEnrichment> classifier);

    /** The cached reverse DNS answer for an IP, unless absent or expired. */
    Optional<PtrCacheEntry> cachedPtr(String ip);

    /** Caches a reverse DNS answer ({@code name} null for "no PTR record") until {@code expiresAt}. */
    void cachePtr(String ip, String name, Instant expiresAt);

    /** Totals, daily series, the days stored. */
    OverviewQueries overview();

    /** Sending sources. */
    SourceQueries sources();

    /** Forwarded mail. */
    ForwardingQueries forwarding();

    /** Policy domains: policy history and impact. */
    DomainQueries domains();

    /** Reporting organisations. */
    ReporterQueries reporters();

    /** Aggregate reports and their records. */
    ReportQueries reports();

    /** Failure reports. */
    FailureReportQueries failureReports();

    /** SMTP TLS reports. */
    TlsReportQueries tlsReports();

    /** Raw sources as received. */
    RawSourceQueries rawSources();

    /**
     * Searches records, failure reports and TLS failure details; newest first.
     *
     * @param query a query in the syntax of docs/search.md
     * @param limit the most hits to return
     * @throws SearchSyntaxException when the query cannot be read (the message says why)
     */
    default SearchResults search(String query, int limit) throws SearchSyntaxException {
        return search(query, limit, false);
    }

    /**
     * Searches as {@link #search(String, int)} does; with {@code excludeUnverified} the hits of reports whose
     * origin is {@link Authenticity.Verdict#UNVERIFIED unverified} (records, failure reports, TLS failure
     * details) are left out, and so is their share of {@code totalHits}: the search of a dashboard whose figures
     * leave those reports out ({@code reports.exclude_unverified}) must not find them either. Each document
     * carries its report's verdict (an index built before the verdicts were indexed is rebuilt by
     * {@link #reindex()}).
     *
     * @throws SearchSyntaxException when the query cannot be read (the message says why)
     */
    default SearchResults search(String query, int limit, boolean excludeUnverified) throws SearchSyntaxException {
        return search(query, limit, excludeUnverified, DomainScope.all());
    }

    /**
     * Searches as {@link #search(String, int, boolean)} does, finding only the documents of the domains in
     * {@code scope} (records by their report's policy domain, failure reports by the policy domain their reported
     * domains count under, TLS failure details by their policy's domain; docs/security.md "Scope"). The scope
     * bounds the query itself, so {@code totalHits} and the first hits are those of the scope alone.
     *
     * @throws SearchSyntaxException when the query cannot be read (the message says why)
     */
    SearchResults search(String query, int limit, boolean excludeUnverified, DomainScope scope)
            throws SearchSyntaxException;

    /** Waits until everything stored so far is searchable. */
    void awaitIndexed();

    /**
     * Rebuilds the search index from what is stored.
     *
     * @return the searchable documents per kind afterwards ({@code record}, {@code failure}, {@code tls})
     */
    Map<String, Long> reindex();

    /** Deletes what the policy says is too old; see {@link RetentionPolicy}. */
    RetentionResult applyRetention(RetentionPolicy policy, Instant now);

    /** Commits what is pending and releases the store; a failure to commit is logged, not thrown. */
    @Override
    void close();
}
