package io.dmarclens.index;

import io.dmarclens.store.Store;
import io.dmarclens.store.contract.RetentionContract;
import java.nio.file.Path;

/** The store contract on retention, run by the embedded store on real SQLite and Lucene files. */
class EmbeddedStoreRetentionContractTest extends RetentionContract {
    @Override
    protected Store openStore(Path dir) {
        return EmbeddedStore.open(dir);
    }
}
