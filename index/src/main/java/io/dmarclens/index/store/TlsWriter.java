package io.dmarclens.index.store;

import io.dmarclens.parser.tlsrpt.TlsFailureDetail;
import io.dmarclens.parser.tlsrpt.TlsPolicyResult;
import io.dmarclens.parser.tlsrpt.TlsReport;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** Writes one SMTP TLS report with its policies and failure details. */
final class TlsWriter {
    private TlsWriter() {
    }

    /** @return false when a report with the same identity or source content is stored already */
    static boolean insert(Connection c, long sourceId, String contentKey, TlsReport r, Instant importedAt)
            throws SQLException {
        String org = r.organizationName() == null ? "" : r.organizationName().strip();
        String reportId = r.reportId() == null ? "" : r.reportId();
        long begin = r.startDatetime() == null ? 0 : r.startDatetime().getEpochSecond();
        long end = r.endDatetime() == null ? begin : r.endDatetime().getEpochSecond();
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM tls_report WHERE content_key = ? UNION ALL"
                + " SELECT 1 FROM tls_report WHERE organization = ? AND report_id = ? AND begin_ts = ? AND end_ts = ?")) {
            ps.setString(1, contentKey);
            ps.setString(2, org);
            ps.setString(3, reportId);
            ps.setLong(4, begin);
            ps.setLong(5, end);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
        }
        long id;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO tls_report (source_id, source_part, content_key,"
                + " organization, report_id, begin_ts, end_ts, contact, imported_at) VALUES (?,?,?,?,?,?,?,?,?)",
                PreparedStatement.RETURN_GENERATED_KEYS)) {
            ps.setLong(1, sourceId);
            ps.setString(2, r.source() == null ? "" : r.source().part());
            ps.setString(3, contentKey);
            ps.setString(4, org);
            ps.setString(5, reportId);
            ps.setLong(6, begin);
            ps.setLong(7, end);
            ps.setString(8, r.contactInfo());
            ps.setLong(9, importedAt.getEpochSecond());
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
            }
        }
        try (PreparedStatement policy = c.prepareStatement("INSERT INTO tls_policy (tls_report_ref, policy_type,"
                + " policy_string, policy_domain, mx_host, success_count, failure_count) VALUES (?,?,?,?,?,?,?)",
                PreparedStatement.RETURN_GENERATED_KEYS);
             PreparedStatement failure = c.prepareStatement("INSERT INTO tls_failure (tls_policy_ref, tls_report_ref,"
                     + " result_type, sending_mta_ip, receiving_mx_hostname, receiving_mx_helo, receiving_ip,"
                     + " failed_sessions, additional_info, failure_reason_code) VALUES (?,?,?,?,?,?,?,?,?,?)")) {
            for (TlsPolicyResult p : r.policies()) {
                policy.setLong(1, id);
                policy.setString(2, p.policyType());
                policy.setString(3, JsonColumns.strings(p.policyString()));
                policy.setString(4, SqliteImportBatch.domainOrNull(p.policyDomain()));
                policy.setString(5, JsonColumns.strings(p.mxHost()));
                policy.setLong(6, p.totalSuccessfulSessionCount());
                policy.setLong(7, p.totalFailureSessionCount());
                policy.executeUpdate();
                long policyId;
                try (ResultSet keys = policy.getGeneratedKeys()) {
                    keys.next();
                    policyId = keys.getLong(1);
                }
                for (TlsFailureDetail d : p.failureDetails()) {
                    failure.setLong(1, policyId);
                    failure.setLong(2, id);
                    failure.setString(3, d.resultType());
                    failure.setString(4, d.sendingMtaIp());
                    failure.setString(5, d.receivingMxHostname());
                    failure.setString(6, d.receivingMxHelo());
                    failure.setString(7, d.receivingIp());
                    failure.setLong(8, d.failedSessionCount());
                    failure.setString(9, d.additionalInformation());
                    failure.setString(10, d.failureReasonCode());
                    failure.addBatch();
                }
            }
            failure.executeBatch();
        }
        Warnings.insert(c, "tls", id, r.warnings());
        return true;
    }
}
