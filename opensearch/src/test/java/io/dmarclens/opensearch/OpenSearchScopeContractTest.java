package io.dmarclens.opensearch;

import io.dmarclens.opensearch.testing.OpenSearchTestNode;
import io.dmarclens.store.Store;
import io.dmarclens.store.contract.ScopeContract;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The store contract on per-domain scope (every read model of a scoped store equals the store of the scope's
 * domains alone), run on a real OpenSearch node: two stores under index prefixes of their own.
 */
@ExtendWith(DropIndicesAfterClass.class)
class OpenSearchScopeContractTest extends ScopeContract {
    @Override
    protected Store openStore(Path dir, Clock clock) {
        OpenSearchTestNode node = OpenSearchTestNode.shared();
        return OpenSearchStore.open(node.settings(OpenSearchTestNode.prefix(getClass(), dir)), clock);
    }
}
