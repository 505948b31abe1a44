package io.dmarclens.opensearch;

import io.dmarclens.opensearch.testing.DropIndicesAfterClass;
import io.dmarclens.opensearch.testing.OpenSearchTestNode;
import io.dmarclens.store.cluster.Coordination;
import io.dmarclens.store.contract.CoordinationContract;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtendWith;

/** The node registry and the leases on a real node: compare-and-set on the lease documents. */
@ExtendWith(DropIndicesAfterClass.class)
class OpenSearchCoordinationContractTest extends CoordinationContract {
    @Override
    protected Coordination open(Path dir) {
        return OpenSearchCoordination.open(OpenSearchTestNode.shared().settings(
                OpenSearchTestNode.prefix(OpenSearchCoordinationContractTest.class, dir)));
    }
}
