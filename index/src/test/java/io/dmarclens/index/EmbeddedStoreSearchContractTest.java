package io.dmarclens.index;

import io.dmarclens.store.Store;
import io.dmarclens.store.contract.SearchContract;
import java.nio.file.Path;
import java.time.Clock;

/** The store contract on search, run by the embedded store on real SQLite and Lucene files. */
class EmbeddedStoreSearchContractTest extends SearchContract {
    @Override
    protected Store openStore(Path dir, Clock clock) {
        return EmbeddedStore.open(dir, clock);
    }
}
