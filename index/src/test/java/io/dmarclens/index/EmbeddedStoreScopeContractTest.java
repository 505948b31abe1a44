package io.dmarclens.index;

import io.dmarclens.store.Store;
import io.dmarclens.store.contract.ScopeContract;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The store contract on per-domain scope (every read model of a scoped store equals the store of the scope's
 * domains alone), run by the embedded store on real SQLite and Lucene files.
 */
class EmbeddedStoreScopeContractTest extends ScopeContract {
    @Override
    protected Store openStore(Path dir, Clock clock) {
        return EmbeddedStore.open(dir, clock);
    }
}
