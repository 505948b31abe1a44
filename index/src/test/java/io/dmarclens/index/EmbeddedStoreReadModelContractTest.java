package io.dmarclens.index;

import io.dmarclens.store.Store;
import io.dmarclens.store.contract.ReadModelContract;
import java.nio.file.Path;

/** The store contract on every read model over the sample reports, run by the embedded store on real SQLite and Lucene files. */
class EmbeddedStoreReadModelContractTest extends ReadModelContract {
    @Override
    protected Store openStore(Path dir) {
        return EmbeddedStore.open(dir);
    }
}
