package io.dmarclens.index.store;

import io.dmarclens.store.StoreException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The write-ahead log: checkpoints once a second on a thread of their own (the only step that waits for
 * the disk in WAL mode with synchronous=NORMAL, kept off the import's commits so that a slow disk does not
 * slow down every report), truncation when the log grows past a limit, and the fsync that makes commits
 * durable. The same thread commits a grouped import that went quiet.
 */
final class WalCheckpoints implements AutoCloseable {
    private final Path walFile;
    private final long walLimitBytes;
    private final Connection checkpointer;
    private final ReentrantLock writeLock;
    private final GroupCommit group;
    private final ScheduledExecutorService executor;

    WalCheckpoints(Path walFile, long walLimitBytes, Connection checkpointer, ReentrantLock writeLock,
                   GroupCommit group) {
        this.walFile = walFile;
        this.walLimitBytes = walLimitBytes;
        this.checkpointer = checkpointer;
        this.writeLock = writeLock;
        this.group = group;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dmarc-lens-checkpoint");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the checkpoints, once a second. */
    void start() {
        executor.scheduleWithFixedDelay(this::checkpoint, 1, 1, TimeUnit.SECONDS);
    }

    private void checkpoint() {
        // A grouped import that went quiet (e.g. waiting for its next input) still gets committed.
        if (writeLock.tryLock()) {
            try {
                group.commitIfStale();
            } catch (StoreException e) {
                // kept by the group commit; flush() reports it
            } finally {
                writeLock.unlock();
            }
        }
        if (walBytes() > walLimitBytes) {
            truncate();
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
    private void truncate() {
        writeLock.lock();
        try {
            if (group.isOpen()) {
                group.commitGroup();
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

    /** See {@link Database#syncCommitted()}. */
    boolean syncCommitted() {
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

    /** Stops the checkpoints (waiting for one running) and closes their connection. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Database.closeQuietly(checkpointer);
    }
}
