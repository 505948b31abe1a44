package io.dmarclens.opensearch;

import io.dmarclens.opensearch.testing.OpenSearchTestNode;
import io.dmarclens.store.Store;
import io.dmarclens.store.contract.AuthenticityContract;
import java.nio.file.Path;
import java.time.Clock;

/** The store contract on the verdict of reports' origin (lists, figures, policy history, search), on a real node. */
class OpenSearchAuthenticityContractTest extends AuthenticityContract {
    @Override
    protected Store openStore(Path dir, Clock clock) {
        OpenSearchTestNode node = OpenSearchTestNode.shared();
        return OpenSearchStore.open(node.settings(OpenSearchTestNode.prefix(getClass(), dir)), clock);
    }
}
