package io.dmarclens.opensearch;

import io.dmarclens.opensearch.testing.DropIndicesAfterClass;
import io.dmarclens.opensearch.testing.OpenSearchTestNode;
import io.dmarclens.store.contract.SharedLoginsContract;
import io.dmarclens.store.users.Accounts;
import org.junit.jupiter.api.extension.ExtendWith;

/** Sessions and login counters on a real node: two connections on one index prefix stand for two nodes. */
@ExtendWith(DropIndicesAfterClass.class)
class OpenSearchSharedLoginsContractTest extends SharedLoginsContract {
    private final long run = System.nanoTime();

    @Override
    protected Accounts open(String name) {
        return OpenSearchAccounts.open(OpenSearchTestNode.shared().settings(
                OpenSearchTestNode.prefix(OpenSearchSharedLoginsContractTest.class, name + run)));
    }
}
