package io.dmarclens.index;

import io.dmarclens.store.Store;
import io.dmarclens.store.contract.ReindexContract;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.ReportSort;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The store contract on reindex, run by the embedded store on real SQLite and Lucene files. Its derived view
 * is the Lucene index; an index of an older version is rebuilt when the store opens, so the older-version
 * case does not apply.
 */
class EmbeddedStoreReindexContractTest extends ReindexContract {
    @Override
    protected Store openStore(Path dir, Clock clock) {
        return EmbeddedStore.open(dir, clock);
    }

    /** Deletes the search documents of every report from the index while the store runs. */
    @Override
    protected Store damageDerivedViews(Path dir, Store store) {
        List<String> keys = new ArrayList<>();
        store.reports().reports(ReportFilter.all(), ReportSort.NEWEST, Page.first(1_000)).forEach(r -> keys.add("a" + r.id()));
        store.failureReports().failureReports(ReportFilter.all(), Page.first(1_000)).forEach(f -> keys.add("f" + f.id()));
        store.tlsReports().tlsReports(ReportFilter.all(), Page.first(1_000)).forEach(t -> keys.add("t" + t.id()));
        ((EmbeddedStore) store).searchIndex().deleteReports(keys);
        return store;
    }
}
