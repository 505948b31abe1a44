package io.dmarclens.index;

import io.dmarclens.store.Store;
import io.dmarclens.store.contract.CommitContract;
import java.nio.file.Path;

/** The store contract on commit listeners and durable commits, run by the embedded store on real SQLite and Lucene files. */
class EmbeddedStoreCommitContractTest extends CommitContract {
    @Override
    protected Store openStore(Path dir) {
        return EmbeddedStore.open(dir);
    }
}
