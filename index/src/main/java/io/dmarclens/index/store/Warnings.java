package io.dmarclens.index.store;

import io.dmarclens.parser.ParseWarning;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** Writes the parse warnings of a report. */
final class Warnings {
    private Warnings() {
    }

    static void insert(Connection c, String kind, long reportRef, List<ParseWarning> warnings) throws SQLException {
        if (warnings == null || warnings.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO report_warning (kind, report_ref, location, message) VALUES (?,?,?,?)")) {
            for (ParseWarning w : warnings) {
                ps.setString(1, kind);
                ps.setLong(2, reportRef);
                ps.setString(3, w.location());
                ps.setString(4, w.message() == null ? "" : w.message());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
