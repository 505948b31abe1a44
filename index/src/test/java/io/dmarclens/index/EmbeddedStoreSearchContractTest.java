package io.dmarclens.index;

import io.dmarclens.store.Store;
import io.dmarclens.store.contract.SearchContract;
import java.nio.file.Path;

/** The store contract on search, run by the embedded store on real SQLite and Lucene files. */
class EmbeddedStoreSearchContractTest extends SearchContract {
    @Override
    protected Store openStore(Path dir) {
        return EmbeddedStore.open(dir);
    }
}
