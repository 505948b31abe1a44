package io.dmarclens.opensearch;

import io.dmarclens.testing.LoopbackPorts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmarclens.opensearch.testing.OpenSearchTestNode;
import io.dmarclens.store.StoreException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new index is written to only once its replica could take over from its primary (the cause of the
 * ClusterFaultTest failure: a month index created in the middle of an import, its primary's node killed
 * seconds later while the replica was still being built, left the index red and every later write to it
 * hanging). Three OpenSearch processes on loopback: {@code a} the cluster manager, {@code b} and {@code c} data
 * nodes, the one with the primary of a fresh index killed.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class NewIndexCopiesTest {
    @TempDir
    Path dir;

    @Test
    void aNewIndexHasItsReplicaInSyncBeforeItIsWrittenSoItOutlivesItsPrimarysNode() throws Exception {
        int[] ports = LoopbackPorts.free(8);
        int[] http = {ports[0], ports[1], ports[2], ports[3]};
        int[] transport = {ports[4], ports[5], ports[6], ports[7]};
        List<Process> nodes = new ArrayList<>();
        try {
            // a keeps the cluster (it holds no shard), so that either data node may die.
            nodes.add(start(0, http, transport, "cluster_manager"));
            nodes.add(start(1, http, transport, "data"));
            nodes.add(start(2, http, transport, "data"));
            OpenSearchTestNode.awaitHealthy(nodes.get(0), http[0], dir.resolve("a.log"));
            OpenSearchSettings settings = new OpenSearchSettings(List.of(url(http[1]), url(http[2]), url(http[0])),
                    null, null, null, null, "copies", 1, 1);
            try (Cluster cluster = Cluster.connect(settings, OpenSearchStore.jsonMapper())) {
                await(() -> cluster.send("GET", "/_cluster/health", Map.of("wait_for_nodes", "3", "timeout", "2s"),
                        null).ok(), "three nodes in the cluster" + log("a") + log("b") + log("c"));
                String index = "copies-month";
                assertTrue(cluster.createIndex(index, null));
                // Without the wait, the create answers once the primary is started, the replica still being
                // built: not green yet.
                assertEquals("green", cluster.ok("GET", "/_cluster/health/" + index, null, null)
                        .path("status").asText(), "every copy started when createIndex returns: "
                        + cluster.ok("GET", "/_cat/shards/" + index, null, null));
                cluster.ok("PUT", "/" + index + "/_doc/r-1", Map.of("refresh", "true"), Map.of("report", "r-1"));

                String primary = primaryNode(cluster, index);
                kill(nodes.get(primary.equals("b") ? 1 : 2));
                // The replica takes over: what was acknowledged is there, and writes go on (the client is given
                // the data nodes' addresses first: its requests to the dead one fail over).
                await(() -> {
                    try {
                        return cluster.send("GET", "/" + index + "/_doc/r-1", null, null).body().path("found").asBoolean();
                    } catch (StoreException notYet) {
                        return false;
                    }
                }, "the acknowledged document is read after the death of " + primary + ": "
                        + cluster.send("GET", "/_cluster/allocation/explain", null, null).body());
                cluster.ok("PUT", "/" + index + "/_doc/r-2", Map.of("refresh", "true"), Map.of("report", "r-2"));
                assertEquals(2, cluster.ok("GET", "/" + index + "/_count", null, null).path("count").asLong());
                // One data node left: its one copy is all the cluster can hold, nothing to wait for.
                assertEquals(Cluster.Copies.IN_SYNC, cluster.awaitCopies(index));

                // A new index whose primary's node died before its replica was in sync, and whose creator died
                // too (ClusterFaultTest: a DMARC Lens node and an OpenSearch node killed in one burst): the node
                // that finds it mends it as its creator would have, instead of writing to a red index.
                nodes.add(start(3, http, transport, "data")); // d: two data nodes again
                await(() -> cluster.send("GET", "/_cluster/health", Map.of("wait_for_nodes", "3", "timeout", "2s"),
                        null).ok(), "d joined" + log("d"));
                allocation(cluster, "primaries"); // the replica stays unassigned: never in sync
                String lost = "copies-lost";
                cluster.ok("PUT", "/" + lost, null, null); // its creator's request; the creator dies before its wait
                String holder = primaryNode(cluster, lost);
                kill(nodes.get(List.of("a", "b", "c", "d").indexOf(holder)));
                allocation(cluster, null);
                await(() -> "red".equals(cluster.send("GET", "/_cluster/health/" + lost, Map.of("timeout", "1s"),
                        null).body().path("status").asText()), "the new index lost its primary");
                assertTrue(cluster.createIndex(lost, null), "made again by the node that found it lost");
                cluster.ok("PUT", "/" + lost + "/_doc/r-3", Map.of("refresh", "true"), Map.of("report", "r-3"));
                assertEquals(1, cluster.ok("GET", "/" + lost + "/_count", null, null).path("count").asLong());
                // An index in sync that lost its copies is left alone (its data may come back with its nodes).
                assertFalse(cluster.createIndex(index, null));
            }
        } finally {
            nodes.forEach(NewIndexCopiesTest::kill);
        }
    }

    private static void allocation(Cluster cluster, String enable) {
        com.fasterxml.jackson.databind.node.ObjectNode body = OpenSearchStore.jsonMapper().createObjectNode();
        body.putObject("transient").put("cluster.routing.allocation.enable", enable);
        cluster.ok("PUT", "/_cluster/settings", null, body);
    }

    private Process start(int i, int[] http, int[] transport, String roles) throws IOException {
        String name = List.of("a", "b", "c", "d").get(i);
        ProcessBuilder pb = OpenSearchTestNode.nodeProcess(http[i], transport[i], dir.resolve(name),
                "-Xms256m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
        pb.command().addAll(List.of(name, "dmarc-lens-copies-" + http[0], transport[0] + "," + transport[1] + ","
                + transport[2], "a", roles));
        return pb.redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
    }

    private static String primaryNode(Cluster cluster, String index) {
        for (JsonNode shard : cluster.ok("GET", "/_cat/shards/" + index, Map.of("format", "json"), null)) {
            if (shard.path("prirep").asText().equals("p")) {
                return shard.path("node").asText();
            }
        }
        return "";
    }

    private String log(String name) {
        try {
            return "\n--- " + name + "\n" + java.nio.file.Files.readString(dir.resolve(name + ".log"));
        } catch (IOException e) {
            return "";
        }
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what);
            Thread.sleep(200);
        }
    }

    private static void kill(Process p) {
        p.destroyForcibly();
        try {
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static URI url(int port) {
        return URI.create("http://127.0.0.1:" + port);
    }

}
