package io.dmarclens.index.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.sqlite.SQLiteConfig;

/**
 * Opens connections to the SQLite file {@code dmarc-lens.db} with the settings every connection shares:
 * WAL journal, synchronous=NORMAL (commits do not wait for the disk; see {@link WalCheckpoints}), a long
 * busy timeout, foreign keys, temporary tables in memory and a page cache outside the Java heap.
 */
final class SqliteConnections {
    /** Native page cache of the writer, in KiB. */
    private static final int WRITER_CACHE_KIB = 256 * 1024;

    private final String url;

    SqliteConnections(Path file) {
        this.url = "jdbc:sqlite:" + file.toAbsolutePath();
    }

    /** The one connection that writes (the caller migrates it and turns auto-commit off). */
    Connection openWriter() throws SQLException {
        SQLiteConfig c = config();
        // The writer touches index pages all over the file (records by source, rollups by day): a bigger
        // page cache (native memory, not heap) saves re-reading them at every insert of a large store.
        c.setCacheSize(-WRITER_CACHE_KIB);
        return c.createConnection(url);
    }

    /** A connection for checkpoints, which need write access to the file but write no rows. */
    Connection openCheckpointer() throws SQLException {
        return config().createConnection(url);
    }

    /** A read-only connection. */
    Connection openReader() throws SQLException {
        SQLiteConfig c = config();
        c.setReadOnly(true);
        return c.createConnection(url);
    }

    private static SQLiteConfig config() {
        SQLiteConfig c = new SQLiteConfig();
        c.setJournalMode(SQLiteConfig.JournalMode.WAL);
        c.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        c.setBusyTimeout(30_000);
        c.enforceForeignKeys(true);
        c.setTempStore(SQLiteConfig.TempStore.MEMORY);
        c.setCacheSize(-65_536); // 64 MiB of native page cache, outside the Java heap
        return c;
    }
}
