package io.dmarclens.store.cluster;

import io.dmarclens.store.contract.CoordinationContract;
import java.nio.file.Path;

/** The embedded store's coordination (one node, in memory) keeps the same rules as a shared one. */
class SingleNodeCoordinationTest extends CoordinationContract {
    @Override
    protected Coordination open(Path dir) {
        return new SingleNode();
    }
}
