package io.dmarclens.index.store;

import io.dmarclens.parser.tlsrpt.TlsFailureDetail;
import io.dmarclens.parser.tlsrpt.TlsPolicyResult;
import io.dmarclens.parser.tlsrpt.TlsReport;
import io.dmarclens.store.Authenticity;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** Writes one SMTP TLS report with its policies and failure details. */
final class TlsWriter {
    private TlsWriter() {
    }

    /**
     * What became of one TLS report.
     *
     * @param stored     false when a report with the same identity or source content is stored already and
     *                   this copy is no more complete
     * @param replacedId the id of the partial copy this one replaced, or 0
     */
    record Written(boolean stored, long replacedId) {
    }

    static Written insert(Connection c, long sourceId, String contentKey, TlsReport r, Instant now,
                          Authenticity authenticity) throws SQLException {
        String org = r.organizationName() == null ? "" : r.organizationName().strip();
        String reportId = r.reportId() == null ? "" : r.reportId();
        long begin = r.startDatetime() == null ? 0 : r.startDatetime().getEpochSecond();
        long end = r.endDatetime() == null ? begin : r.endDatetime().getEpochSecond();
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM tls_report WHERE content_key = ?")) {
            ps.setString(1, contentKey);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return new Written(false, 0);
                }
            }
        }
        StoredCopy stored = StoredCopy.findTls(c, org, reportId, begin, end);
        boolean verified = authenticity.verdict() == Authenticity.Verdict.VERIFIED;
        if (stored != null && !stored.replacedBy(r.truncation() == null, r.policies().size())
                && !stored.replacedByVerified(verified)) {
            return new Written(false, 0);
        }
        if (stored != null) {
            stored.stepAside(c); // the new copy goes in beside it, so its ids come after the old copy's
        }
        long importedAt = now.getEpochSecond();
        long id;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO tls_report (source_id, source_part, content_key,"
                + " organization, report_id, begin_ts, end_ts, contact, imported_at, partial, authenticity, authenticity_reason)"
                + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                PreparedStatement.RETURN_GENERATED_KEYS)) {
            ps.setLong(1, sourceId);
            ps.setString(2, r.source() == null ? "" : r.source().part());
            ps.setString(3, contentKey);
            ps.setString(4, org);
            ps.setString(5, reportId);
            ps.setLong(6, begin);
            ps.setLong(7, end);
            ps.setString(8, r.contactInfo());
            ps.setLong(9, importedAt);
            ps.setString(10, r.truncation() == null ? null : r.truncation().reason());
            ps.setString(11, authenticity.verdict().code());
            ps.setString(12, authenticity.reason());
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
        if (stored == null) {
            return new Written(true, 0);
        }
        try (PreparedStatement warn = c.prepareStatement("DELETE FROM report_warning WHERE kind = 'tls' AND report_ref = ?");
             PreparedStatement del = c.prepareStatement("DELETE FROM tls_report WHERE id = ?")) {
            warn.setLong(1, stored.id());
            warn.executeUpdate();
            del.setLong(1, stored.id()); // policies and failure details go with it (ON DELETE CASCADE)
            del.executeUpdate();
        }
        stored.keep(c, id, importedAt);
        return new Written(true, stored.id());
    }
}
