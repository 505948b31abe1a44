package io.dmarclens.index;

import io.dmarclens.store.Store;
import io.dmarclens.store.contract.ReadModelContract;
import java.nio.file.Path;
import java.time.Clock;

/** The store contract on every read model over the sample reports, run by the embedded store on real SQLite and Lucene files. */
class EmbeddedStoreReadModelContractTest extends ReadModelContract {
    @Override
    protected Store openStore(Path dir, Clock clock) {
        return EmbeddedStore.open(dir, clock);
    }
}
