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
    private final HttpRequest clearCache;
    private final ObjectMapper json = new ObjectMapper();

    private NodeCpu(HttpRequest request, HttpRequest clearCache) {
        this.request = request;
        this.clearCache = clearCache;
    }

    /** The node CPU meter of the cluster, or empty when it cannot be read over plain HTTP. */
    static Optional<NodeCpu> of(OpenSearchSettings s) {
        URI base = s.urls().get(0);
        if (!"http".equals(base.getScheme())) {
            return Optional.empty();
        }
        String root = base.toString().endsWith("/") ? base.toString() : base + "/";
        HttpRequest.Builder b = authorized(HttpRequest.newBuilder(URI.create(root
                + "_nodes/stats/process?filter_path=nodes.*.process.cpu.total_in_millis")), s);
        HttpRequest.Builder clear = authorized(HttpRequest.newBuilder(URI.create(root
                + s.indexPrefix() + "-*/_cache/clear?request=true")), s).POST(HttpRequest.BodyPublishers.noBody());
        return Optional.of(new NodeCpu(b.build(), clear.build()));
    }

    private static HttpRequest.Builder authorized(HttpRequest.Builder b, OpenSearchSettings s) {
        b.timeout(Duration.ofSeconds(10));
        if (s.apiKey() != null) {
            b.header("Authorization", "ApiKey " + s.apiKey());
        } else if (s.user() != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (s.user() + ":" + (s.password() == null ? "" : s.password())).getBytes(StandardCharsets.UTF_8)));
        }
        return b;
    }

    /**
     * Empties the shard request cache of the store's indices, so that a repeated aggregation is computed again as
     * it is after every refresh of a store that receives mail; false when the cluster refused.
     */
    boolean clearRequestCache() throws InterruptedException {
        try {
            return http.send(clearCache, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
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
