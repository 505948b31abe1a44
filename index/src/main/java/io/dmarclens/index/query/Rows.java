package io.dmarclens.index.query;

import io.dmarclens.index.store.JsonColumns;
import io.dmarclens.store.Authenticity;
import io.dmarclens.store.enrichment.SenderInfo;
import io.dmarclens.store.query.FailureRow;
import io.dmarclens.store.query.RecordRow;
import io.dmarclens.store.query.ReportSummary;
import io.dmarclens.store.query.TlsFailureRow;
import io.dmarclens.store.query.TlsReportSummary;
import io.dmarclens.store.query.Totals;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** Maps result rows to the query records. Column lists live beside their mappers. */
final class Rows {
    private Rows() {
    }

    static final String RECORD_COLUMNS = "rec.id, rec.report_ref, r.reporter, r.report_id, r.policy_domain, r.begin_ts,"
            + " r.end_ts, rec.source_ip, rec.count, rec.disposition, rec.dkim, rec.spf, rec.header_from, rec.envelope_from,"
            + " rec.envelope_to, rec.reasons, rec.dkim_results, rec.spf_results, s.reverse_dns, s.base_domain, s.country,"
            + " s.asn, s.as_name, s.sender_name, s.sender_type, rec.dkim_aligned, rec.spf_aligned, rec.dmarc_pass,"
            + " rec.verdict_disagrees, rec.classification, rec.classification_reason, r.partial, r.authenticity,"
            + " r.authenticity_reason";
    static final String RECORD_FROM = " FROM aggregate_record rec JOIN aggregate_report r ON r.id = rec.report_ref"
            + " LEFT JOIN sender s ON s.ip = rec.source_ip";

    static RecordRow record(ResultSet rs) throws SQLException {
        return new RecordRow(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                Instant.ofEpochSecond(rs.getLong(6)), Instant.ofEpochSecond(rs.getLong(7)), rs.getString(8),
                rs.getLong(9), rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(13),
                rs.getString(14), rs.getString(15), JsonColumns.reasons(rs.getString(16)),
                JsonColumns.dkim(rs.getString(17)), JsonColumns.spf(rs.getString(18)), sender(rs, 19),
                rs.getInt(26) == 1, rs.getInt(27) == 1, rs.getInt(28) == 1, rs.getInt(29) == 1, rs.getString(30),
                rs.getString(31), rs.getString(32), authenticity(rs, 33));
    }

    /** Reads an authenticity code and reason from columns {@code first} and {@code first + 1}. */
    static Authenticity authenticity(ResultSet rs, int first) throws SQLException {
        return new Authenticity(Authenticity.Verdict.ofCode(rs.getString(first)), rs.getString(first + 1));
    }

    /** Reads reverse_dns, base_domain, country, asn, as_name, sender_name, sender_type from {@code first} on. */
    static SenderInfo sender(ResultSet rs, int first) throws SQLException {
        long asn = rs.getLong(first + 3);
        Long asnValue = rs.wasNull() ? null : asn;
        SenderInfo s = new SenderInfo(rs.getString(first), rs.getString(first + 1), rs.getString(first + 2), asnValue,
                rs.getString(first + 4), rs.getString(first + 5), rs.getString(first + 6));
        return s.equals(SenderInfo.UNKNOWN) ? SenderInfo.UNKNOWN : s;
    }

    static final String REPORT_COLUMNS = "r.id, r.reporter, r.reporter_email, r.report_id, r.policy_domain, r.begin_ts,"
            + " r.end_ts, r.record_count, r.message_count,"
            + " (SELECT COUNT(*) FROM report_warning w WHERE w.kind = 'aggregate' AND w.report_ref = r.id),"
            + " r.imported_at, r.source_id, r.partial, r.authenticity, r.authenticity_reason";

    static ReportSummary report(ResultSet rs) throws SQLException {
        return new ReportSummary(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                Instant.ofEpochSecond(rs.getLong(6)), Instant.ofEpochSecond(rs.getLong(7)), rs.getLong(8), rs.getLong(9),
                rs.getLong(10), Instant.ofEpochSecond(rs.getLong(11)), rs.getLong(12), rs.getString(13),
                authenticity(rs, 14));
    }

    static final String FAILURE_COLUMNS = "f.id, f.source_id, f.format, f.feedback_type, f.user_agent, f.arrival_ts,"
            + " f.source_ip, s.reverse_dns, s.base_domain, s.country, s.asn, s.as_name, s.sender_name, s.sender_type,"
            + " f.reporting_mta, f.original_mail_from, f.original_rcpt_to, f.reported_domain, f.auth_failure,"
            + " f.delivery_result, f.dkim_domain, f.dkim_selector, f.spf_dns, f.incidents, f.msg_from, f.msg_to,"
            + " f.msg_subject, f.msg_id, f.fields, f.human_readable, f.imported_at, f.partial, f.authenticity,"
            + " f.authenticity_reason";
    static final String FAILURE_FROM = " FROM failure_report f LEFT JOIN sender s ON s.ip = f.source_ip";

    static FailureRow failure(ResultSet rs) throws SQLException {
        long arrival = rs.getLong(6);
        Instant arrivalAt = rs.wasNull() ? null : Instant.ofEpochSecond(arrival);
        return new FailureRow(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                arrivalAt, rs.getString(7), sender(rs, 8), rs.getString(15), rs.getString(16),
                JsonColumns.strings(rs.getString(17)), JsonColumns.strings(rs.getString(18)),
                JsonColumns.strings(rs.getString(19)), rs.getString(20), rs.getString(21), rs.getString(22),
                rs.getString(23), rs.getInt(24), rs.getString(25), rs.getString(26), rs.getString(27), rs.getString(28),
                JsonColumns.fields(rs.getString(29)), rs.getString(30), Instant.ofEpochSecond(rs.getLong(31)),
                rs.getString(32), authenticity(rs, 33));
    }

    static final String TLS_COLUMNS = "t.id, t.source_id, t.organization, t.report_id, t.begin_ts, t.end_ts, t.contact,"
            + " (SELECT COUNT(*) FROM tls_policy p WHERE p.tls_report_ref = t.id),"
            + " (SELECT COALESCE(SUM(success_count), 0) FROM tls_policy p WHERE p.tls_report_ref = t.id),"
            + " (SELECT COALESCE(SUM(failure_count), 0) FROM tls_policy p WHERE p.tls_report_ref = t.id), t.partial,"
            + " t.authenticity, t.authenticity_reason";

    static TlsReportSummary tls(ResultSet rs) throws SQLException {
        return new TlsReportSummary(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                Instant.ofEpochSecond(rs.getLong(5)), Instant.ofEpochSecond(rs.getLong(6)), rs.getString(7),
                rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getString(11), authenticity(rs, 12));
    }

    static final String TLS_FAILURE_COLUMNS = "d.id, d.tls_report_ref, t.organization, t.report_id, t.begin_ts,"
            + " t.end_ts, p.policy_type, p.policy_domain, d.result_type, d.sending_mta_ip, d.receiving_mx_hostname,"
            + " d.receiving_mx_helo, d.receiving_ip, d.failed_sessions, d.additional_info, d.failure_reason_code,"
            + " t.partial, t.authenticity, t.authenticity_reason";
    static final String TLS_FAILURE_FROM = " FROM tls_failure d JOIN tls_policy p ON p.id = d.tls_policy_ref"
            + " JOIN tls_report t ON t.id = d.tls_report_ref";

    static TlsFailureRow tlsFailure(ResultSet rs) throws SQLException {
        return new TlsFailureRow(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                Instant.ofEpochSecond(rs.getLong(5)), Instant.ofEpochSecond(rs.getLong(6)), rs.getString(7),
                rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11), rs.getString(12),
                rs.getString(13), rs.getLong(14), rs.getString(15), rs.getString(16), rs.getString(17),
                authenticity(rs, 18));
    }

    /** Totals columns over a rollup table with messages, dmarc_pass, ... columns. */
    static final String TOTALS_COLUMNS = "COALESCE(SUM(messages), 0),"
            + " COALESCE(SUM(CASE WHEN dmarc_pass = 1 THEN messages END), 0),"
            + " COALESCE(SUM(CASE WHEN dmarc_pass = 0 THEN messages END), 0),"
            + " COALESCE(SUM(CASE WHEN dkim_aligned = 1 THEN messages END), 0),"
            + " COALESCE(SUM(CASE WHEN spf_aligned = 1 THEN messages END), 0),"
            + " COALESCE(SUM(CASE WHEN dkim = 'pass' THEN messages END), 0),"
            + " COALESCE(SUM(CASE WHEN spf = 'pass' THEN messages END), 0),"
            + " COALESCE(SUM(CASE WHEN disposition IN ('none', 'pass') THEN messages END), 0),"
            + " COALESCE(SUM(CASE WHEN disposition = 'quarantine' THEN messages END), 0),"
            + " COALESCE(SUM(CASE WHEN disposition = 'reject' THEN messages END), 0),"
            + " COALESCE(SUM(CASE WHEN classification = 'compliant' THEN messages END), 0),"
            + " COALESCE(SUM(CASE WHEN classification = 'forwarded' THEN messages END), 0),"
            + " COALESCE(SUM(CASE WHEN classification = 'misconfigured' THEN messages END), 0),"
            + " COALESCE(SUM(CASE WHEN classification = 'threat' THEN messages END), 0)";

    static Totals totals(ResultSet rs, int first) throws SQLException {
        long[] v = new long[14];
        for (int i = 0; i < v.length; i++) {
            v[i] = rs.getLong(first + i);
        }
        return new Totals(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13]);
    }
}
