package io.dmarclens.index;

import io.dmarclens.store.Store;
import io.dmarclens.store.contract.QueriesContract;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The store contract on every read model over a small store worked out by hand, run by the embedded store
 * on real SQLite and Lucene files.
 */
class EmbeddedStoreQueriesContractTest extends QueriesContract {
    @Override
    protected Store openStore(Path dir, Clock clock) {
        return EmbeddedStore.open(dir, clock);
    }
}
