package io.dmarclens.opensearch;

import io.dmarclens.opensearch.testing.DropIndicesAfterClass;
import io.dmarclens.opensearch.testing.OpenSearchTestNode;
import io.dmarclens.store.Store;
import io.dmarclens.store.contract.QueriesContract;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The store contract on the read models over a small store worked out by hand (day splits, filters, paging,
 * sort orders, policy history), run on a real OpenSearch node (2 shards per index).
 */
@ExtendWith(DropIndicesAfterClass.class)
class OpenSearchQueriesContractTest extends QueriesContract {
    @Override
    protected Store openStore(Path dir, Clock clock) {
        OpenSearchTestNode node = OpenSearchTestNode.shared();
        return OpenSearchStore.open(node.settings(OpenSearchTestNode.prefix(getClass(), dir)), clock);
    }
}
