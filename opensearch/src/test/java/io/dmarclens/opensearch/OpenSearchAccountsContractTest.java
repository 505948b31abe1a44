package io.dmarclens.opensearch;

import io.dmarclens.opensearch.testing.DropIndicesAfterClass;
import io.dmarclens.opensearch.testing.OpenSearchTestNode;
import io.dmarclens.store.contract.AccountsContract;
import io.dmarclens.store.users.Accounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/** The accounts contract on a real OpenSearch node: two handles are two processes on one cluster. */
@ExtendWith(DropIndicesAfterClass.class)
class OpenSearchAccountsContractTest extends AccountsContract {
    private OpenSearchSettings settings;

    @BeforeEach
    void prefix(TestInfo test) {
        settings = OpenSearchTestNode.shared().settings(OpenSearchTestNode.prefix(OpenSearchAccountsContractTest.class,
                test.getTestMethod().orElseThrow().getName().toLowerCase(java.util.Locale.ROOT) + System.nanoTime()));
    }

    @Override
    protected Accounts open() {
        return OpenSearchAccounts.open(settings);
    }
}
