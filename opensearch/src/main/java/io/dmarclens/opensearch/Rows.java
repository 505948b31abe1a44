package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmarclens.parser.ParseWarning;
import io.dmarclens.store.Authenticity;
import io.dmarclens.store.enrichment.SenderInfo;
import io.dmarclens.store.query.RecordRow;
import io.dmarclens.store.query.ReportSummary;
import io.dmarclens.store.query.TlsFailureRow;
import io.dmarclens.store.query.TlsReportSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Stored documents (their {@code _source}) as the read models' rows; the fields are those of templates/*.json. */
final class Rows {
    private Rows() {
    }

    /** A text field, or null when absent or null. */
    static String text(JsonNode doc, String field) {
        JsonNode v = doc.get(field);
        return v == null || v.isNull() || v.isMissingNode() ? null : v.asText();
    }

    static Instant seconds(JsonNode doc, String field) {
        JsonNode v = doc.get(field);
        return v == null || v.isNull() ? null : Instant.ofEpochSecond(v.asLong());
    }

    static List<String> strings(JsonNode doc, String field) {
        List<String> out = new ArrayList<>();
        JsonNode v = doc.path(field);
        if (v.isArray()) {
            v.forEach(s -> out.add(s.isNull() ? null : s.asText()));
        } else if (v.isTextual()) {
            out.add(v.asText());
        }
        return out;
    }

    static SenderInfo sender(JsonNode s) {
        SenderInfo info = new SenderInfo(text(s, "reverse_dns"), text(s, "base_domain"), text(s, "country"),
                s.hasNonNull("asn") ? s.path("asn").asLong() : null, text(s, "as_name"), text(s, "sender_name"),
                text(s, "sender_type"));
        return info.equals(SenderInfo.UNKNOWN) ? SenderInfo.UNKNOWN : info;
    }

    /** The verdict on a report's origin as a document carries it. */
    static Authenticity authenticity(JsonNode doc) {
        return new Authenticity(Authenticity.Verdict.ofCode(text(doc, "authenticity")), text(doc, "authenticity_reason"));
    }

    /** A record with what is known about its source and the verdict on its report's origin (from the report). */
    static RecordRow record(JsonNode r, SenderInfo sender, Authenticity authenticity) {
        io.dmarclens.parser.aggregate.AggregateRecord model = RecordDocs.record(r);
        return new RecordRow(r.path("record_id").asLong(), r.path("report_ref").asLong(), text(r, "reporter"),
                text(r, "report_id"), text(r, "policy_domain"), seconds(r, "begin"), seconds(r, "end"),
                text(r, "source_ip"), r.path("count").asLong(), text(r, "disposition"), text(r, "dkim"), text(r, "spf"),
                text(r, "header_from"), text(r, "envelope_from"), text(r, "envelope_to"), model.reasons(),
                model.dkimResults(), model.spfResults(), sender, r.path("dkim_aligned").asBoolean(),
                r.path("spf_aligned").asBoolean(), r.path("dmarc_pass").asBoolean(),
                r.path("verdict_disagrees").asBoolean(), text(r, "classification"), text(r, "classification_reason"),
                text(r, "partial"), authenticity);
    }

    static List<ParseWarning> warnings(JsonNode doc) {
        List<ParseWarning> out = new ArrayList<>();
        for (JsonNode w : doc.path("warnings")) {
            out.add(new ParseWarning(text(w, "location"), text(w, "message")));
        }
        return out;
    }

    static ReportSummary report(JsonNode r) {
        return new ReportSummary(r.path("report_ref").asLong(), text(r, "reporter"), text(r, "reporter_email"),
                text(r, "report_id"), text(r, "policy_domain"), seconds(r, "begin"), seconds(r, "end"),
                r.path("record_count").asLong(), r.path("message_count").asLong(), r.path("warnings").size(),
                seconds(r, "imported_at"), r.path("source_ref").asLong(), text(r, "partial"),
                new Authenticity(Authenticity.Verdict.ofCode(text(r, "authenticity")), text(r, "authenticity_reason")));
    }

    /**
     * A failure report from its document: the searchable fields beside the report whole ({@code doc}, the
     * parser's model as JSON), read back as the embedded store reads its row.
     */
    static io.dmarclens.store.query.FailureRow failure(JsonNode f, SenderInfo sender) {
        JsonNode d = f.path("doc");
        JsonNode m = d.path("original");
        boolean original = m.isObject();
        java.util.Map<String, List<String>> fields = new java.util.LinkedHashMap<>();
        d.path("fields").fields().forEachRemaining(e -> fields.put(e.getKey(), strings(d.path("fields"), e.getKey())));
        String format = text(d, "format");
        return new io.dmarclens.store.query.FailureRow(f.path("failure_id").asLong(), f.path("source_ref").asLong(),
                format == null ? "" : format, text(d, "feedbackType"), text(d, "userAgent"), seconds(f, "arrival"),
                text(d, "sourceIp"), sender, text(d, "reportingMta"), text(d, "originalMailFrom"),
                strings(d, "originalRcptTo"), strings(d, "reportedDomain"), strings(d, "authFailure"),
                text(d, "deliveryResult"), text(d, "dkimDomain"), text(d, "dkimSelector"), text(d, "spfDns"),
                d.path("incidents").asInt(), original ? text(m, "from") : null, original ? text(m, "to") : null,
                original ? text(m, "subject") : null, original ? text(m, "messageId") : null, fields,
                text(d, "humanReadable"), seconds(f, "imported_at"), text(f, "partial"), authenticity(f));
    }

    /** The original message's headers of a failure report document, as [name, value] pairs. */
    static List<String[]> headers(JsonNode f) {
        List<String[]> out = new ArrayList<>();
        for (JsonNode h : f.path("doc").path("original").path("headers")) {
            out.add(new String[]{text(h, "name"), text(h, "value")});
        }
        return out;
    }

    /** The parse warnings a failure report document carries in its report. */
    static List<ParseWarning> failureWarnings(JsonNode f) {
        List<ParseWarning> out = new ArrayList<>();
        for (JsonNode w : f.path("doc").path("warnings")) {
            out.add(new ParseWarning(text(w, "location"), text(w, "message")));
        }
        return out;
    }

    static TlsReportSummary tls(JsonNode t) {
        return new TlsReportSummary(t.path("tls_ref").asLong(), t.path("source_ref").asLong(), text(t, "organization"),
                text(t, "report_id"), seconds(t, "begin"), seconds(t, "end"), text(t, "contact"),
                t.path("policies").size(), t.path("successful_sessions").asLong(), t.path("failed_sessions").asLong(),
                text(t, "partial"), authenticity(t));
    }

    static TlsFailureRow tlsFailure(JsonNode d) {
        return new TlsFailureRow(d.path("failure_id").asLong(), d.path("tls_ref").asLong(), text(d, "organization"),
                text(d, "report_id"), seconds(d, "begin"), seconds(d, "end"), text(d, "policy_type"),
                text(d, "policy_domain"), text(d, "result_type"), text(d, "sending_mta_ip"),
                text(d, "receiving_mx_hostname"), text(d, "receiving_mx_helo"), text(d, "receiving_ip"),
                d.path("failed_sessions").asLong(), text(d, "additional_info"), text(d, "failure_reason_code"),
                text(d, "partial"), authenticity(d));
    }
}
