package io.dmarclens.app.config;

import io.dmarclens.opensearch.OpenSearchSettings;
import java.util.Locale;
import java.util.Objects;

/**
 * Which store holds the reports: the embedded one in the data directory (the default) or an OpenSearch
 * cluster ({@code store.backend: opensearch}).
 *
 * @param backend    the kind of store
 * @param opensearch the cluster, its sign-in and index layout; null for the embedded store
 */
public record StoreSettings(Backend backend, OpenSearchSettings opensearch) {
    /** The kinds of store ({@code store.backend}). */
    public enum Backend {
        /** SQLite + Lucene in the data directory. */
        EMBEDDED,
        /** An OpenSearch 2.19 cluster. */
        OPENSEARCH;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public StoreSettings {
        Objects.requireNonNull(backend, "backend");
        if (backend == Backend.OPENSEARCH) {
            Objects.requireNonNull(opensearch, "opensearch");
        } else {
            opensearch = null;
        }
    }

    /** The embedded store (the default). */
    public static StoreSettings embedded() {
        return new StoreSettings(Backend.EMBEDDED, null);
    }

    /** Whether the reports are kept in OpenSearch. */
    public boolean onOpenSearch() {
        return backend == Backend.OPENSEARCH;
    }

    /** For log lines: the kind and, for OpenSearch, the cluster and index prefix (never a secret). */
    public String describe() {
        return onOpenSearch() ? "OpenSearch at " + opensearch.clusterName() + " (index prefix " + opensearch.indexPrefix()
                + ")" : "the embedded store";
    }
}
