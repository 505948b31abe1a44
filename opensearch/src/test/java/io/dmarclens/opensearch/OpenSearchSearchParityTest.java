package io.dmarclens.opensearch;

import io.dmarclens.index.EmbeddedStore;
import io.dmarclens.opensearch.testing.DropIndicesAfterClass;
import io.dmarclens.opensearch.testing.OpenSearchTestNode;
import io.dmarclens.store.Store;
import io.dmarclens.store.contract.SearchParityContract;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.extension.ExtendWith;

/** Search on the OpenSearch store against the embedded store, both holding sample-reports/. */
@ExtendWith(DropIndicesAfterClass.class)
class OpenSearchSearchParityTest extends SearchParityContract {
    @Override
    protected Store openStore(Path dir, Clock clock) {
        OpenSearchTestNode node = OpenSearchTestNode.shared();
        return OpenSearchStore.open(node.settings(OpenSearchTestNode.prefix(getClass(), dir)), clock);
    }

    @Override
    protected Store openReference(Path dir, Clock clock) {
        return EmbeddedStore.open(dir, clock);
    }
}
