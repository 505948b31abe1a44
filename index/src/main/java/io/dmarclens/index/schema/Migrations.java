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
 * Versioned schema migrations of {@code dmarc-lens.db}, and of the other SQLite files ({@code ingest.db},
 * {@code web.db}) through their own {@link Scripts}. Each version is a SQL script on the class path
 * ({@code V<n>__<name>.sql} beside this class for {@code dmarc-lens.db}, beside the class that owns the
 * file for the others), applied once in its own transaction and recorded in {@code schema_version}.
 * Scripts are never edited once delivered: a change is a new version.
 */
public final class Migrations {
    /** The scripts in order; version n is the n-th entry. */
    static final List<String> SCRIPTS = List.of("V1__reports.sql", "V2__covering_source_index.sql",
            "V3__source_rollup.sql", "V4__partial_reports.sql", "V5__report_authenticity.sql",
            "V6__partial_failure_reports.sql", "V7__failure_tls_authenticity.sql",
            "V8__reporter_source_rollup.sql");

    private Migrations() {
    }

    /** The scripts of {@code dmarc-lens.db}. */
    public static final Scripts REPORT_STORE = new Scripts("the database", Migrations.class, SCRIPTS);

    /**
     * The versioned scripts of one SQLite file.
     *
     * @param what   the file as messages name it, e.g. {@code the ingest log ingest.db}
     * @param beside the class whose package holds the scripts (as class path resources)
     * @param names  the script names; version n is the n-th entry
     */
    public record Scripts(String what, Class<?> beside, List<String> names) {
        public Scripts {
            names = List.copyOf(names);
        }

        /** The schema version this build writes. */
        public int latestVersion() {
            return names.size();
        }
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
        return migrate(connection, REPORT_STORE);
    }

    /**
     * Brings a file up to the latest version of its {@code scripts}.
     *
     * @return the number of versions applied
     * @throws StoreException when the file was written by a newer DMARC Lens
     */
    public static int migrate(Connection connection, Scripts scripts) throws SQLException {
        int current = currentVersion(connection);
        int latest = scripts.latestVersion();
        if (current > latest) {
            throw new StoreException(scripts.what() + " has schema version " + current
                    + " but this DMARC Lens only knows up to " + latest + ": upgrade DMARC Lens");
        }
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            for (int v = current + 1; v <= latest; v++) {
                try (Statement st = connection.createStatement()) {
                    for (String sql : statements(load(scripts.beside(), scripts.names().get(v - 1)))) {
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
        return latest - current;
    }

    private static String load(Class<?> beside, String name) {
        try (InputStream in = beside.getResourceAsStream(name)) {
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
