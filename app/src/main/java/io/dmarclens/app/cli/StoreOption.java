package io.dmarclens.app.cli;

import io.dmarclens.app.config.ConfigLoader;
import io.dmarclens.app.config.ConfigOverrides;
import io.dmarclens.app.config.StoreSettings;
import io.dmarclens.index.EmbeddedStore;
import io.dmarclens.index.users.SqliteAccounts;
import io.dmarclens.index.alerts.SqliteAlerts;
import io.dmarclens.opensearch.OpenSearchAccounts;
import io.dmarclens.opensearch.OpenSearchAlerts;
import io.dmarclens.opensearch.OpenSearchCoordination;
import io.dmarclens.opensearch.OpenSearchIngestLog;
import io.dmarclens.index.ingestlog.SqliteIngestLog;
import io.dmarclens.store.ingestlog.IngestLog;
import io.dmarclens.opensearch.OpenSearchStore;
import io.dmarclens.store.cluster.Coordination;
import io.dmarclens.store.cluster.SingleNode;
import io.dmarclens.store.Clocks;
import io.dmarclens.store.Store;
import io.dmarclens.store.alerts.AlertLog;
import io.dmarclens.store.alerts.Outbox;
import io.dmarclens.store.users.Accounts;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Option;

/**
 * The {@code --opensearch URL} option of the commands that open a store, and the one place that names the
 * concrete stores: without the option (nor {@code DMARC_LENS_STORE_BACKEND=opensearch} in the environment)
 * the embedded store of the data directory, with it the store on that OpenSearch cluster (its sign-in, CA and
 * index prefix from the {@code DMARC_LENS_STORE_OPENSEARCH_*} variables, docs/configuration.md).
 */
public final class StoreOption {
    @Option(names = "--opensearch", paramLabel = "URL",
            description = "keep the reports in the OpenSearch cluster at URL (e.g. http://127.0.0.1:9200) instead of "
                    + "the data directory")
    String url;

    /** The store settings from this option and the environment. */
    public StoreSettings settings() {
        return new ConfigLoader(System.getenv()).load(null, ConfigOverrides.store(null, url)).store();
    }

    /** Whether the store is on OpenSearch (the option or the environment say so). */
    public boolean onOpenSearch() {
        return settings().onOpenSearch();
    }

    /** Opens the store for writing (creating the embedded one in {@code dataDir} when needed). */
    public static Store open(StoreSettings settings, Path dataDir, Clock clock) {
        return settings.onOpenSearch() ? OpenSearchStore.open(settings.opensearch(), clock)
                : EmbeddedStore.open(dataDir, clock);
    }

    /**
     * Opens the store for a command that only reads it (beside a running server): the embedded store
     * read-only, which {@code data} must hold; on OpenSearch the cluster's store.
     */
    public Store openForReading(DataDirOption data, Clock clock) {
        StoreSettings s = settings();
        return s.onOpenSearch() ? OpenSearchStore.open(s.opensearch(), clock)
                : EmbeddedStore.openReadOnly(data.existingStore(), clock);
    }

    /** Opens the store for writing: {@link #open(StoreSettings, Path, Clock)} with this option's settings. */
    public Store openForWriting(Path dataDir, Clock clock) {
        return open(settings(), dataDir, clock);
    }

    /** The dashboard's users: {@code web.db} in the data directory, or the cluster's. */
    public static Accounts accounts(StoreSettings settings, Path dataDir) {
        return settings.onOpenSearch() ? OpenSearchAccounts.open(settings.opensearch()) : SqliteAccounts.open(dataDir);
    }

    /**
     * The ingest log with the bytes of quarantined messages, as the node {@code node} writes it: {@code ingest.db}
     * in the data directory, or the cluster's, which every node on it shares (docs/cluster.md).
     */
    public static IngestLog ingestLog(StoreSettings settings, Path dataDir, Clock clock, String node) {
        return settings.onOpenSearch() ? OpenSearchIngestLog.open(settings.opensearch(), clock, node)
                : SqliteIngestLog.open(dataDir, clock, node);
    }

    /**
     * The node registry and the leases beside the store: in the OpenSearch cluster (shared by every node on it),
     * or in memory for the embedded store (one node).
     */
    public static Coordination coordination(StoreSettings settings) {
        return settings.onOpenSearch() ? OpenSearchCoordination.open(settings.opensearch()) : new SingleNode();
    }

    /**
     * The alerts' state: {@code alerts.db} in the data directory, or the cluster's ({@code PREFIX-alerts} and the
     * outbox beside it), which every node on it shares (docs/cluster.md).
     */
    public static OpenedAlerts alerts(StoreSettings settings, Path dataDir) {
        if (settings.onOpenSearch()) {
            OpenSearchAlerts a = OpenSearchAlerts.open(settings.opensearch());
            return new OpenedAlerts(a.log(), a.outbox(), a);
        }
        SqliteAlerts a = SqliteAlerts.open(dataDir);
        return new OpenedAlerts(a.log(), a.outbox(), a);
    }

    /**
     * The alert log and its outbox of one store, closed together.
     *
     * @param log    the alerts and the rules' memory
     * @param outbox the notices to deliver
     * @param closer closes both
     */
    public record OpenedAlerts(AlertLog log, Outbox outbox, AutoCloseable closer) implements AutoCloseable {
        @Override
        public void close() {
            try {
                closer.close();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("cannot close the alert state: " + e.getMessage(), e);
            }
        }
    }

    /** The system clock (through {@link Clocks}). */
    static Clock clock() {
        return Clocks.system();
    }
}
