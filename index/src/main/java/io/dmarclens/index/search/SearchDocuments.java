package io.dmarclens.index.search;

import io.dmarclens.index.store.CommittedRecord;
import io.dmarclens.index.store.JsonColumns;
import io.dmarclens.store.enrichment.SenderInfo;
import io.dmarclens.store.search.IpLiterals;
import java.net.InetAddress;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.InetAddressPoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StringField;

/**
 * Builds search documents from database rows. The column lists and the documents live together so that
 * indexing at import, catching up after a crash and rebuilding all read the same way.
 */
final class SearchDocuments {
    static final String RECORD = "record";
    static final String FAILURE = "failure";
    static final String TLS = "tls";

    private static final int MAX_MEMO_LENGTH = 1_024;

    private final TextTokens textTokens;
    // Records repeat the same few thousand addresses and auth result lists: decode each once.
    private final LruCache<String, List<String[]>> rows = new LruCache<>(20_000);
    private final LruCache<String, Optional<InetAddress>> addresses = new LruCache<>(50_000);

    SearchDocuments(TextTokens textTokens) {
        this.textTokens = textTokens;
    }

    private List<String[]> rows(String json) {
        if (json == null || json.length() > MAX_MEMO_LENGTH) {
            return JsonColumns.rows(json);
        }
        return rows.get(json, j -> List.copyOf(JsonColumns.rows(j)));
    }

    static final String RECORD_SQL = "SELECT rec.id, rec.report_ref, rec.source_ip, rec.disposition, rec.dkim, rec.spf,"
            + " rec.header_from, rec.envelope_from, rec.envelope_to, rec.reasons, rec.dkim_results, rec.spf_results,"
            + " rec.dmarc_pass, rec.classification, rec.classification_reason, r.reporter, r.reporter_email,"
            + " r.policy_domain, r.begin_ts, s.reverse_dns, s.base_domain, s.country, s.asn, s.as_name, s.sender_name,"
            + " s.sender_type, r.authenticity FROM aggregate_record rec JOIN aggregate_report r ON r.id = rec.report_ref"
            + " LEFT JOIN sender s ON s.ip = rec.source_ip";

    Document record(ResultSet rs) throws SQLException {
        SenderInfo sender = senderAt(rs, 20);
        return record(rs.getLong(1), rs.getLong(2), rs.getLong(19), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rows(rs.getString(10)),
                rows(rs.getString(11)), rows(rs.getString(12)), rs.getInt(13) == 1, rs.getString(14), rs.getString(15),
                rs.getString(16), rs.getString(17), rs.getString(18), sender, rs.getString(27));
    }

    /**
     * The document of a record the import hands over after its commit, identical to the one
     * {@link #record(ResultSet)} builds from the row; {@code sender} is the row of {@code sender} for its
     * address (or {@link SenderInfo#UNKNOWN}).
     */
    Document record(CommittedRecord r, SenderInfo sender) {
        CommittedRecord.Report report = r.report();
        return record(r.id(), report.id(), report.begin(), r.sourceIp(), r.disposition(), r.dkim(), r.spf(),
                r.headerFrom(), r.envelopeFrom(), r.envelopeTo(), JsonColumns.reasonRows(r.record().reasons()),
                JsonColumns.dkimRows(r.record().dkimResults()), JsonColumns.spfRows(r.record().spfResults()),
                r.dmarcPass(), r.classification(), r.classificationReason(), report.reporter(), report.reporterEmail(),
                report.policyDomain(), sender, report.authenticity());
    }

    @SuppressWarnings("checkstyle:ParameterNumber") // one per column of RECORD_SQL, in its order
    private Document record(long id, long reportRef, long begin, String ip, String disposition, String dkim, String spf,
                            String headerFrom, String envelopeFrom, String envelopeTo, List<String[]> reasons,
                            List<String[]> dkimResults, List<String[]> spfResults, boolean dmarcPass,
                            String classification, String classificationReason, String reporter, String reporterEmail,
                            String policyDomain, SenderInfo sender, String authenticity) {
        Builder b = new Builder(textTokens, addresses, 0, RECORD, id, "a" + reportRef, begin);
        b.ip(ip);
        b.keyword(SearchFields.DISPOSITION, disposition);
        b.keyword(SearchFields.DKIM, dkim);
        b.keyword(SearchFields.SPF, spf);
        b.keyword(SearchFields.FROM, headerFrom);
        b.keyword(SearchFields.ENVFROM, envelopeFrom);
        b.keyword(SearchFields.ENVTO, envelopeTo);
        for (String[] reason : reasons) {
            b.keyword(SearchFields.OVERRIDE, reason[0] != null ? reason[0] : reason[1]);
            b.text(SearchFields.DETAIL, reason[2]);
        }
        for (String[] d : dkimResults) {
            b.keyword(SearchFields.DKIMDOMAIN, d[0]);
            b.keyword(SearchFields.SELECTOR, d[1]);
            b.keyword(SearchFields.DKIMRESULT, d[2] != null ? d[2] : d[3]);
        }
        for (String[] s : spfResults) {
            b.keyword(SearchFields.SPFDOMAIN, s[0]);
            b.keyword(SearchFields.SPFRESULT, s[2] != null ? s[2] : s[3]);
        }
        b.keyword(SearchFields.DMARC, dmarcPass ? "pass" : "fail");
        b.keyword(SearchFields.CLASS, classification);
        b.text(SearchFields.REASON, classificationReason);
        b.text(SearchFields.REPORTER, reporter);
        b.text(SearchFields.REPORTER, reporterEmail);
        b.keyword(SearchFields.DOMAIN, policyDomain);
        sender(b, sender);
        b.keyword(SearchFields.ORIGIN, authenticity);
        return b.build();
    }

    /** The searchable fields of what is known about the source. */
    private void sender(Builder b, SenderInfo s) {
        b.keyword(SearchFields.PTR, s.reverseDns());
        b.keyword(SearchFields.BASE, s.baseDomain());
        b.keyword(SearchFields.COUNTRY, s.country());
        if (s.asn() != null) {
            b.keyword(SearchFields.ASN, Long.toString(s.asn()));
        }
        b.text(SearchFields.ASNAME, s.asName());
        b.text(SearchFields.SENDER, s.senderName());
        b.text(SearchFields.TYPE, s.senderType());
    }

    static final String SENDER_SQL = "SELECT reverse_dns, base_domain, country, asn, as_name, sender_name, sender_type"
            + " FROM sender WHERE ip = ?";

    /** What {@link #SENDER_SQL} found, or {@link SenderInfo#UNKNOWN}. */
    static SenderInfo sender(ResultSet rs) throws SQLException {
        return rs.next() ? senderAt(rs, 1) : SenderInfo.UNKNOWN;
    }

    /** reverse_dns, base_domain, country, asn, as_name, sender_name, sender_type from column {@code first} on. */
    private static SenderInfo senderAt(ResultSet rs, int first) throws SQLException {
        long asn = rs.getLong(first + 3);
        Long asnValue = rs.wasNull() ? null : asn;
        return new SenderInfo(rs.getString(first), rs.getString(first + 1), rs.getString(first + 2), asnValue,
                rs.getString(first + 4), rs.getString(first + 5), rs.getString(first + 6));
    }

    static final String FAILURE_SQL = "SELECT f.id, f.source_ip, COALESCE(f.arrival_ts, f.imported_at), f.msg_subject,"
            + " f.msg_from, f.msg_to, f.msg_id, f.auth_failure, f.reported_domain, f.original_mail_from,"
            + " f.original_rcpt_to, f.dkim_domain, f.dkim_selector, f.delivery_result, f.user_agent, f.reporting_mta,"
            + " s.reverse_dns, s.base_domain, s.country, s.asn, s.as_name, s.sender_name, s.sender_type,"
            + " f.feedback_type, f.authenticity FROM failure_report f LEFT JOIN sender s ON s.ip = f.source_ip";

    Document failure(ResultSet rs) throws SQLException {
        long id = rs.getLong(1);
        Builder b = new Builder(textTokens, addresses, 1, FAILURE, id, "f" + id, rs.getLong(3));
        b.ip(rs.getString(2));
        // The dashboard redacts the people in a failure sample (local parts of addresses, display names); the
        // index keeps no more of them, so that a search can neither list nor confirm an address.
        b.text(SearchFields.SUBJECT, withoutLocalParts(rs.getString(4)));
        addressDomain(b, SearchFields.FROM, rs.getString(5));
        addressDomain(b, SearchFields.TO, rs.getString(6));
        addressDomain(b, SearchFields.MSGID, rs.getString(7));
        for (String v : JsonColumns.strings(rs.getString(8))) {
            b.keyword(SearchFields.AUTHFAILURE, v);
        }
        for (String v : JsonColumns.strings(rs.getString(9))) {
            b.keyword(SearchFields.DOMAIN, v);
        }
        addressDomain(b, SearchFields.ENVFROM, rs.getString(10));
        for (String v : JsonColumns.strings(rs.getString(11))) {
            addressDomain(b, SearchFields.ENVTO, v);
        }
        b.keyword(SearchFields.DKIMDOMAIN, rs.getString(12));
        b.keyword(SearchFields.SELECTOR, rs.getString(13));
        b.keyword(SearchFields.RESULT, rs.getString(14));
        b.text(SearchFields.REPORTER, rs.getString(15));
        b.text(SearchFields.REPORTER, rs.getString(16));
        sender(b, senderAt(rs, 17));
        b.text(SearchFields.DETAIL, rs.getString(24));
        b.keyword(SearchFields.ORIGIN, rs.getString(25));
        return b.build();
    }

    static final String TLS_SQL = "SELECT d.id, d.tls_report_ref, t.begin_ts, t.organization, t.contact, p.policy_type,"
            + " p.policy_domain, p.mx_host, d.result_type, d.sending_mta_ip, d.receiving_mx_hostname,"
            + " d.receiving_mx_helo, d.receiving_ip, d.additional_info, d.failure_reason_code, t.authenticity"
            + " FROM tls_failure d JOIN tls_policy p ON p.id = d.tls_policy_ref JOIN tls_report t ON t.id = d.tls_report_ref";

    Document tls(ResultSet rs) throws SQLException {
        Builder b = new Builder(textTokens, addresses, 2, TLS, rs.getLong(1), "t" + rs.getLong(2), rs.getLong(3));
        b.text(SearchFields.REPORTER, rs.getString(4));
        b.text(SearchFields.REPORTER, rs.getString(5));
        b.keyword(SearchFields.POLICYTYPE, rs.getString(6));
        b.keyword(SearchFields.DOMAIN, rs.getString(7));
        for (String mx : JsonColumns.strings(rs.getString(8))) {
            b.keyword(SearchFields.MX, mx);
        }
        b.keyword(SearchFields.RESULT, rs.getString(9));
        b.ip(rs.getString(10));
        b.keyword(SearchFields.MX, rs.getString(11));
        b.keyword(SearchFields.MX, rs.getString(12));
        b.keyword(SearchFields.MX, rs.getString(13));
        b.text(SearchFields.DETAIL, rs.getString(14));
        b.text(SearchFields.REASON, rs.getString(15));
        b.keyword(SearchFields.ORIGIN, rs.getString(16));
        return b.build();
    }

    /** Indexes an address both whole and by its domain, so {@code from:example.com} finds a@example.com. */
    private static final java.util.regex.Pattern LOCAL_PART =
            java.util.regex.Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@(?=[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+)");

    /** Only the domain of an address (or of a Message-ID), without display name or local part. */
    private static void addressDomain(Builder b, String field, String value) {
        if (value == null || value.isBlank()) {
            return;
        }
        String v = value.strip();
        int lt = v.lastIndexOf('<');
        int gt = v.lastIndexOf('>');
        if (lt >= 0 && gt > lt) {
            v = v.substring(lt + 1, gt);
        }
        int at = v.lastIndexOf('@');
        if (at >= 0 && at < v.length() - 1) {
            b.keyword(field, v.substring(at + 1));
        }
    }

    /** The text with every address reduced to its domain, as the dashboard shows it redacted. */
    static String withoutLocalParts(String text) {
        return text == null ? null : LOCAL_PART.matcher(text).replaceAll("@");
    }

    /** Collects the fields of one document. */
    private static final class Builder {
        private final Document doc = new Document();
        private final TextTokens textTokens;
        private final LruCache<String, Optional<InetAddress>> addresses;

        Builder(TextTokens textTokens, LruCache<String, Optional<InetAddress>> addresses, int kindOrdinal, String kind, long id, String report, long date) {
            this.textTokens = textTokens;
            this.addresses = addresses;
            doc.add(new StringField(SearchFields.KIND, kind, Field.Store.NO));
            doc.add(new NumericDocValuesField(SearchFields.REF, id * 4 + kindOrdinal));
            doc.add(new StringField(SearchFields.REPORT, report, Field.Store.NO));
            doc.add(new LongPoint(SearchFields.DATE, date));
            doc.add(new NumericDocValuesField(SearchFields.DATE_SORT, date));
        }

        void ip(String ip) {
            if (ip == null || ip.isBlank()) {
                return;
            }
            String v = ip.strip();
            doc.add(new StringField(SearchFields.IP_KEY, v, Field.Store.NO));
            addresses.get(v, a -> Optional.ofNullable(IpLiterals.parse(a)))
                    .ifPresent(address -> doc.add(new InetAddressPoint(SearchFields.IP, address)));
        }

        void keyword(String field, String value) {
            if (value == null || value.isBlank()) {
                return;
            }
            doc.add(new StringField(field, value.strip().toLowerCase(Locale.ROOT), Field.Store.NO));
        }

        void text(String field, String value) {
            if (value == null || value.isBlank()) {
                return;
            }
            doc.add(textTokens.field(field, value));
        }

        Document build() {
            return doc;
        }
    }
}
