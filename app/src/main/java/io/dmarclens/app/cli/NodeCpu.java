package io.dmarclens.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmarclens.opensearch.OpenSearchSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * The CPU time OpenSearch's nodes have used (the sum over the cluster's nodes, from {@code _nodes/stats}), for
 * the benchmarks: on a shared machine a query's wall time says more about the other processes than about the
 * query, the node's CPU time per query does not. Plain HTTP only (a benchmark's local node); over HTTPS with a
 * CA certificate there is no figure.
 */
final class NodeCpu {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final HttpRequest request;
    private final ObjectMapper json = new ObjectMapper();

    private NodeCpu(HttpRequest request) {
        this.request = request;
    }

    /** The node CPU meter of the cluster, or empty when it cannot be read over plain HTTP. */
    static Optional<NodeCpu> of(OpenSearchSettings s) {
        URI base = s.urls().get(0);
        if (!"http".equals(base.getScheme())) {
            return Optional.empty();
        }
        String root = base.toString().endsWith("/") ? base.toString() : base + "/";
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(root
                + "_nodes/stats/process?filter_path=nodes.*.process.cpu.total_in_millis")).timeout(Duration.ofSeconds(10));
        if (s.apiKey() != null) {
            b.header("Authorization", "ApiKey " + s.apiKey());
        } else if (s.user() != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (s.user() + ":" + (s.password() == null ? "" : s.password())).getBytes(StandardCharsets.UTF_8)));
        }
        return Optional.of(new NodeCpu(b.build()));
    }

    /** CPU milliseconds used by every node so far, or -1 when the cluster did not say. */
    long millis() throws InterruptedException {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return -1;
            }
            long sum = 0;
            for (JsonNode node : json.readTree(r.body()).path("nodes")) {
                sum += node.path("process").path("cpu").path("total_in_millis").asLong();
            }
            return sum;
        } catch (IOException e) {
            return -1;
        }
    }
}
