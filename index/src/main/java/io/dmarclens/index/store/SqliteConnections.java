package io.dmarclens.index.store;

import io.dmarclens.index.sqlite.SqliteFiles;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.sqlite.SQLiteConfig;

/**
 * Opens connections to the SQLite file {@code dmarc-lens.db} the way every SQLite file is opened
 * ({@link SqliteFiles}: WAL journal, a long busy timeout), with the settings this file adds:
 * synchronous=NORMAL (commits do not wait for the disk; see {@link WalCheckpoints}), foreign keys,
 * temporary tables in memory and a page cache outside the Java heap.
 */
final class SqliteConnections {
    /** Native page cache of the writer, in KiB. */
    private static final int WRITER_CACHE_KIB = 256 * 1024;

    private final Path file;

    SqliteConnections(Path file) {
        this.file = file;
    }

    /** The one connection that writes (the caller migrates it and turns auto-commit off). */
    Connection openWriter() throws SQLException {
        SQLiteConfig c = config();
        // The writer touches index pages all over the file (records by source, rollups by day): a bigger
        // page cache (native memory, not heap) saves re-reading them at every insert of a large store.
        c.setCacheSize(-WRITER_CACHE_KIB);
        return SqliteFiles.connect(file, c);
    }

    /** A connection for checkpoints, which need write access to the file but write no rows. */
    Connection openCheckpointer() throws SQLException {
        return SqliteFiles.connect(file, config());
    }

    /** A read-only connection. */
    Connection openReader() throws SQLException {
        SQLiteConfig c = config();
        c.setReadOnly(true);
        return SqliteFiles.connect(file, c);
    }

    private static SQLiteConfig config() {
        SQLiteConfig c = SqliteFiles.walConfig(Duration.ofSeconds(30));
        c.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        c.enforceForeignKeys(true);
        c.setTempStore(SQLiteConfig.TempStore.MEMORY);
        c.setCacheSize(-65_536); // 64 MiB of native page cache, outside the Java heap
        return c;
    }
}
