package io.dmarclens.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.opensearch.testing.DropIndicesAfterClass;
import io.dmarclens.opensearch.testing.OpenSearchTestNode;
import io.dmarclens.store.StoreException;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.Totals;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The index templates: installed with their version on open, and a cluster of a newer version is refused. */
@ExtendWith(DropIndicesAfterClass.class)
class TemplatesTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-05-02T00:00:00Z"), ZoneOffset.UTC);
    private final OpenSearchTestNode node = OpenSearchTestNode.shared();

    @Test
    void openInstallsVersionedTemplatesAndTheFixedIndices() {
        OpenSearchSettings settings = node.settings(OpenSearchTestNode.prefix(getClass(), "install"));
        try (OpenSearchStore store = OpenSearchStore.open(settings, CLOCK)) {
            assertEquals(Totals.ZERO, store.overview().totals(ReportFilter.all()), "an empty store");
            assertTrue(store.overview().dateSpan().isEmpty());
        }
        try (Cluster cluster = Cluster.connect(settings, OpenSearchStore.jsonMapper())) {
            IndexNames names = new IndexNames(settings.indexPrefix());
            assertEquals(Templates.VERSION, new Templates(cluster, names, settings).installedVersion());
            JsonNode reports = cluster.ok("GET", "/" + names.of(Family.REPORTS) + "/_settings", Map.of(), null);
            JsonNode index = reports.path(names.of(Family.REPORTS)).path("settings").path("index");
            assertEquals("2", index.path("number_of_shards").asText());
            assertEquals("request", index.path("translog").path("durability").asText(),
                    "acknowledged writes are fsynced");
            JsonNode mapping = cluster.ok("GET", "/" + names.of(Family.SENDERS) + "/_mapping", Map.of(), null);
            assertEquals("ip", mapping.path(names.of(Family.SENDERS)).path("mappings").path("properties")
                    .path("addr").path("type").asText(), "addresses are ip fields: CIDR search is native");
        }
        // Opening again finds everything in place.
        OpenSearchStore.open(settings, CLOCK).close();
    }

    @Test
    void aClusterWithNewerTemplatesIsRefusedWithAMessage() {
        OpenSearchSettings settings = node.settings(OpenSearchTestNode.prefix(getClass(), "newer"));
        OpenSearchStore.open(settings, CLOCK).close();
        try (Cluster cluster = Cluster.connect(settings, OpenSearchStore.jsonMapper())) {
            IndexNames names = new IndexNames(settings.indexPrefix());
            ObjectNode newer = new Templates(cluster, names, settings).template(Family.PTR);
            ((ObjectNode) newer.path("_meta")).put(Templates.META_KEY, Templates.VERSION + 1);
            cluster.ok("PUT", "/_index_template/" + names.template(Family.PTR), null, newer);
        }
        StoreException e = assertThrows(StoreException.class, () -> OpenSearchStore.open(settings, CLOCK));
        assertTrue(e.getMessage().contains("newer DMARC Lens"), e.getMessage());
        assertTrue(e.getMessage().contains(node.url().toString()), "names the cluster: " + e.getMessage());
    }

    @Test
    void aMonthIndexOfVersion3GainsNewFieldsAndKeepsHowItsFieldsWereIndexed() {
        OpenSearchSettings settings = node.settings(OpenSearchTestNode.prefix(getClass(), "upgrade"));
        OpenSearchStore.open(settings, CLOCK).close();
        IndexNames names = new IndexNames(settings.indexPrefix());
        String month = names.month(Family.RECORDS, CLOCK.instant().getEpochSecond());
        try (Cluster cluster = Cluster.connect(settings, OpenSearchStore.jsonMapper())) {
            // Version 3 templates; the records one: header_from indexed, classification_reason analysed,
            // verdict_disagrees and search.reason unknown.
            for (Family f : Family.values()) {
                ObjectNode old = new Templates(cluster, names, settings).template(f);
                ((ObjectNode) old.path("_meta")).put(Templates.META_KEY, 3);
                if (f == Family.RECORDS) {
                    ObjectNode props = (ObjectNode) old.path("template").path("mappings").path("properties");
                    props.putObject("header_from").put("type", "keyword");
                    props.putObject("classification_reason").put("type", "text");
                    props.remove("verdict_disagrees");
                    ((ObjectNode) props.path(SearchDocs.FIELD).path("properties")).remove("reason");
                }
                cluster.ok("PUT", "/_index_template/" + names.template(f), null, old);
            }
            new Templates(cluster, names, settings).ensureIndex(month);
            assertEquals(3, new Templates(cluster, names, settings).installedVersion());
        }
        OpenSearchStore.open(settings, CLOCK).close();
        try (Cluster cluster = Cluster.connect(settings, OpenSearchStore.jsonMapper())) {
            assertEquals(Templates.VERSION, new Templates(cluster, names, settings).installedVersion());
            JsonNode props = cluster.ok("GET", "/" + month + "/_mapping", Map.of(), null).path(month).path("mappings")
                    .path("properties");
            assertEquals("boolean", props.path("verdict_disagrees").path("type").asText(), "a missing field is added");
            assertEquals("text", props.path(SearchDocs.FIELD).path("properties").path("reason").path("type").asText(),
                    "a missing field of the search object is added");
            assertEquals("text", props.path("classification_reason").path("type").asText(),
                    "a field the index has keeps its mapping (OpenSearch cannot change it in place)");
            assertTrue(props.path("header_from").path("index").isMissingNode(), "still indexed");
        }
    }

    @Test
    void anUnreachableClusterIsAOneLineStoreException() {
        OpenSearchSettings settings = OpenSearchSettings.local(URI.create("http://127.0.0.1:9"), "nobody");
        StoreException e = assertThrows(StoreException.class, () -> OpenSearchStore.open(settings, CLOCK));
        assertTrue(e.getMessage().contains("http://127.0.0.1:9"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }
}
