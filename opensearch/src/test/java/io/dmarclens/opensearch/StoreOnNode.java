package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.opensearch.testing.OpenSearchTestNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Stores on the shared test node, each test under its own prefix, and counts of what they hold. */
final class StoreOnNode implements AutoCloseable {
    final OpenSearchSettings settings;
    final IndexNames names;
    private final Cluster cluster;
    private final List<OpenSearchStore> opened = new ArrayList<>();

    StoreOnNode(Class<?> testClass, String test) {
        settings = OpenSearchTestNode.shared().settings(OpenSearchTestNode.prefix(testClass, test + System.nanoTime()));
        names = new IndexNames(settings.indexPrefix());
        cluster = Cluster.connect(settings, OpenSearchStore.jsonMapper());
    }

    OpenSearchStore open(Clock clock) {
        return open(clock, settings);
    }

    /** A store whose grouped commits wait at most {@code window}. */
    OpenSearchStore open(Clock clock, java.time.Duration window) {
        return open(clock, settings.withCommitGroupWindow(window));
    }

    private OpenSearchStore open(Clock clock, OpenSearchSettings with) {
        OpenSearchStore s = OpenSearchStore.open(with, clock);
        opened.add(s);
        return s;
    }

    Cluster cluster() {
        return cluster;
    }

    /** Documents in an index (or alias) after a refresh, hidden copies included. */
    long count(Family f) {
        cluster.ok("POST", "/" + names.all() + "/_refresh", Map.of("ignore_unavailable", "true"), null);
        return cluster.ok("POST", "/" + names.of(f) + "/_count", Map.of("ignore_unavailable", "true",
                "allow_no_indices", "true"), null).path("count").asLong();
    }

    /** Documents matching a term. */
    long count(Family f, String field, Object value) {
        cluster.ok("POST", "/" + names.all() + "/_refresh", Map.of("ignore_unavailable", "true"), null);
        ObjectNode body = JsonNodes.object();
        body.putObject("query").putObject("term").putPOJO(field, value);
        return cluster.ok("POST", "/" + names.of(f) + "/_count", Map.of("ignore_unavailable", "true",
                "allow_no_indices", "true"), body).path("count").asLong();
    }

    @Override
    public void close() {
        for (OpenSearchStore s : opened) {
            s.close();
        }
        cluster.close();
    }
}
