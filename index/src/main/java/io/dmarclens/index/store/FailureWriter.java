package io.dmarclens.index.store;

import io.dmarclens.parser.failure.FailureReport;
import io.dmarclens.parser.failure.OriginalMessage;
import io.dmarclens.store.Authenticity;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Writes one failure report with its original message's headers and its warnings. */
final class FailureWriter {
    private FailureWriter() {
    }

    /** @return false when the same report of the same source content is stored already */
    static boolean insert(Connection c, long sourceId, String contentKey, FailureReport r, Instant importedAt,
                          Authenticity authenticity) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM failure_report WHERE content_key = ?")) {
            ps.setString(1, contentKey);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
        }
        long id;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO failure_report (source_id, source_part, content_key,"
                + " format, feedback_type, user_agent, version, arrival_ts, source_ip, reporting_mta, original_mail_from,"
                + " original_rcpt_to, reported_domain, auth_failure, identity_alignment, delivery_result, dkim_domain,"
                + " dkim_selector, dkim_identity, spf_dns, auth_results, incidents, fields, msg_from, msg_to, msg_subject,"
                + " msg_date, msg_id, msg_headers, msg_headers_only, msg_body_bytes, human_readable, imported_at,"
                + " partial, authenticity, authenticity_reason)"
                + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                PreparedStatement.RETURN_GENERATED_KEYS)) {
            OriginalMessage m = r.original();
            int i = 1;
            ps.setLong(i++, sourceId);
            ps.setString(i++, r.source() == null ? "" : r.source().part());
            ps.setString(i++, contentKey);
            ps.setString(i++, r.format() == null ? "" : r.format());
            ps.setString(i++, r.feedbackType());
            ps.setString(i++, r.userAgent());
            ps.setString(i++, r.version());
            if (r.arrivalDate() == null) {
                ps.setNull(i++, Types.INTEGER);
            } else {
                ps.setLong(i++, r.arrivalDate().getEpochSecond());
            }
            ps.setString(i++, r.sourceIp());
            ps.setString(i++, r.reportingMta());
            ps.setString(i++, r.originalMailFrom());
            ps.setString(i++, JsonColumns.strings(r.originalRcptTo()));
            ps.setString(i++, JsonColumns.strings(r.reportedDomain()));
            ps.setString(i++, JsonColumns.strings(r.authFailure()));
            ps.setString(i++, JsonColumns.strings(r.identityAlignment()));
            ps.setString(i++, r.deliveryResult());
            ps.setString(i++, r.dkimDomain());
            ps.setString(i++, r.dkimSelector());
            ps.setString(i++, r.dkimIdentity());
            ps.setString(i++, r.spfDns());
            ps.setString(i++, JsonColumns.strings(r.authenticationResults()));
            ps.setInt(i++, r.incidents());
            ps.setString(i++, JsonColumns.fields(r.fields()));
            ps.setString(i++, m == null ? null : m.from());
            ps.setString(i++, m == null ? null : m.to());
            ps.setString(i++, m == null ? null : m.subject());
            ps.setString(i++, m == null ? null : m.date());
            ps.setString(i++, m == null ? null : m.messageId());
            if (m == null) {
                ps.setNull(i++, Types.VARCHAR);
                ps.setNull(i++, Types.INTEGER);
                ps.setNull(i++, Types.INTEGER);
            } else {
                List<String[]> headers = new ArrayList<>();
                for (OriginalMessage.Header h : m.headers()) {
                    headers.add(new String[]{h.name(), h.value()});
                }
                ps.setString(i++, JsonColumns.write(headers));
                ps.setInt(i++, m.headersOnly() ? 1 : 0);
                ps.setLong(i++, m.bodyBytes());
            }
            ps.setString(i++, r.humanReadable());
            ps.setLong(i++, importedAt.getEpochSecond());
            ps.setString(i++, r.partial() ? r.truncation().reason() : null);
            ps.setString(i++, authenticity.verdict().code());
            ps.setString(i, authenticity.reason());
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
            }
        }
        Warnings.insert(c, "failure", id, r.warnings());
        return true;
    }
}
