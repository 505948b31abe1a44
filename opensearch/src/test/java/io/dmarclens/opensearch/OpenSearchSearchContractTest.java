package io.dmarclens.opensearch;

import io.dmarclens.opensearch.testing.DropIndicesAfterClass;
import io.dmarclens.opensearch.testing.OpenSearchTestNode;
import io.dmarclens.store.Store;
import io.dmarclens.store.contract.SearchContract;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.extension.ExtendWith;

/** The store contract on search, run by the OpenSearch store on a real node. */
@ExtendWith(DropIndicesAfterClass.class)
class OpenSearchSearchContractTest extends SearchContract {
    @Override
    protected Store openStore(Path dir, Clock clock) {
        OpenSearchTestNode node = OpenSearchTestNode.shared();
        return OpenSearchStore.open(node.settings(OpenSearchTestNode.prefix(getClass(), dir)), clock);
    }
}
