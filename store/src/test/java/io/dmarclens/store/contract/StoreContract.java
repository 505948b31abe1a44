package io.dmarclens.store.contract;

import io.dmarclens.store.Clocks;
import io.dmarclens.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The base of the store contract kit: abstract tests that every {@link Store} implementation runs, the way
 * every Lucene {@code Directory} runs {@code BaseDirectoryTestCase}. An implementation subclasses each
 * area's contract ({@link ImportContract}, {@link ReadModelContract}, {@link QueriesContract},
 * {@link SearchContract}, {@link RetentionContract}, {@link EnrichmentContract}, {@link CommitContract},
 * {@link AuthenticityContract}, {@link ReindexContract})
 * and says how to open a store. The kit works out what the store must answer from the reports it imports
 * (parsing the sample reports with the parser and summing) or, on small stores, by hand in comments, so
 * that a new implementation needs no numbers of its own.
 */
public abstract class StoreContract {
    /** A fresh directory per test, for stores that keep files. */
    @TempDir
    protected Path dir;

    private final List<Store> opened = new ArrayList<>();

    /**
     * Opens the store under test in {@code dir}: empty when the directory is new, with what was stored
     * before when it was used by a store closed since. The store reads the time from {@code clock} (when it
     * stamps what it receives, when it judges expiry).
     */
    protected abstract Store openStore(Path dir, Clock clock);

    /** Opens a store on the system clock (see {@link #openStore}) that the kit closes after the test. */
    protected final Store open(Path dir) {
        return open(dir, Clocks.system());
    }

    /** Opens a store on {@code clock} (see {@link #openStore}) that the kit closes after the test. */
    protected final Store open(Path dir, Clock clock) {
        Store s = openStore(dir, clock);
        opened.add(s);
        return s;
    }

    /** Takes a store opened outside {@link #open} (by a subclass's hook) under the kit's care: closed after the test. */
    protected final Store adopt(Store store) {
        opened.add(store);
        return store;
    }

    /** Closes {@code store} now (e.g. to open it again); closing twice is harmless to the kit. */
    protected final void close(Store store) {
        if (opened.remove(store)) {
            store.close();
        }
    }

    @AfterEach
    void closeStores() {
        for (Store s : List.copyOf(opened)) {
            close(s);
        }
    }
}
