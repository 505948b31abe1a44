package io.dmarclens.index;

import io.dmarclens.store.Store;
import io.dmarclens.store.contract.CommitContract;
import java.nio.file.Path;
import java.time.Clock;

/** The store contract on commit listeners and durable commits, run by the embedded store on real SQLite and Lucene files. */
class EmbeddedStoreCommitContractTest extends CommitContract {
    @Override
    protected Store openStore(Path dir, Clock clock) {
        return EmbeddedStore.open(dir, clock);
    }
}
