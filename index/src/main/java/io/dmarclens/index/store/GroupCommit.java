package io.dmarclens.index.store;

import io.dmarclens.store.query.DaySplit;
import io.dmarclens.store.StoreCommit;
import io.dmarclens.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Commits of the writer's transaction, grouped: many small reports cost one commit instead of one each,
 * so each index page they touch is written once (see {@link Database#deferCommit}). Holds the group's
 * rollups until just before its commit, hands the staged records, the reports it deleted and what was
 * committed to the listeners after it, and counts the groups lost. Guarded by the write lock, except {@link #failedGroups()}.
 */
final class GroupCommit {
    /** A group of deferred commits is committed once it holds this many rows or is this old. */
    private static final long GROUP_MAX_ROWS = 250_000;
    private static final long GROUP_MAX_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** Grouped rollup rows are written early (still inside the group) past this many, to bound the heap. */
    private static final int GROUP_MAX_ROLLUP_ROWS = 20_000;

    private final Connection writer;
    private final IndexStaging staging;
    private Consumer<List<CommittedRecord>> commitListener = records -> { };
    private Consumer<StoreCommit> storeCommitListener = commit -> { };
    // Search keys of reports the open transaction deleted (a partial copy replaced), dropped from the search
    // index once it commits (see deferDeleted).
    private Consumer<List<String>> deletedListener = keys -> { };
    private List<String> transactionDeleted = new ArrayList<>();
    // Records, failure and TLS reports and policy domains of the transaction's reports, staged for the index or not.
    private long transactionRecords;
    private long transactionFailureReports;
    private long transactionTlsReports;
    private final Set<String> transactionDomains = new HashSet<>();
    private boolean groupOpen;
    private long groupRows;
    private long groupSince;
    private StoreException groupFailure;
    // Rollups of the group's reports, written once just before the group's commit (see deferRollups).
    private final DailyRollups groupRollups = new DailyRollups();
    /** Groups lost so far (commit failed or rolled back); read without the lock. */
    private volatile long failedGroups;

    GroupCommit(Connection writer, IndexStaging staging) {
        this.writer = writer;
        this.staging = staging;
    }

    /** See {@link Database#onCommit}. */
    void onCommit(Consumer<List<CommittedRecord>> listener) {
        this.commitListener = listener;
    }

    /** See {@link Database#onStoreCommit}. */
    void onStoreCommit(Consumer<StoreCommit> listener) {
        this.storeCommitListener = listener;
    }

    /** See {@link Database#onDeleted}. */
    void onDeleted(Consumer<List<String>> listener) {
        this.deletedListener = listener;
    }

    /** See {@link Database#deferDeleted}. */
    void deferDeleted(String reportKey) {
        transactionDeleted.add(reportKey);
    }

    /** See {@link Database#deleted}. */
    void deleted(List<String> reportKeys) {
        if (!reportKeys.isEmpty()) {
            deletedListener.accept(reportKeys);
        }
    }

    /** See {@link Database#writePendingRollups}. */
    void writePendingRollups() throws SQLException {
        writeRollups();
    }

    /** See {@link Database#deferCommitted}. */
    void deferCommitted(String policyDomain, long records) {
        transactionRecords += records;
        transactionDomains.add(policyDomain);
    }

    /** See {@link Database#deferCommittedFailure}. */
    void deferCommittedFailure(Collection<String> reportedDomains) {
        transactionFailureReports++;
        transactionDomains.addAll(reportedDomains);
    }

    /** See {@link Database#deferCommittedTls}. */
    void deferCommittedTls(Collection<String> policyDomains) {
        transactionTlsReports++;
        transactionDomains.addAll(policyDomains);
    }

    /** What the transaction committed (or lost), taken for its listeners. */
    private StoreCommit takeCommitted() {
        StoreCommit commit = new StoreCommit(transactionRecords, transactionFailureReports, transactionTlsReports,
                transactionDomains);
        transactionRecords = 0;
        transactionFailureReports = 0;
        transactionTlsReports = 0;
        transactionDomains.clear();
        return commit;
    }

    /**
     * A transaction outside the group ({@link Database#write}) committed: tells the listeners what it stored,
     * when it stored reports.
     */
    void committedAlone() {
        tellStoreListeners();
    }

    /** Hands what the committed transaction stored to the listeners, unless it stored nothing (all duplicates). */
    private void tellStoreListeners() {
        StoreCommit commit = takeCommitted();
        if (!commit.isEmpty()) {
            storeCommitListener.accept(commit);
        }
    }

    /** See {@link Database#deferCommit}. */
    void defer(long rows) {
        if (!groupOpen) {
            groupOpen = true;
            groupSince = System.nanoTime();
            groupRows = 0;
        }
        groupRows += rows;
        if (groupRollups.size() > GROUP_MAX_ROLLUP_ROWS) {
            try {
                writeRollups(); // between reports, so no report's savepoint can take them back
            } catch (SQLException e) {
                rollbackQuietly();
                groupFailure = new StoreException("cannot write the rollups of imported reports: " + e.getMessage()
                        + " (they are not stored; import them again)", e);
                throw groupFailure;
            }
        }
        if (groupRows >= GROUP_MAX_ROWS || System.nanoTime() - groupSince >= GROUP_MAX_NANOS) {
            commitGroup();
        }
    }

    /** See {@link Database#deferRollups}. */
    void deferRollups(Rollups rollups, DaySplit split) {
        rollups.spread(split, groupRollups);
    }

    /** Writes the group's pending rollups into the open transaction. */
    private void writeRollups() throws SQLException {
        if (!groupRollups.isEmpty()) {
            try {
                groupRollups.write(writer, 1);
            } finally {
                groupRollups.clear();
            }
        }
    }

    /** Commits the writer's open transaction now, with the group's pending rollups, and tells the listeners. */
    void commitNow() throws SQLException {
        writeRollups();
        writer.commit();
        groupOpen = false;
        commitListener.accept(staging.committed());
        if (!transactionDeleted.isEmpty()) {
            List<String> deleted = transactionDeleted;
            transactionDeleted = new ArrayList<>();
            deletedListener.accept(deleted); // after the records above, so the indexer adds before it deletes
        }
        tellStoreListeners();
    }

    /** Whether grouped work is waiting for its commit. */
    boolean isOpen() {
        return groupOpen;
    }

    /**
     * Commits the group now.
     *
     * @throws StoreException when the commit failed (the group is rolled back and counted as lost)
     */
    void commitGroup() {
        try {
            commitNow();
        } catch (SQLException e) {
            rollbackQuietly(); // counts the lost group
            groupFailure = new StoreException("cannot commit imported reports: " + e.getMessage()
                    + " (they are not stored; import them again)", e);
            throw groupFailure;
        }
    }

    /** Commits the group when it went quiet for longer than a group may wait (e.g. its importer waits for input). */
    void commitIfStale() {
        if (groupOpen && System.nanoTime() - groupSince >= GROUP_MAX_NANOS) {
            commitGroup();
        }
    }

    /** The failure of a group commit not reported yet, cleared; null when there is none. */
    StoreException takeFailure() {
        StoreException failure = groupFailure;
        groupFailure = null;
        return failure;
    }

    /** See {@link Database#failedGroups()}. */
    long failedGroups() {
        return failedGroups;
    }

    /** Rolls the writer's transaction back; an open group is lost (counted, and reported by the next flush). */
    void rollbackQuietly() {
        try {
            writer.rollback();
        } catch (SQLException ignored) {
            // the original failure is the one worth reporting
        }
        groupRollups.clear();
        staging.rolledBack();
        transactionDeleted.clear();
        takeCommitted();
        if (groupOpen) {
            groupOpen = false;
            failedGroups++;
            groupFailure = new StoreException("imported reports waiting for their grouped commit were rolled back"
                    + " after a database failure (they are not stored; import them again)");
        }
    }

    /** Commits what is pending as the store closes (without telling the listener: the index is closed). */
    void commitOnClose() throws SQLException {
        writeRollups();
        writer.commit();
        groupOpen = false;
        takeCommitted();
    }
}
