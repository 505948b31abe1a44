package io.dmarclens.index;

import io.dmarclens.store.Store;
import io.dmarclens.store.contract.RetentionContract;
import java.nio.file.Path;
import java.time.Clock;

/** The store contract on retention, run by the embedded store on real SQLite and Lucene files. */
class EmbeddedStoreRetentionContractTest extends RetentionContract {
    @Override
    protected Store openStore(Path dir, Clock clock) {
        return EmbeddedStore.open(dir, clock);
    }
}
