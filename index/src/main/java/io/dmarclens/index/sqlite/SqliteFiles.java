package io.dmarclens.index.sqlite;

import io.dmarclens.store.PrivateFiles;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.sqlite.SQLiteConfig;

/**
 * The one way DMARC Lens opens a SQLite file ({@code dmarc-lens.db}, {@code ingest.db}, {@code web.db}):
 * every file runs in write-ahead-log mode, so readers never wait for the writer, and waits a while for a
 * lock instead of failing at once. Each file adds its own settings to {@link #walConfig(Duration)}.
 */
public final class SqliteFiles {
    private SqliteFiles() {
    }

    /** Write-ahead log, waiting up to {@code busyTimeout} for a lock another connection holds. */
    public static SQLiteConfig walConfig(Duration busyTimeout) {
        SQLiteConfig c = new SQLiteConfig();
        c.setJournalMode(SQLiteConfig.JournalMode.WAL);
        c.setBusyTimeout(Math.toIntExact(busyTimeout.toMillis()));
        return c;
    }

    /** Opens (creating when it does not exist, unless {@code config} is read-only) a connection to {@code file}. */
    public static Connection connect(Path file, SQLiteConfig config) throws SQLException {
        if ((config.getOpenModeFlags() & org.sqlite.SQLiteOpenMode.READONLY.flag) == 0) {
            // created owner-only before SQLite opens it; SQLite gives its -wal and -shm files the same mode
            try {
                PrivateFiles.createFileIfAbsent(file);
            } catch (java.io.IOException e) {
                throw new SQLException("cannot create " + file + ": " + e.getMessage(), e);
            }
        }
        return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
    }
}
