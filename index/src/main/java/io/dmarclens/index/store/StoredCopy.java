package io.dmarclens.index.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The stored copy of a report with a given identity, as far as deciding between it and a new copy needs:
 * whether it is partial, how much it holds, and where it came from. When a more complete copy replaces
 * it, {@link #keep} lists it in {@code superseded_copy}, so its raw source stays downloadable.
 *
 * @param kind     "aggregate" or "tls"
 * @param id       its row id in aggregate_report or tls_report
 * @param partial  why it could not be read to its end, or null when it was read whole
 * @param records  aggregate records it holds (TLS: policies)
 * @param unverified it came by mail without a verified origin (see {@code Authenticity})
 */
record StoredCopy(String kind, long id, String partial, long records, long sourceId, String sourcePart,
                  String contentKey, long importedAt, boolean unverified) {

    /** The stored aggregate report with this identity, or null. */
    static StoredCopy find(Connection c, String kind, String reporter, String email, String reportId, String domain,
                           long begin, long end) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, partial, record_count, source_id, source_part,"
                + " content_key, imported_at, authenticity = 'unverified' FROM aggregate_report"
                + " WHERE reporter = ? AND reporter_email = ?"
                + " AND report_id = ? AND policy_domain = ? AND begin_ts = ? AND end_ts = ?")) {
            ps.setString(1, reporter);
            ps.setString(2, email);
            ps.setString(3, reportId);
            ps.setString(4, domain);
            ps.setLong(5, begin);
            ps.setLong(6, end);
            return read(kind, ps);
        }
    }

    /** The stored TLS report with this identity, or null. */
    static StoredCopy findTls(Connection c, String organization, String reportId, long begin, long end)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT t.id, t.partial, (SELECT COUNT(*) FROM tls_policy p"
                + " WHERE p.tls_report_ref = t.id), t.source_id, t.source_part, t.content_key, t.imported_at,"
                + " t.authenticity = 'unverified'"
                + " FROM tls_report t WHERE t.organization = ? AND t.report_id = ? AND t.begin_ts = ? AND t.end_ts = ?")) {
            ps.setString(1, organization);
            ps.setString(2, reportId);
            ps.setLong(3, begin);
            ps.setLong(4, end);
            return read("tls", ps);
        }
    }

    private static StoredCopy read(String kind, PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            return new StoredCopy(kind, rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getString(5),
                    rs.getString(6), rs.getLong(7), rs.getInt(8) == 1);
        }
    }

    /**
     * Whether a new copy of the same report replaces this one: only when this one is partial, and the new
     * one read further: to its end with at least as many records, or more records than this one holds.
     * (So a replacement never holds fewer records, and its ids always come after this copy's.)
     */
    boolean replacedBy(boolean complete, long newRecords) {
        return partial != null && (complete ? newRecords >= records : newRecords > records);
    }

    /**
     * Whether a new copy whose origin was verified replaces this one whatever it holds: this one came by mail
     * without a verified origin, and may be a stranger's forgery sent first to keep the real report out.
     */
    boolean replacedByVerified(boolean newVerified) {
        return unverified && newVerified;
    }

    /**
     * Frees this copy's identity inside the open transaction so that a new copy can be inserted beside it;
     * the transaction then either deletes this copy or rolls back, which restores it.
     */
    void stepAside(Connection c) throws SQLException {
        String table = kind.equals("tls") ? "tls_report" : "aggregate_report";
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + table
                + " SET report_id = report_id || ?, content_key = content_key || ? WHERE id = ?")) {
            ps.setString(1, "\u001freplacing");
            ps.setString(2, "\u001freplacing");
            ps.setLong(3, id);
            ps.executeUpdate();
        }
    }

    /**
     * Lists this copy as replaced by report {@code replacement} (with the copies it had replaced itself),
     * so its raw source is kept and shown with the report.
     */
    void keep(Connection c, long replacement, long supersededAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE superseded_copy SET report_ref = ? WHERE kind = ? AND report_ref = ?")) {
            ps.setLong(1, replacement);
            ps.setString(2, kind);
            ps.setLong(3, id);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO superseded_copy (kind, report_ref, source_id,"
                + " source_part, content_key, record_count, partial, imported_at, superseded_at)"
                + " VALUES (?,?,?,?,?,?,?,?,?)")) {
            ps.setString(1, kind);
            ps.setLong(2, replacement);
            ps.setLong(3, sourceId);
            ps.setString(4, sourcePart);
            ps.setString(5, contentKey);
            ps.setLong(6, records);
            ps.setString(7, partial);
            ps.setLong(8, importedAt);
            ps.setLong(9, supersededAt);
            ps.executeUpdate();
        }
    }
}
