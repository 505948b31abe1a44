package io.dmarclens.index;

import io.dmarclens.store.Store;
import io.dmarclens.store.contract.ImportContract;
import java.nio.file.Path;
import java.time.Clock;

/** The store contract on imports and duplicates, run by the embedded store on real SQLite and Lucene files. */
class EmbeddedStoreImportContractTest extends ImportContract {
    @Override
    protected Store openStore(Path dir, Clock clock) {
        return EmbeddedStore.open(dir, clock);
    }
}
