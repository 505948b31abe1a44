package io.dmarclens.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmarclens.opensearch.OpenSearchSettings;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;

/**
 * The CPU time OpenSearch's nodes have used (the sum over the cluster's nodes, from {@code _nodes/stats}), for
 * the benchmarks: on a shared machine a query's wall time says more about the other processes than about the
 * query, the node's CPU time per query does not. Plain HTTP only (a benchmark's local node); over HTTPS with a
 * CA certificate there is no figure.
 */
final class NodeCpu {
    private final NodeHttp node;
    private final HttpRequest request;
    private final ObjectMapper json = new ObjectMapper();

    private NodeCpu(NodeHttp node) {
        this.node = node;
        this.request = node.request("_nodes/stats/process?filter_path=nodes.*.process.cpu.total_in_millis").build();
    }

    /** The node CPU meter of the cluster, or empty when it cannot be read over plain HTTP. */
    static Optional<NodeCpu> of(OpenSearchSettings s) {
        return NodeHttp.of(s).map(NodeCpu::new);
    }

    /** CPU milliseconds used by every node so far, or -1 when the cluster did not say. */
    long millis() throws InterruptedException {
        try {
            HttpResponse<String> r = node.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return -1;
            }
            long sum = 0;
            for (JsonNode n : json.readTree(r.body()).path("nodes")) {
                sum += n.path("process").path("cpu").path("total_in_millis").asLong();
            }
            return sum;
        } catch (IOException e) {
            return -1;
        }
    }
}
