package io.dmarclens.index.sqlite;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The one transaction template of the SQLite files: committed when the work returns, rolled back when it throws,
 * and the connection back in auto-commit either way. The caller holds the connection's lock and maps the failure.
 */
public final class Transactions {
    private Transactions() {
    }

    /** Statements run in the transaction. */
    @FunctionalInterface
    public interface Work<T> {
        /** Runs the statements. */
        T run() throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction on {@code db}. Work that gives up calls {@code db.rollback()} itself
     * and returns; the commit that follows then has nothing to write.
     */
    public static <T> T run(Connection db, Work<T> work) throws SQLException {
        db.setAutoCommit(false);
        try {
            T result = work.run();
            db.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            db.rollback();
            throw e;
        } finally {
            db.setAutoCommit(true);
        }
    }
}
