package io.dmarclens.index.alerts;

import io.dmarclens.index.schema.Migrations;
import io.dmarclens.index.sqlite.SqliteFiles;
import io.dmarclens.store.StoreException;
import io.dmarclens.store.alerts.AlertLog;
import io.dmarclens.store.alerts.Outbox;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.sqlite.SQLiteConfig;

/**
 * The alerts' own SQLite file {@code dataDir/alerts.db} (WAL, versioned with scripts beside this class):
 * the {@link AlertLog} and the {@link Outbox} on one connection, so that an alert's state change and its
 * notice commit together. Kept apart from the report store, so that the store can be rebuilt without losing
 * alerts or undelivered notices.
 */
public final class SqliteAlerts implements AutoCloseable {
    /** File name inside the data directory. */
    public static final String FILE_NAME = "alerts.db";
    static final Migrations.Scripts SCRIPTS = new Migrations.Scripts("the alerts file " + FILE_NAME,
            SqliteAlerts.class, List.of("V1__alerts.sql", "V2__notice_channels.sql"));

    private final Connection db;
    private final SqliteOutbox outbox;
    private final SqliteAlertLog log;

    private SqliteAlerts(Path file, Connection db) {
        this.db = db;
        this.outbox = new SqliteOutbox(db, file);
        this.log = new SqliteAlertLog(db, file, outbox);
    }

    /**
     * Opens (creating when needed) {@code dataDir/alerts.db} and brings it to the latest version.
     *
     * @throws StoreException when the file cannot be opened or was written by a newer DMARC Lens
     */
    public static SqliteAlerts open(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            SQLiteConfig config = SqliteFiles.walConfig(Duration.ofSeconds(10));
            // A notice is the only copy of what must be said: each commit waits for the disk (they are few).
            config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
            Connection db = SqliteFiles.connect(file, config);
            try {
                Migrations.migrate(db, SCRIPTS);
                return new SqliteAlerts(file, db);
            } catch (SQLException | RuntimeException e) {
                db.close();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot open the alerts file " + file + ": " + e.getMessage()
                    + " (check that the data directory exists and is writable)", e);
        }
    }

    /** The alerts and the rules' memory. */
    public AlertLog log() {
        return log;
    }

    /** The notices to deliver. */
    public Outbox outbox() {
        return outbox;
    }

    @Override
    public void close() {
        synchronized (db) {
            try {
                db.close();
            } catch (SQLException e) {
                throw new StoreException("cannot close the alerts file: " + e.getMessage(), e);
            }
        }
    }
}
