package io.dmarclens.ingest.pipeline;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Reads counts straight from the SQLite file of a data directory, to check what the store holds. */
final class Database {
    private Database() {
    }

    static long count(Path dataDir, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("dmarc-lens.db"));
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static long reports(Path dataDir) throws SQLException {
        return count(dataDir, "SELECT (SELECT COUNT(*) FROM aggregate_report) + (SELECT COUNT(*) FROM failure_report)"
                + " + (SELECT COUNT(*) FROM tls_report)");
    }

    static long records(Path dataDir) throws SQLException {
        return count(dataDir, "SELECT COUNT(*) FROM aggregate_record");
    }
}
