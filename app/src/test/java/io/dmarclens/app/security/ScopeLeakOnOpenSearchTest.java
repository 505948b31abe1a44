package io.dmarclens.app.security;

import io.dmarclens.opensearch.OpenSearchStore;
import io.dmarclens.opensearch.testing.DropIndicesAfterClass;
import io.dmarclens.opensearch.testing.OpenSearchTestNode;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The leak test of #12 on a real OpenSearch node (2 shards per index; the reference and empty stores stay
 * embedded). Imports into OpenSearch are slow (docs/performance.md), so this store holds the small world (six
 * made-up domains, every kind of report) and the crawl is shorter; alerts are off, since their scope is the web
 * layer's and the embedded run covers it.
 */
@ExtendWith(DropIndicesAfterClass.class)
class ScopeLeakOnOpenSearchTest extends ScopeLeakContract {
    @Override
    ScopeServer.Opener opener() {
        OpenSearchTestNode node = OpenSearchTestNode.shared();
        return (data, clock) -> OpenSearchStore.open(node.settings(OpenSearchTestNode.prefix(getClass(), data)), clock);
    }

    @Override
    Extent extent() {
        return new Extent(ScopeWorld.small(), false, 45, 4, 9);
    }
}
