package io.dmarclens.index.search;

import io.dmarclens.store.StoreException;
import io.dmarclens.store.search.SearchResults;
import io.dmarclens.store.search.SearchSyntaxException;
import io.dmarclens.index.store.Database;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;

/**
 * The search index read without its writer's lock, for commands that run beside a {@code serve} on the
 * same data directory: each search sees the index as of the writer's last commit (the running server's
 * indexer commits at most {@value SearchIndex#COMMIT_EVERY_MS} ms after new rows), never repairs or
 * catches up, and can tell how many stored rows it does not see yet ({@link #unindexedRows()}).
 */
public final class IndexSnapshot implements AutoCloseable {
    private final Directory directory;
    private final SearcherManager searchers;
    private final Database db;

    private IndexSnapshot(Directory directory, SearcherManager searchers, Database db) {
        this.directory = directory;
        this.searchers = searchers;
        this.db = db;
    }

    /**
     * Opens the last commit of the index in {@code dir}; {@code db} is the database it indexes.
     *
     * @throws StoreException when there is no committed index (a store that was never closed nor committed)
     */
    public static IndexSnapshot open(Path dir, Database db) {
        try {
            Directory directory = FSDirectory.open(dir);
            if (!DirectoryReader.indexExists(directory)) {
                directory.close();
                throw new StoreException("the search index in " + dir + " has no commit yet (a running serve commits"
                        + " it within " + SearchIndex.COMMIT_EVERY_MS / 1000 + " s of an import; otherwise run"
                        + " ./dmarc-lens reindex)");
            }
            return new IndexSnapshot(directory, new SearcherManager(directory, null), db);
        } catch (IOException e) {
            throw new StoreException("cannot read the search index in " + dir + ": " + e.getMessage()
                    + " (stop DMARC Lens and run ./dmarc-lens reindex to rebuild it)", e);
        }
    }

    /**
     * Runs a query on the index's last commit and returns the newest hits first.
     *
     * @throws SearchSyntaxException when the query cannot be read
     */
    public SearchResults search(String queryText, int limit, boolean excludeUnverified,
                                io.dmarclens.store.query.ResolvedScope scope) throws SearchSyntaxException {
        Query query = SearchIndex.withScope(SearchIndex.withOrigin(
                new LuceneQueries(LuceneQueries.analyzer()).parse(queryText), excludeUnverified), scope);
        try {
            searchers.maybeRefreshBlocking();
            IndexSearcher searcher = searchers.acquire();
            try {
                return SearchIndex.newestFirst(searcher, query, queryText, limit);
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new StoreException("the search index cannot be read: " + e.getMessage(), e);
        }
    }

    /** Number of documents of each kind (record, failure, tls) in the last commit. */
    public Map<String, Long> documentCounts() {
        try {
            searchers.maybeRefreshBlocking();
            IndexSearcher searcher = searchers.acquire();
            try {
                return SearchIndex.countKinds(searcher);
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new StoreException("the search index cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Rows of the database (records, failure reports, TLS failure details) past what the index's last
     * commit covers: what a search cannot find yet.
     */
    public long unindexedRows() {
        Map<String, String> markers;
        try {
            searchers.maybeRefreshBlocking();
            IndexSearcher searcher = searchers.acquire();
            try {
                markers = ((DirectoryReader) searcher.getIndexReader()).getIndexCommit().getUserData();
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new StoreException("the search index cannot be read: " + e.getMessage(), e);
        }
        return db.read(c -> {
            long behind = 0;
            for (String kind : SearchIndex.KINDS) {
                try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + SearchIndex.table(kind)
                        + " WHERE id > ?")) {
                    ps.setLong(1, Long.parseLong(markers.getOrDefault("last_" + kind, "0")));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        behind += rs.getLong(1);
                    }
                }
            }
            return behind;
        });
    }

    @Override
    public void close() {
        try {
            searchers.close();
            directory.close();
        } catch (IOException e) {
            // read-only: nothing to lose
        }
    }
}
