package io.dmarclens.index.store;

import io.dmarclens.index.schema.Migrations;
import io.dmarclens.index.sqlite.SqliteFiles;
import io.dmarclens.store.StoreException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.sqlite.SQLiteConfig;

/**
 * The SQLite file {@code dmarc-lens.db}: one writer connection guarded by a lock (SQLite allows one
 * writer at a time anyway) and a small pool of reader connections, which WAL mode lets run beside the
 * writer. Internal to the store; use {@link io.dmarclens.index.EmbeddedStore}.
 */
public final class Database implements AutoCloseable {
    /** File name of the database inside the data directory. */
    public static final String FILE_NAME = "dmarc-lens.db";
    private static final int READERS = 4;
    private static final int WRITER_CACHE_KIB = 256 * 1024;
    private static final long WAL_LIMIT_BYTES = 256L << 20;
    /** A group of deferred commits is committed once it holds this many rows or is this old. */
    private static final long GROUP_MAX_ROWS = 250_000;
    private static final long GROUP_MAX_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** Grouped rollup rows are written early (still inside the group) past this many, to bound the heap. */
    private static final int GROUP_MAX_ROLLUP_ROWS = 20_000;
    /**
     * At most this many committed records wait in memory for the search index (about 16 MiB); past it, the
     * index reads the rest back from the database.
     */
    private static final int MAX_STAGED_RECORDS = 20_000;
    private final int maxStagedRecords;

    private final Path file;
    private final Path walFile;
    private final long walLimitBytes;
    private final Connection writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
    private final List<Connection> allReaders = new ArrayList<>();
    private final Connection checkpointer;
    private final ScheduledExecutorService checkpoints;
    // Grouped commits (see deferCommit); all guarded by writeLock.
    private Consumer<List<CommittedRecord>> commitListener = records -> { };
    private boolean groupOpen;
    private long groupRows;
    private long groupSince;
    private StoreException groupFailure;
    // Rollups of the group's reports, written once just before the group's commit (see deferRollups).
    private final DailyRollups groupRollups = new DailyRollups();
    /** Groups lost so far (commit failed or rolled back); read without the lock. */
    private volatile long failedGroups;
    // Records of the group's reports for the search index (see deferStaged), and those handed over and not
    // yet indexed (the indexer counts them down).
    private List<CommittedRecord> groupStaged = new ArrayList<>();
    // Search keys of reports the open transaction deleted (a partial copy replaced), dropped from the search
    // index once it commits (see deferDeleted).
    private Consumer<List<String>> deletedListener = keys -> { };
    private List<String> groupDeleted = new ArrayList<>();
    private boolean stagingStopped;
    private final AtomicLong stagedOutstanding = new AtomicLong();

    private Database(Path file, Path walFile, long walLimitBytes, int maxStagedRecords, Connection writer,
                     Connection checkpointer) {
        this.maxStagedRecords = maxStagedRecords;
        this.file = file;
        this.walFile = walFile;
        this.walLimitBytes = walLimitBytes;
        this.writer = writer;
        this.checkpointer = checkpointer;
        // Checkpoints (the only step that waits for the disk in WAL mode with synchronous=NORMAL) run here,
        // off the import's commits, so that a slow disk does not slow down every report.
        this.checkpoints = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dmarc-lens-checkpoint");
            t.setDaemon(true);
            return t;
        });
        checkpoints.scheduleWithFixedDelay(this::checkpoint, 1, 1, TimeUnit.SECONDS);
    }

    private void checkpoint() {
        // A grouped import that went quiet (e.g. waiting for its next input) still gets committed.
        if (writeLock.tryLock()) {
            try {
                if (groupOpen && System.nanoTime() - groupSince >= GROUP_MAX_NANOS) {
                    commitGroup();
                }
            } catch (StoreException e) {
                // kept in groupFailure; flush() reports it
            } finally {
                writeLock.unlock();
            }
        }
        if (walBytes() > walLimitBytes) {
            truncateWal();
            return;
        }
        try (var st = checkpointer.createStatement()) {
            st.execute("PRAGMA wal_checkpoint(PASSIVE)");
        } catch (SQLException e) {
            // Busy or interrupted: the next run catches up.
        }
    }

    /**
     * Passive checkpoints copy the log into the database but never start it over while the writer keeps
     * appending and readers (the search indexer) keep old snapshots open: in a long import the log grew to
     * 33 GB beside a 2.3 GB database. Past the limit, writes pause (the write lock, between reports) until
     * the whole log is copied and truncated.
     */
    private void truncateWal() {
        writeLock.lock();
        try {
            if (groupOpen) {
                commitGroup();
            }
            try (var st = checkpointer.createStatement()) {
                st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
        } catch (SQLException | StoreException e) {
            // Busy (a long reader) or a failed group commit (kept for flush): the next run tries again.
        } finally {
            writeLock.unlock();
        }
    }

    private long walBytes() {
        try {
            return Files.exists(walFile) ? Files.size(walFile) : 0;
        } catch (IOException e) {
            return 0;
        }
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
        try {
            SQLiteConfig writerConfig = config();
            // The writer touches index pages all over the file (records by source, rollups by day): a bigger
            // page cache (native memory, not heap) saves re-reading them at every insert of a large store.
            writerConfig.setCacheSize(-WRITER_CACHE_KIB);
            Connection writer = SqliteFiles.connect(file, writerConfig);
            Migrations.migrate(writer);
            try (var st = writer.createStatement()) {
                st.execute("PRAGMA wal_autocheckpoint = 0");
            }
            writer.setAutoCommit(false);
            return new Database(file, dataDir.resolve(FILE_NAME + "-wal"), walLimitBytes, maxStagedRecords, writer,
                    SqliteFiles.connect(file, config()));
        } catch (SQLException e) {
            throw new StoreException("cannot open the database " + dataDir.resolve(FILE_NAME) + ": " + e.getMessage(), e);
        }
    }

    private static SQLiteConfig config() {
        SQLiteConfig c = SqliteFiles.walConfig(Duration.ofSeconds(30));
        c.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        c.enforceForeignKeys(true);
        c.setTempStore(SQLiteConfig.TempStore.MEMORY);
        c.setCacheSize(-65_536); // 64 MiB of native page cache, outside the Java heap
        return c;
    }

    /** The writer connection; callers must hold {@link #writeLock()} and commit or roll back themselves. */
    public Connection writer() {
        return writer;
    }

    public ReentrantLock writeLock() {
        return writeLock;
    }

    /** Borrows a read-only connection; give it back with {@link #release(Connection)}. */
    public Connection reader() {
        Connection c = readers.poll();
        if (c != null) {
            return c;
        }
        synchronized (allReaders) {
            if (allReaders.size() < READERS) {
                try {
                    SQLiteConfig cfg = config();
                    cfg.setReadOnly(true);
                    Connection created = SqliteFiles.connect(file, cfg);
                    allReaders.add(created);
                    return created;
                } catch (SQLException e) {
                    throw new StoreException("cannot open a reader on the database: " + e.getMessage(), e);
                }
            }
        }
        try {
            return readers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a database connection", e);
        }
    }

    public void release(Connection c) {
        readers.offer(c);
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
        this.commitListener = listener;
    }

    /**
     * Called after a commit that deleted reports (a partial copy replaced by a more complete one), with
     * their search keys ("a" + aggregate id, "t" + TLS id), so the search index drops their documents.
     */
    public void onDeleted(Consumer<List<String>> listener) {
        this.deletedListener = listener;
    }

    /**
     * The open transaction deletes a report: its search key goes to the listener when the transaction
     * commits (a rollback forgets it). The caller holds the write lock.
     */
    void deferDeleted(String reportKey) {
        groupDeleted.add(reportKey);
    }

    /** Reports deleted by a transaction already committed: tells the listener now. */
    void deleted(List<String> reportKeys) {
        if (!reportKeys.isEmpty()) {
            deletedListener.accept(reportKeys);
        }
    }

    /**
     * Writes the group's pending rollups into the open transaction now, so that a report's counts can be
     * taken back out of the rollup tables exactly (a pending count is not in them yet). Call between
     * reports, never inside a report's savepoint. The caller holds the write lock.
     */
    void writePendingRollups() throws SQLException {
        writeGroupRollups();
    }

    /**
     * Whether the open report may keep {@code reportStaged} records in memory for the search index: not
     * when the bound on staged records is reached, nor after a report of the group was not staged (the
     * staged records of a commit must be all of its records from the first staged one on, without gaps).
     * The caller holds the write lock.
     */
    boolean mayStage(int reportStaged) {
        return !stagingStopped && stagedOutstanding.get() + groupStaged.size() + reportStaged < maxStagedRecords;
    }

    /** A report of the group is not staged: neither are the group's later reports (they are read back). */
    void stopStaging() {
        stagingStopped = true;
    }

    /**
     * Hands the records of a report, in id order, to the search index when the transaction commits. Call
     * when the report can no longer roll back on its own (its savepoint released, or just before its own
     * commit); a rollback of the transaction drops them. The caller holds the write lock.
     */
    void deferStaged(List<CommittedRecord> records) {
        if (!stagingStopped) {
            groupStaged.addAll(records);
        }
    }

    /** The search index is done with {@code count} staged records. */
    public void releaseStaged(long count) {
        stagedOutstanding.addAndGet(-count);
    }

    /**
     * Leaves the work done so far on the writer uncommitted, to be committed together with what follows:
     * many small reports then cost one commit instead of one each, so each index page they touch is
     * written once. The group is committed when it is big or old enough, by {@link #flush()}, before any
     * other write, and on close. The caller holds the write lock and has released its savepoint.
     */
    void deferCommit(long rows) {
        if (!groupOpen) {
            groupOpen = true;
            groupSince = System.nanoTime();
            groupRows = 0;
        }
        groupRows += rows;
        if (groupRollups.size() > GROUP_MAX_ROLLUP_ROWS) {
            try {
                writeGroupRollups(); // between reports, so no report's savepoint can take them back
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

    /**
     * Adds a grouped report's rollups to those written just before the group's commit: reports of a group
     * share most rollup rows (same days, reporters, sources), so each row is upserted once per group instead
     * of once per report. Call after the report's savepoint is released, so that a report rolled back on its
     * own contributes nothing; then {@link #deferCommit}. The caller holds the write lock.
     */
    void deferRollups(Rollups rollups, DaySplit split) {
        rollups.spread(split, groupRollups);
    }

    /** Writes the group's pending rollups into the open transaction (the caller holds the write lock). */
    private void writeGroupRollups() throws SQLException {
        if (!groupRollups.isEmpty()) {
            try {
                groupRollups.write(writer, 1);
            } finally {
                groupRollups.clear();
            }
        }
    }

    /**
     * Commits the writer's open transaction now, with the group's pending rollups (the caller holds the
     * write lock), and tells the listener.
     */
    void commitNow() throws SQLException {
        writeGroupRollups();
        writer.commit();
        groupOpen = false;
        List<CommittedRecord> staged = groupStaged;
        groupStaged = new ArrayList<>();
        stagingStopped = false;
        stagedOutstanding.addAndGet(staged.size());
        commitListener.accept(staged);
        if (!groupDeleted.isEmpty()) {
            List<String> deleted = groupDeleted;
            groupDeleted = new ArrayList<>();
            deletedListener.accept(deleted); // after the records above, so the indexer adds before it deletes
        }
    }

    /** Whether grouped work is waiting for its commit (the caller holds the write lock). */
    boolean groupOpen() {
        return groupOpen;
    }

    private void commitGroup() {
        try {
            commitNow();
        } catch (SQLException e) {
            rollbackQuietly(); // counts the lost group
            groupFailure = new StoreException("cannot commit imported reports: " + e.getMessage()
                    + " (they are not stored; import them again)", e);
            throw groupFailure;
        }
    }

    /**
     * How many groups of deferred commits were lost so far. {@link #flush()} reports a lost group to one
     * caller only; a caller whose reports may have been in it compares this count before and after.
     */
    public long failedGroups() {
        return failedGroups;
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
        try (FileChannel wal = FileChannel.open(walFile, StandardOpenOption.READ)) {
            wal.force(false);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new StoreException("cannot sync the database's write-ahead log " + walFile + " to disk ("
                    + e.getMessage() + "); check the disk: what was being stored is kept and tried again", e);
        }
    }

    /**
     * Commits grouped work now.
     *
     * @throws StoreException when this or an earlier group commit failed (those reports are not stored)
     */
    public void flush() {
        writeLock.lock();
        try {
            if (groupOpen) {
                commitGroup();
            }
            StoreException failure = groupFailure;
            groupFailure = null;
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
        writeLock.lock();
        try {
            T result = work.apply(writer);
            deferCommit(1);
            return result;
        } catch (SQLException e) {
            throw new StoreException("database write failed: " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    /** Runs work in one write transaction, committing on success and rolling back on failure. */
    public <T> T write(SqlFunction<Connection, T> work) {
        writeLock.lock();
        try {
            if (groupOpen) {
                commitGroup(); // so that a failure below cannot roll back other imports' reports
            }
            try {
                T result = work.apply(writer);
                writer.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly();
                if (e instanceof SQLException s) {
                    throw new StoreException("database write failed: " + s.getMessage(), s);
                }
                throw (RuntimeException) e;
            }
        } finally {
            writeLock.unlock();
        }
    }

    void rollbackQuietly() {
        try {
            writer.rollback();
        } catch (SQLException ignored) {
            // the original failure is the one worth reporting
        }
        groupRollups.clear();
        groupStaged.clear();
        groupDeleted.clear();
        stagingStopped = false;
        if (groupOpen) {
            groupOpen = false;
            failedGroups++;
            groupFailure = new StoreException("imported reports waiting for their grouped commit were rolled back"
                    + " after a database failure (they are not stored; import them again)");
        }
    }

    @Override
    public void close() {
        checkpoints.shutdownNow();
        try {
            checkpoints.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(checkpointer);
        writeLock.lock();
        try {
            synchronized (allReaders) {
                for (Connection c : allReaders) {
                    closeQuietly(c);
                }
                allReaders.clear();
            }
            try (var st = writer.createStatement()) {
                writeGroupRollups();
                writer.commit(); // grouped work too (EmbeddedStore.close flushed it already, normally)
                groupOpen = false;
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

    private static void closeQuietly(Connection c) {
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
