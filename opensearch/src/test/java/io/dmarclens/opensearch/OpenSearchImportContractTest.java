package io.dmarclens.opensearch;

import io.dmarclens.opensearch.testing.DropIndicesAfterClass;
import io.dmarclens.opensearch.testing.OpenSearchTestNode;
import io.dmarclens.store.Store;
import io.dmarclens.store.contract.ImportContract;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.extension.ExtendWith;

/** The store contract on imports (what a batch says it stored, duplicates, aborted and grouped reports), run by the OpenSearch store on the shared real node (2 shards per index). */
@ExtendWith(DropIndicesAfterClass.class)
class OpenSearchImportContractTest extends ImportContract {
    @Override
    protected Store openStore(Path dir, Clock clock) {
        // The same directory gives the same prefix: a test that closes its store and opens it again sees its data.
        OpenSearchTestNode node = OpenSearchTestNode.shared();
        return OpenSearchStore.open(node.settings(OpenSearchTestNode.prefix(getClass(), dir)), clock);
    }
}
