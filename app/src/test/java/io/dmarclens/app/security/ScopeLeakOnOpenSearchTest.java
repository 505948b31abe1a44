package io.dmarclens.app.security;

import io.dmarclens.opensearch.OpenSearchStore;
import io.dmarclens.opensearch.testing.DropIndicesAfterClass;
import io.dmarclens.opensearch.testing.OpenSearchTestNode;
import org.junit.jupiter.api.extension.ExtendWith;

/** The leak test of #12 on a real OpenSearch node (2 shards per index), the reference still embedded. */
@ExtendWith(DropIndicesAfterClass.class)
class ScopeLeakOnOpenSearchTest extends ScopeLeakContract {
    @Override
    ScopeServer.Opener opener() {
        OpenSearchTestNode node = OpenSearchTestNode.shared();
        return (data, clock) -> OpenSearchStore.open(node.settings(OpenSearchTestNode.prefix(getClass(), data)), clock);
    }
}
