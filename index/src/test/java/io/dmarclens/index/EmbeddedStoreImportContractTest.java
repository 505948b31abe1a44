package io.dmarclens.index;

import io.dmarclens.store.Store;
import io.dmarclens.store.contract.ImportContract;
import java.nio.file.Path;

/** The store contract on imports and duplicates, run by the embedded store on real SQLite and Lucene files. */
class EmbeddedStoreImportContractTest extends ImportContract {
    @Override
    protected Store openStore(Path dir) {
        return EmbeddedStore.open(dir);
    }
}
