package io.dmarclens.index.store;

import io.dmarclens.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A small pool of read-only connections, opened as needed up to a bound; WAL mode lets them read beside
 * the writer. Thread-safe: a caller waits when every reader is lent out.
 */
final class ReaderPool {
    private final SqliteConnections connections;
    private final int size;
    private final BlockingQueue<Connection> idle;
    private final List<Connection> all = new ArrayList<>();

    ReaderPool(SqliteConnections connections, int size) {
        this.connections = connections;
        this.size = size;
        this.idle = new ArrayBlockingQueue<>(size);
    }

    /** Borrows a reader; give it back with {@link #release(Connection)}. */
    Connection borrow() {
        Connection c = idle.poll();
        if (c != null) {
            return c;
        }
        synchronized (all) {
            if (all.size() < size) {
                try {
                    Connection created = connections.openReader();
                    all.add(created);
                    return created;
                } catch (SQLException e) {
                    throw new StoreException("cannot open a reader on the database: " + e.getMessage(), e);
                }
            }
        }
        try {
            return idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a database connection", e);
        }
    }

    void release(Connection c) {
        idle.offer(c);
    }

    /** Closes every reader opened. */
    void close() {
        synchronized (all) {
            for (Connection c : all) {
                Database.closeQuietly(c);
            }
            all.clear();
        }
    }
}
