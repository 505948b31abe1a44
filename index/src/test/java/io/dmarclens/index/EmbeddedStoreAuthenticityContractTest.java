package io.dmarclens.index;

import io.dmarclens.store.Store;
import io.dmarclens.store.contract.AuthenticityContract;
import java.nio.file.Path;
import java.time.Clock;

/** The store contract on report authenticity, run by the embedded store on real SQLite and Lucene files. */
class EmbeddedStoreAuthenticityContractTest extends AuthenticityContract {
    @Override
    protected Store openStore(Path dir, Clock clock) {
        return EmbeddedStore.open(dir, clock);
    }
}
