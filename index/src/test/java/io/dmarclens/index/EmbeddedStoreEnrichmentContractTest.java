package io.dmarclens.index;

import io.dmarclens.store.Store;
import io.dmarclens.store.contract.EnrichmentContract;
import java.nio.file.Path;
import java.time.Clock;

/** The store contract on sender updates, reclassification and the PTR cache, run by the embedded store on real SQLite and Lucene files. */
class EmbeddedStoreEnrichmentContractTest extends EnrichmentContract {
    @Override
    protected Store openStore(Path dir, Clock clock) {
        return EmbeddedStore.open(dir, clock);
    }
}
