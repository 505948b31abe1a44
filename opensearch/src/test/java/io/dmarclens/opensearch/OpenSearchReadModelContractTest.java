package io.dmarclens.opensearch;

import io.dmarclens.opensearch.testing.DropIndicesAfterClass;
import io.dmarclens.opensearch.testing.OpenSearchTestNode;
import io.dmarclens.store.Store;
import io.dmarclens.store.contract.ReadModelContract;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.extension.ExtendWith;

/** The store contract on every read model over the sample reports, run on a real OpenSearch node (2 shards per index). */
@ExtendWith(DropIndicesAfterClass.class)
class OpenSearchReadModelContractTest extends ReadModelContract {
    @Override
    protected Store openStore(Path dir, Clock clock) {
        OpenSearchTestNode node = OpenSearchTestNode.shared();
        return OpenSearchStore.open(node.settings(OpenSearchTestNode.prefix(getClass(), dir)), clock);
    }
}
