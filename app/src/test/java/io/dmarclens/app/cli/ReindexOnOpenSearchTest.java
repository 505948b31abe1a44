package io.dmarclens.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.opensearch.OpenSearchSettings;
import io.dmarclens.opensearch.OpenSearchStore;
import io.dmarclens.opensearch.testing.OpenSearchTestNode;
import io.dmarclens.store.Store;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.Totals;
import io.dmarclens.testkit.Corpus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reindex --opensearch URL}: the command rebuilds the cluster's rollups and search documents (here lost
 * behind the store's back) and says what it reindexed. The command takes the index prefix from the environment,
 * so this test uses the default prefix, which no other test of this module uses, and drops it afterwards.
 */
class ReindexOnOpenSearchTest {
    private static final String PREFIX = "dmarc-lens";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-06-01T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void reindexRebuildsWhatTheClusterLostAndSaysWhatItDid() throws Exception {
        OpenSearchTestNode node = OpenSearchTestNode.shared();
        OpenSearchSettings settings = node.settings(PREFIX);
        DataDirCommandsTest.Run imported = DataDirCommandsTest.run("import", "--opensearch", node.url().toString(),
                "--data", dir.resolve("unused").toString(), Corpus.sampleReports().resolve("aggregate").toString());
        assertTrue(imported.out().contains("reports"), imported.out() + imported.err());
        long records;
        Totals totals;
        try (Store store = OpenSearchStore.open(settings, CLOCK)) {
            store.awaitIndexed();
            records = store.search("kind:record", 10_000).totalHits();
            totals = store.overview().totals(ReportFilter.all());
            assertTrue(records > 0 && totals.messages() > 0, "sample-reports imported: " + imported.out() + imported.err());
        }
        // Every record's search object and every rollup lost.
        post(node.url(), "/" + PREFIX + "-records/_update_by_query?refresh=true",
                "{\"query\":{\"match_all\":{}},\"script\":{\"lang\":\"painless\",\"source\":\"ctx._source.remove('search')\"}}");
        post(node.url(), "/" + PREFIX + "-rollups/_delete_by_query?refresh=true", "{\"query\":{\"match_all\":{}}}");
        try (Store store = OpenSearchStore.open(settings, CLOCK)) {
            assertEquals(0, store.search("kind:record", 100).totalHits());
            assertEquals(0, store.overview().totals(ReportFilter.all()).messages());
        }

        DataDirCommandsTest.Run r = DataDirCommandsTest.run("reindex", "--opensearch", node.url().toString(),
                "--data", dir.resolve("unused").toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("reindexed " + records + " records, "), r.out());
        try (Store store = OpenSearchStore.open(settings, CLOCK)) {
            assertEquals(records, store.search("kind:record", 10_000).totalHits());
            assertEquals(totals, store.overview().totals(ReportFilter.all()));
            assertTrue(store.reindexNeeded().isEmpty());
        }
    }

    @AfterAll
    static void dropTheDefaultPrefix() throws Exception {
        HttpRequest delete = HttpRequest.newBuilder(OpenSearchTestNode.shared().url().resolve("/" + PREFIX
                + "-*?expand_wildcards=all&allow_no_indices=true&ignore_unavailable=true")).DELETE().build();
        HttpClient.newHttpClient().send(delete, HttpResponse.BodyHandlers.ofString());
    }

    private static void post(URI node, String path, String json) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(node.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        HttpResponse<String> r = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
    }
}
