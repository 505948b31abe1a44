package io.dmarclens.index.users;

import io.dmarclens.index.schema.Migrations;
import io.dmarclens.index.sqlite.SqliteFiles;
import io.dmarclens.index.sqlite.Transactions;
import io.dmarclens.store.PrivateFiles;
import io.dmarclens.store.StoreException;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.sqlite.SQLiteConfig;

/**
 * One connection to {@code dataDir/web.db} with the lock that gives it to one thread at a time, and the
 * message a user reads when it fails. The accounts, their sessions and login counters, and the audit log each
 * run their statements through one, so that none repeats the locking, the transaction template or the
 * failure mapping.
 */
public final class WebDb {
    /** Statements run on the connection under its lock; an {@link SQLException} becomes a {@link StoreException}. */
    @FunctionalInterface
    public interface Work<T> {
        /** Runs on {@code db}. */
        T run(Connection db) throws SQLException;
    }

    private final Path file;
    private final String what;
    private final Connection db;
    private final Object lock = new Object();

    private WebDb(Path file, String what, Connection db) {
        this.file = file;
        this.what = what;
        this.db = db;
    }

    /**
     * Opens (creating it and the data directory when needed) {@code dataDir/web.db} with {@code config} and
     * brings it to the latest version.
     *
     * @param what what the caller keeps in the file, for messages ("the user accounts")
     * @throws StoreException when the file cannot be opened or was written by a newer DMARC Lens
     */
    public static WebDb open(Path dataDir, String what, SQLiteConfig config) {
        Path file = dataDir.resolve(SqliteAccounts.FILE_NAME);
        try {
            PrivateFiles.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new StoreException("cannot create the data directory " + dataDir + ": " + e.getMessage()
                    + " (check its permissions)", e);
        }
        try {
            Connection db = SqliteFiles.connect(file, config);
            try {
                Migrations.migrate(db, SqliteAccounts.SCRIPTS);
                return new WebDb(file, what, db);
            } catch (SQLException | RuntimeException e) {
                db.close();
                throw e;
            }
        } catch (SQLException e) {
            throw cannotOpen(file, what, e);
        }
    }

    /** A second connection to the same (already migrated) file with other settings, and a lock of its own. */
    WebDb another(SQLiteConfig config) {
        try {
            return new WebDb(file, what, SqliteFiles.connect(file, config));
        } catch (SQLException e) {
            throw cannotOpen(file, what, e);
        }
    }

    private static StoreException cannotOpen(Path file, String what, SQLException e) {
        return new StoreException("cannot open " + what + " " + file + ": " + e.getMessage()
                + " (check that the data directory is writable)", e);
    }

    /** Runs {@code work} that only reads; a failure says it could not read. */
    public <T> T read(Work<T> work) {
        return run("read", work);
    }

    /** Runs {@code work} of one or more statements each committed on its own; a failure says it could not write. */
    public <T> T write(Work<T> work) {
        return run("write", work);
    }

    private <T> T run(String action, Work<T> work) {
        synchronized (lock) {
            try {
                return work.run(db);
            } catch (SQLException e) {
                throw failure(action, e);
            }
        }
    }

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. Work that
     * gives up calls {@code db.rollback()} itself and returns; the commit that follows then has nothing to write.
     */
    public <T> T inTransaction(Work<T> work) {
        synchronized (lock) {
            try {
                return Transactions.run(db, () -> work.run(db));
            } catch (SQLException e) {
                throw failure("write", e);
            }
        }
    }

    /** Closes the connection, waiting for work that runs on it. */
    public void close() {
        synchronized (lock) {
            try {
                db.close();
            } catch (SQLException e) {
                throw failure("close", e);
            }
        }
    }

    /** A failure a user can act on: which file, what went wrong, what to check. */
    private StoreException failure(String action, SQLException e) {
        return new StoreException("cannot " + action + " " + what + " " + file + ": " + e.getMessage()
                + " (check that the disk is not full and the file is writable)", e);
    }
}
