package io.dmarclens.index.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Committed records kept in memory for the search index, so that it need not read them back from the
 * database; bounded, past which the index reads the rest back. Records of the open transaction wait here
 * until it commits (then they are handed over) or rolls back (then they are dropped). Guarded by the
 * write lock, except {@link #release}, which the indexer calls.
 */
final class IndexStaging {
    private final int maxStagedRecords;
    // Records of the transaction's reports, and those handed over and not yet indexed (the indexer counts
    // them down).
    private List<CommittedRecord> pending = new ArrayList<>();
    private boolean stopped;
    private final AtomicLong outstanding = new AtomicLong();

    IndexStaging(int maxStagedRecords) {
        this.maxStagedRecords = maxStagedRecords;
    }

    /** See {@link Database#mayStage}. */
    boolean mayStage(int reportStaged) {
        return !stopped && outstanding.get() + pending.size() + reportStaged < maxStagedRecords;
    }

    /** A report of the transaction is not staged: neither are its later reports (they are read back). */
    void stop() {
        stopped = true;
    }

    /** Adds a report's records, in id order, to those handed over at the commit. */
    void defer(List<CommittedRecord> records) {
        if (!stopped) {
            pending.addAll(records);
        }
    }

    /** The transaction committed: its staged records, now counted as outstanding until the indexer releases them. */
    List<CommittedRecord> committed() {
        List<CommittedRecord> staged = pending;
        pending = new ArrayList<>();
        stopped = false;
        outstanding.addAndGet(staged.size());
        return staged;
    }

    /** The transaction rolled back: its staged records are dropped. */
    void rolledBack() {
        pending.clear();
        stopped = false;
    }

    /** The search index is done with {@code count} staged records. */
    void release(long count) {
        outstanding.addAndGet(-count);
    }
}
