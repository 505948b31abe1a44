package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.opensearch.testing.DropIndicesAfterClass;
import io.dmarclens.opensearch.testing.OpenSearchTestNode;
import io.dmarclens.store.Store;
import io.dmarclens.store.contract.ReindexContract;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The store contract on reindex, run by the OpenSearch store on the shared real node (2 shards per index): its
 * derived views are the rollups and the search objects of records, failure reports and TLS failure details.
 */
@ExtendWith(DropIndicesAfterClass.class)
class OpenSearchReindexContractTest extends ReindexContract {
    private Clock clock;

    @Override
    protected Store openStore(Path dir, Clock clock) {
        this.clock = clock;
        return OpenSearchStore.open(settings(dir), clock);
    }

    private static OpenSearchSettings settings(Path dir) {
        // The same directory gives the same prefix: a store opened again sees what was stored.
        return OpenSearchTestNode.shared().settings(OpenSearchTestNode.prefix(OpenSearchReindexContractTest.class, dir));
    }

    /**
     * Every rollup document deleted and a stray one (a key no record has) put in its place, and the search
     * objects of every record, failure report and TLS failure detail removed.
     */
    @Override
    protected Store damageDerivedViews(Path dir, Store store) {
        OpenSearchSettings settings = settings(dir);
        IndexNames names = new IndexNames(settings.indexPrefix());
        try (Cluster cluster = Cluster.connect(settings, OpenSearchStore.jsonMapper())) {
            refresh(cluster, names);
            ObjectNode one = JsonNodes.object();
            one.put("size", 1);
            var rollup = cluster.ok("POST", "/" + names.of(Family.ROLLUPS) + "/_search", Map.of(), one)
                    .path("hits").path("hits").get(0);
            ObjectNode all = JsonNodes.object();
            all.putObject("query").putObject("match_all");
            cluster.ok("POST", "/" + names.of(Family.ROLLUPS) + "/_delete_by_query", Map.of("refresh", "true"), all);
            ObjectNode stray = ((ObjectNode) rollup.path("_source")).deepCopy();
            stray.put("source_ip", "198.51.100.250").put("source_addr", "198.51.100.250").put("messages", 1_000_000);
            cluster.ok("PUT", "/" + rollup.path("_index").asText() + "/_doc/stray", Map.of("refresh", "true"), stray);
            removeSearchObjects(cluster, names);
        }
        return store;
    }

    /**
     * The documents as template version 1 left them (no search objects; no {@code meta} index), the templates
     * of version 1, then the store opened again by this version, which upgrades the templates.
     */
    @Override
    protected Optional<Store> asWrittenByAnOlderVersion(Path dir, Store store) {
        close(store);
        OpenSearchSettings settings = settings(dir);
        IndexNames names = new IndexNames(settings.indexPrefix());
        try (Cluster cluster = Cluster.connect(settings, OpenSearchStore.jsonMapper())) {
            removeSearchObjects(cluster, names);
            cluster.ok("DELETE", "/" + names.of(Family.META), Map.of(), null);
            cluster.ok("DELETE", "/_index_template/" + names.template(Family.META), Map.of(), null);
            Templates templates = new Templates(cluster, names, settings);
            for (Family f : Family.values()) {
                if (f != Family.META) {
                    ObjectNode t = templates.template(f);
                    ((ObjectNode) t.path("_meta")).put(Templates.META_KEY, 1);
                    cluster.ok("PUT", "/_index_template/" + names.template(f), null, t);
                }
            }
        }
        return Optional.of(OpenSearchStore.open(settings, clock));
    }

    private static void removeSearchObjects(Cluster cluster, IndexNames names) {
        ObjectNode body = JsonNodes.object();
        body.putObject("query").putObject("match_all");
        body.putObject("script").put("lang", "painless").put("source", "ctx._source.remove('search')");
        cluster.ok("POST", "/" + names.of(Family.RECORDS) + "," + names.of(Family.FAILURES) + ","
                + names.of(Family.TLS_FAILURES) + "/_update_by_query", Map.of("refresh", "true",
                "wait_for_completion", "true"), body);
    }

    private static void refresh(Cluster cluster, IndexNames names) {
        cluster.ok("POST", "/" + names.all() + "/_refresh", Map.of("ignore_unavailable", "true"), null);
    }
}
