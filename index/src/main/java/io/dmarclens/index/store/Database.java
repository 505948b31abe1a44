package io.dmarclens.index.store;

import io.dmarclens.store.query.DaySplit;
import io.dmarclens.index.schema.Migrations;
import io.dmarclens.store.StoreCommit;
import io.dmarclens.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The SQLite file {@code dmarc-lens.db}: one writer connection guarded by a lock (SQLite allows one
 * writer at a time anyway) and a small pool of reader connections, which WAL mode lets run beside the
 * writer. Its jobs have classes of their own: {@link SqliteConnections} opens connections,
 * {@link ReaderPool} lends readers, {@link GroupCommit} groups the writer's commits, {@link IndexStaging}
 * keeps committed records for the search index and {@link WalCheckpoints} looks after the write-ahead log.
 * Internal to the store; use {@link io.dmarclens.index.EmbeddedStore}.
 */
public final class Database implements AutoCloseable {
    /** File name of the database inside the data directory. */
    public static final String FILE_NAME = "dmarc-lens.db";
    private static final int READERS = 4;
    private static final long WAL_LIMIT_BYTES = 256L << 20;
    /**
     * At most this many committed records wait in memory for the search index (about 16 MiB); past it, the
     * index reads the rest back from the database.
     */
    private static final int MAX_STAGED_RECORDS = 20_000;

    private final Connection writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReaderPool readers;
    private final IndexStaging staging;
    private final GroupCommit group;
    private final WalCheckpoints checkpoints;

    private Database(SqliteConnections connections, Path walFile, long walLimitBytes, int maxStagedRecords,
                     Connection writer, Connection checkpointer) {
        this.writer = writer;
        this.readers = new ReaderPool(connections, READERS);
        this.staging = new IndexStaging(maxStagedRecords);
        this.group = new GroupCommit(writer, staging);
        if (writer == null) {
            this.checkpoints = null; // read-only: the process that writes checkpoints
            return;
        }
        this.checkpoints = new WalCheckpoints(walFile, walLimitBytes, checkpointer, writeLock, group);
        checkpoints.start();
    }

    /** Opens (creating when needed) and migrates the database in {@code dataDir}. */
    public static Database open(Path dataDir) {
        return open(dataDir, WAL_LIMIT_BYTES);
    }

    /** As {@link #open(Path)}, truncating the write-ahead log when it grows past {@code walLimitBytes}. */
    static Database open(Path dataDir, long walLimitBytes) {
        return open(dataDir, walLimitBytes, MAX_STAGED_RECORDS);
    }

    /** As {@link #open(Path, long)}, keeping at most {@code maxStagedRecords} records for the search index. */
    static Database open(Path dataDir, long walLimitBytes, int maxStagedRecords) {
        Path file = dataDir.resolve(FILE_NAME);
        SqliteConnections connections = new SqliteConnections(file);
        try {
            Connection writer = connections.openWriter();
            Migrations.migrate(writer);
            try (var st = writer.createStatement()) {
                st.execute("PRAGMA wal_autocheckpoint = 0");
            }
            writer.setAutoCommit(false);
            return new Database(connections, dataDir.resolve(FILE_NAME + "-wal"), walLimitBytes, maxStagedRecords,
                    writer, connections.openCheckpointer());
        } catch (SQLException e) {
            throw new StoreException("cannot open the database " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens the database in {@code dataDir} for reading only: no writer, no migration, no checkpoints, so
     * it works beside a running {@code serve} (WAL mode lets readers run beside the writer) and never
     * creates a database where there was none.
     *
     * @throws StoreException when there is no database, or it is of another schema version than this build's
     */
    public static Database openReadOnly(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new StoreException("no store in " + dataDir.toAbsolutePath() + " (no " + FILE_NAME
                    + "): check --data, or import reports first");
        }
        SqliteConnections connections = new SqliteConnections(file);
        int version;
        try (Connection c = connections.openReader()) {
            version = Migrations.recordedVersion(c);
        } catch (SQLException e) {
            throw new StoreException("cannot read the database " + file + ": " + e.getMessage(), e);
        }
        if (version == 0) {
            throw new StoreException(file + " is not a DMARC Lens database (it records no schema version)");
        }
        if (version > Migrations.latestVersion()) {
            throw new StoreException("the database " + file + " has schema version " + version
                    + " but this DMARC Lens only knows up to " + Migrations.latestVersion() + ": upgrade DMARC Lens");
        }
        if (version < Migrations.latestVersion()) {
            throw new StoreException("the database " + file + " has schema version " + version + ", older than this"
                    + " DMARC Lens's " + Migrations.latestVersion() + ": start serve (or import) once to upgrade it,"
                    + " then read it");
        }
        return new Database(connections, dataDir.resolve(FILE_NAME + "-wal"), WAL_LIMIT_BYTES, MAX_STAGED_RECORDS,
                null, null);
    }

    /** Whether this database was opened with {@link #openReadOnly} (there is no writer). */
    public boolean readOnly() {
        return writer == null;
    }

    private static StoreException readOnlyWrite() {
        return new StoreException("the store is open for reading only");
    }

    /** The writer connection; callers must hold {@link #writeLock()} and commit or roll back themselves. */
    public Connection writer() {
        if (writer == null) {
            throw readOnlyWrite();
        }
        return writer;
    }

    public ReentrantLock writeLock() {
        return writeLock;
    }

    /** Borrows a read-only connection; give it back with {@link #release(Connection)}. */
    public Connection reader() {
        return readers.borrow();
    }

    public void release(Connection c) {
        readers.release(c);
    }

    /** Runs work on a borrowed reader connection. */
    public <T> T read(SqlFunction<Connection, T> work) {
        Connection c = reader();
        try {
            return work.apply(c);
        } catch (SQLException e) {
            throw new StoreException("database query failed: " + e.getMessage(), e);
        } finally {
            release(c);
        }
    }

    /**
     * Called after every commit that holds imported rows (the search index catches up on it), with the
     * records it committed that were staged for the index (see {@link #deferStaged}), in id order.
     */
    public void onCommit(Consumer<List<CommittedRecord>> listener) {
        group.onCommit(listener);
    }

    /**
     * Called after every commit that holds imported rows, after {@link #onCommit}'s listener, with the
     * records and policy domains of the aggregate reports it committed (see {@link #deferCommitted}),
     * whether or not they were staged for the index; and after every {@link #write} that stored failure or
     * TLS reports (see {@link #deferCommittedFailure}, {@link #deferCommittedTls}).
     */
    public void onStoreCommit(Consumer<StoreCommit> listener) {
        group.onStoreCommit(listener);
    }

    /**
     * Counts an aggregate report's records and policy domain for the listeners of the commit that stores
     * it. Call when the report can no longer roll back on its own, as {@link #deferStaged}; a rollback of
     * the transaction drops them. The caller holds the write lock.
     */
    void deferCommitted(String policyDomain, long records) {
        group.deferCommitted(policyDomain, records);
    }

    /**
     * Counts a failure report and its reported domains for the listeners of the commit that stores it. Call
     * inside the {@link #write} that stores it; a rollback drops it.
     */
    void deferCommittedFailure(Collection<String> reportedDomains) {
        group.deferCommittedFailure(reportedDomains);
    }

    /**
     * Counts a TLS report and its policy domains for the listeners of the commit that stores it. Call inside
     * the {@link #write} that stores it; a rollback drops it.
     */
    void deferCommittedTls(Collection<String> policyDomains) {
        group.deferCommittedTls(policyDomains);
    }

    /**
     * Called after a commit that deleted reports (a partial copy replaced by a more complete one), with
     * their search keys ("a" + aggregate id, "t" + TLS id), so the search index drops their documents.
     */
    public void onDeleted(Consumer<List<String>> listener) {
        group.onDeleted(listener);
    }

    /**
     * The open transaction deletes a report: its search key goes to the listener when the transaction
     * commits (a rollback forgets it). The caller holds the write lock.
     */
    void deferDeleted(String reportKey) {
        group.deferDeleted(reportKey);
    }

    /** Reports deleted by a transaction already committed: tells the listener now. */
    void deleted(List<String> reportKeys) {
        group.deleted(reportKeys);
    }

    /**
     * Writes the group's pending rollups into the open transaction now, so that a report's counts can be
     * taken back out of the rollup tables exactly (a pending count is not in them yet). Call between
     * reports, never inside a report's savepoint. The caller holds the write lock.
     */
    void writePendingRollups() throws SQLException {
        group.writePendingRollups();
    }

    /**
     * Whether the open report may keep {@code reportStaged} records in memory for the search index: not
     * when the bound on staged records is reached, nor after a report of the group was not staged (the
     * staged records of a commit must be all of its records from the first staged one on, without gaps).
     * The caller holds the write lock.
     */
    boolean mayStage(int reportStaged) {
        return staging.mayStage(reportStaged);
    }

    /** A report of the group is not staged: neither are the group's later reports (they are read back). */
    void stopStaging() {
        staging.stop();
    }

    /**
     * Hands the records of a report, in id order, to the search index when the transaction commits. Call
     * when the report can no longer roll back on its own (its savepoint released, or just before its own
     * commit); a rollback of the transaction drops them. The caller holds the write lock.
     */
    void deferStaged(List<CommittedRecord> records) {
        staging.defer(records);
    }

    /** The search index is done with {@code count} staged records. */
    public void releaseStaged(long count) {
        staging.release(count);
    }

    /**
     * Leaves the work done so far on the writer uncommitted, to be committed together with what follows:
     * many small reports then cost one commit instead of one each, so each index page they touch is
     * written once. The group is committed when it is big or old enough, by {@link #flush()}, before any
     * other write, and on close. The caller holds the write lock and has released its savepoint.
     */
    void deferCommit(long rows) {
        group.defer(rows);
    }

    /**
     * Adds a grouped report's rollups to those written just before the group's commit: reports of a group
     * share most rollup rows (same days, reporters, sources), so each row is upserted once per group instead
     * of once per report. Call after the report's savepoint is released, so that a report rolled back on its
     * own contributes nothing; then {@link #deferCommit}. The caller holds the write lock.
     */
    void deferRollups(Rollups rollups, DaySplit split) {
        group.deferRollups(rollups, split);
    }

    /**
     * Commits the writer's open transaction now, with the group's pending rollups (the caller holds the
     * write lock), and tells the listener.
     */
    void commitNow() throws SQLException {
        group.commitNow();
    }

    /** Whether grouped work is waiting for its commit (the caller holds the write lock). */
    boolean groupOpen() {
        return group.isOpen();
    }

    /**
     * How many groups of deferred commits were lost so far. {@link #flush()} reports a lost group to one
     * caller only; a caller whose reports may have been in it compares this count before and after.
     */
    public long failedGroups() {
        return group.failedGroups();
    }

    /**
     * Makes every committed transaction durable. Commits do not wait for the disk (WAL mode with
     * synchronous=NORMAL): a power cut may take back the last ones until the next checkpoint. A caller
     * about to drop its own copy of what it stored (the durable inbox) calls this first; an fsync of the
     * write-ahead log covers every commit written to it, and what a checkpoint already moved into the
     * database file was synced by that checkpoint. (SQLite keeps no locks on the log file itself, so
     * opening and closing it here cannot release the process's locks on the database.)
     *
     * @return whether there was a log to sync (without one, everything committed is in the database file,
     *         synced when the log was checkpointed away)
     */
    public boolean syncCommitted() {
        if (checkpoints == null) {
            return false; // read-only: nothing of ours to sync
        }
        return checkpoints.syncCommitted();
    }

    /**
     * Commits grouped work now.
     *
     * @throws StoreException when this or an earlier group commit failed (those reports are not stored)
     */
    public void flush() {
        if (writer == null) {
            return; // read-only: nothing is ever grouped
        }
        writeLock.lock();
        try {
            if (group.isOpen()) {
                group.commitGroup();
            }
            StoreException failure = group.takeFailure();
            if (failure != null) {
                throw failure;
            }
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Runs work on the writer as part of the current group of deferred commits (see {@link #deferCommit}).
     * Each statement of the work is atomic on its own; keep the work to statements that may stand alone.
     */
    public <T> T writeGrouped(SqlFunction<Connection, T> work) {
        if (writer == null) {
            throw readOnlyWrite();
        }
        writeLock.lock();
        try {
            T result = work.apply(writer);
            group.defer(1);
            return result;
        } catch (SQLException e) {
            throw new StoreException("database write failed: " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    /** Runs work in one write transaction, committing on success and rolling back on failure. */
    public <T> T write(SqlFunction<Connection, T> work) {
        if (writer == null) {
            throw readOnlyWrite();
        }
        writeLock.lock();
        try {
            if (group.isOpen()) {
                group.commitGroup(); // so that a failure below cannot roll back other imports' reports
            }
            T result;
            try {
                result = work.apply(writer);
                writer.commit();
            } catch (SQLException | RuntimeException e) {
                group.rollbackQuietly();
                if (e instanceof SQLException s) {
                    throw new StoreException("database write failed: " + s.getMessage(), s);
                }
                throw (RuntimeException) e;
            }
            group.committedAlone(); // outside the try: what was committed stays committed
            return result;
        } finally {
            writeLock.unlock();
        }
    }

    /** Rolls the writer's transaction back (the caller holds the write lock); an open group is lost. */
    void rollbackQuietly() {
        group.rollbackQuietly();
    }

    @Override
    public void close() {
        if (writer == null) {
            readers.close();
            return;
        }
        checkpoints.close();
        writeLock.lock();
        try {
            readers.close();
            try (var st = writer.createStatement()) {
                group.commitOnClose(); // grouped work too (EmbeddedStore.close flushed it already, normally)
                writer.setAutoCommit(true);
                // Bounded: without a limit, ANALYZE reads every row of a multi-gigabyte store at each close.
                st.execute("PRAGMA analysis_limit = 1000");
                st.execute("PRAGMA optimize");
                st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            } catch (SQLException ignored) {
                // optimisation is best effort
            }
            closeQuietly(writer);
        } finally {
            writeLock.unlock();
        }
    }

    static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing
        }
    }

    /** A function that may throw SQLException. */
    @FunctionalInterface
    public interface SqlFunction<A, R> {
        R apply(A a) throws SQLException;
    }
}
