package io.dmarclens.app.cli;

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
 * Requests to the admin API of a benchmark's OpenSearch node, signed in as the settings say. Plain HTTP only (a
 * benchmark's local node): over HTTPS there is none, and what needs it is left out.
 */
final class NodeHttp {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final OpenSearchSettings settings;
    private final String root;

    private NodeHttp(OpenSearchSettings settings, String root) {
        this.settings = settings;
        this.root = root;
    }

    /** The first node of {@code s}, or empty when it is not reached over plain HTTP. */
    static Optional<NodeHttp> of(OpenSearchSettings s) {
        URI base = s.urls().get(0);
        if (!"http".equals(base.getScheme())) {
            return Optional.empty();
        }
        return Optional.of(new NodeHttp(s, base.toString().endsWith("/") ? base.toString() : base + "/"));
    }

    /** The store's index prefix. */
    String indexPrefix() {
        return settings.indexPrefix();
    }

    /** A request to {@code path} (after the node's root), signed in. */
    HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(root + path)).timeout(Duration.ofSeconds(10));
        if (settings.apiKey() != null) {
            b.header("Authorization", "ApiKey " + settings.apiKey());
        } else if (settings.user() != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((settings.user() + ":"
                    + (settings.password() == null ? "" : settings.password())).getBytes(StandardCharsets.UTF_8)));
        }
        return b;
    }

    <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body)
            throws IOException, InterruptedException {
        return http.send(request, body);
    }
}
