package io.dmarclens.index.schema;

import io.dmarclens.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Versioned schema migrations of {@code dmarc-lens.db}. Each version is a SQL script on the class path
 * ({@code V<n>__<name>.sql} beside this class), applied once in its own transaction and recorded in
 * {@code schema_version}. Scripts are never edited once delivered: a change is a new version.
 */
public final class Migrations {
    /** The scripts in order; version n is the n-th entry. */
    static final List<String> SCRIPTS = List.of("V1__reports.sql", "V2__covering_source_index.sql",
            "V3__source_rollup.sql");

    private Migrations() {
    }

    /** The schema version this build writes. */
    public static int latestVersion() {
        return SCRIPTS.size();
    }

    /** The version recorded in the database, 0 for a new one. */
    public static int currentVersion(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.executeUpdate("CREATE TABLE IF NOT EXISTS schema_version ("
                    + "version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)");
            try (ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }

    /**
     * The version recorded in the database, read without writing (for read-only connections): 0 when it
     * has no {@code schema_version} table.
     */
    public static int recordedVersion(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement();
             ResultSet tables = st.executeQuery("SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                     + " AND name = 'schema_version'")) {
            if (!tables.next() || tables.getInt(1) == 0) {
                return 0;
            }
        }
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    /**
     * Brings the database up to {@link #latestVersion()}.
     *
     * @return the number of versions applied
     * @throws StoreException when the database was written by a newer DMARC Lens
     */
    public static int migrate(Connection connection) throws SQLException {
        int current = currentVersion(connection);
        if (current > latestVersion()) {
            throw new StoreException("the database has schema version " + current
                    + " but this DMARC Lens only knows up to " + latestVersion() + ": upgrade DMARC Lens");
        }
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            for (int v = current + 1; v <= latestVersion(); v++) {
                try (Statement st = connection.createStatement()) {
                    for (String sql : statements(load(SCRIPTS.get(v - 1)))) {
                        st.executeUpdate(sql);
                    }
                }
                try (PreparedStatement ps = connection.prepareStatement(
                        "INSERT INTO schema_version (version, applied_at) VALUES (?, strftime('%s','now'))")) {
                    ps.setInt(1, v);
                    ps.executeUpdate();
                }
                connection.commit();
            }
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
        return latestVersion() - current;
    }

    private static String load(String name) {
        try (InputStream in = Migrations.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("migration script missing from the build: " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read migration script " + name, e);
        }
    }

    /** Splits a script on statement-ending semicolons (our scripts hold none inside strings). */
    static List<String> statements(String script) {
        StringBuilder clean = new StringBuilder();
        for (String line : script.split("\n")) {
            String t = line.strip();
            if (!t.startsWith("--")) {
                clean.append(line).append('\n');
            }
        }
        return java.util.Arrays.stream(clean.toString().split(";\\s*\n"))
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
