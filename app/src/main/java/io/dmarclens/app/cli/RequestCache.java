package io.dmarclens.app.cli;

import io.dmarclens.opensearch.OpenSearchSettings;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;

/**
 * The shard request cache of the store's indices on a benchmark's OpenSearch node, emptied before each timed
 * query so that a repeated aggregation is computed again, as it is after every refresh of a store that receives
 * mail. Plain HTTP only, as {@link NodeHttp}.
 */
final class RequestCache {
    private final NodeHttp node;
    private final HttpRequest clear;

    private RequestCache(NodeHttp node) {
        this.node = node;
        this.clear = node.request(node.indexPrefix() + "-*/_cache/clear?request=true")
                .POST(HttpRequest.BodyPublishers.noBody()).build();
    }

    /** The request cache of the store of {@code s}, or empty when the node is not reached over plain HTTP. */
    static Optional<RequestCache> of(OpenSearchSettings s) {
        return NodeHttp.of(s).map(RequestCache::new);
    }

    /** Empties it; false when the cluster refused. */
    boolean clear() throws InterruptedException {
        try {
            return node.send(clear, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }
}
