package io.dmarclens.opensearch;

import io.dmarclens.store.CommitListener;
import io.dmarclens.store.CommitMark;
import io.dmarclens.store.CommitMode;
import io.dmarclens.store.ImportBatch;
import io.dmarclens.store.SourceFile;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Everything the store writes: imports and their commits, enrichment, retention. */
final class Writes implements AutoCloseable {
    private final Cluster cluster;
    private final IndexNames names;
    private final Clock clock;
    private final Visibility visibility;
    private final List<CommitListener> listeners = new CopyOnWriteArrayList<>();

    Writes(Cluster cluster, IndexNames names, Clock clock) {
        this.cluster = cluster;
        this.names = names;
        this.clock = clock;
        this.visibility = new Visibility(cluster, names);
    }

    Visibility visibility() {
        return visibility;
    }

    ImportBatch beginImport(SourceFile source, CommitMode mode) {
        throw new UnsupportedOperationException("the OpenSearch store does not import yet");
    }

    void flush() {
    }

    CommitMark mark() {
        return new CommitMark(0);
    }

    void commitDurably(CommitMark since) {
        flush();
    }

    void addCommitListener(CommitListener listener) {
        listeners.add(listener);
    }

    Enrichment enrichment() {
        throw new UnsupportedOperationException("the OpenSearch store does not enrich yet");
    }

    Retention retention() {
        throw new UnsupportedOperationException("the OpenSearch store does not apply retention yet");
    }

    /** Makes every write so far visible to searches. */
    void refresh() {
        cluster.ok("POST", "/" + names.all() + "/_refresh", Map.of("ignore_unavailable", "true",
                "allow_no_indices", "true"), null);
    }

    @Override
    public void close() {
        flush();
    }
}
