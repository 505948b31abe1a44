package io.dmarclens.opensearch;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.parser.ParseWarning;
import io.dmarclens.parser.aggregate.AggregateHeader;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.aggregate.DkimAuthResult;
import io.dmarclens.parser.aggregate.PolicyOverrideReason;
import io.dmarclens.parser.aggregate.PolicyPublished;
import io.dmarclens.parser.aggregate.ReportMetadata;
import io.dmarclens.parser.aggregate.SpfAuthResult;
import io.dmarclens.parser.failure.FailureReport;
import io.dmarclens.parser.tlsrpt.TlsFailureDetail;
import io.dmarclens.parser.tlsrpt.TlsPolicyResult;
import io.dmarclens.parser.tlsrpt.TlsReport;
import io.dmarclens.store.Authenticity;
import io.dmarclens.store.enrichment.RecordEnrichment;
import io.dmarclens.store.enrichment.SenderInfo;
import java.io.IOException;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The store's documents, field by field as the mappings in {@code templates/} say (docs/opensearch.md).
 * Values are normalised as the embedded store normalises them (domains lower case without a trailing dot,
 * reporter names stripped, absent tokens empty), so that both stores answer alike.
 */
final class Docs {
    private static final SerializableString F__ID = new SerializedString("_id");
    private static final SerializableString F__INDEX = new SerializedString("_index");
    private static final SerializableString F_AUTHENTICITY = new SerializedString("authenticity");
    private static final SerializableString F_AUTHENTICITY_REASON = new SerializedString("authenticity_reason");
    private static final SerializableString F_BEGIN = new SerializedString("begin");
    private static final SerializableString F_CLASSIFICATION = new SerializedString("classification");
    private static final SerializableString F_CLASSIFICATION_REASON = new SerializedString("classification_reason");
    private static final SerializableString F_COMMENT = new SerializedString("comment");
    private static final SerializableString F_COUNT = new SerializedString("count");
    private static final SerializableString F_DAY = new SerializedString("day");
    private static final SerializableString F_DISPOSITION = new SerializedString("disposition");
    private static final SerializableString F_DKIM = new SerializedString("dkim");
    private static final SerializableString F_DKIM_ALIGNED = new SerializedString("dkim_aligned");
    private static final SerializableString F_DKIM_DOMAINS = new SerializedString("dkim_domains");
    private static final SerializableString F_DKIM_RESULTS = new SerializedString("dkim_results");
    private static final SerializableString F_DKIM_SELECTORS = new SerializedString("dkim_selectors");
    private static final SerializableString F_DMARC_PASS = new SerializedString("dmarc_pass");
    private static final SerializableString F_DOMAIN = new SerializedString("domain");
    private static final SerializableString F_END = new SerializedString("end");
    private static final SerializableString F_ENVELOPE_FROM = new SerializedString("envelope_from");
    private static final SerializableString F_ENVELOPE_TO = new SerializedString("envelope_to");
    private static final SerializableString F_HEADER_FROM = new SerializedString("header_from");
    private static final SerializableString F_HUMAN_RESULT = new SerializedString("human_result");
    private static final SerializableString F_IDX = new SerializedString("idx");
    private static final SerializableString F_INDEX = new SerializedString("index");
    private static final SerializableString F_MESSAGES = new SerializedString("messages");
    private static final SerializableString F_POLICY_DOMAIN = new SerializedString("policy_domain");
    private static final SerializableString F_RAW_RESULT = new SerializedString("raw_result");
    private static final SerializableString F_RAW_TYPE = new SerializedString("raw_type");
    private static final SerializableString F_REASON_TYPES = new SerializedString("reason_types");
    private static final SerializableString F_REASONS = new SerializedString("reasons");
    private static final SerializableString F_RECORD_ID = new SerializedString("record_id");
    private static final SerializableString F_REPORT_ID = new SerializedString("report_id");
    private static final SerializableString F_REPORT_REF = new SerializedString("report_ref");
    private static final SerializableString F_REPORTER = new SerializedString("reporter");
    private static final SerializableString F_REPORTER_EMAIL = new SerializedString("reporter_email");
    private static final SerializableString F_RESULT = new SerializedString("result");
    private static final SerializableString F_SCOPE = new SerializedString("scope");
    private static final SerializableString F_SELECTOR = new SerializedString("selector");
    private static final SerializableString F_SEQ = new SerializedString("seq");
    private static final SerializableString F_SOURCE_ADDR = new SerializedString("source_addr");
    private static final SerializableString F_SOURCE_IP = new SerializedString("source_ip");
    private static final SerializableString F_SOURCE_REF = new SerializedString("source_ref");
    private static final SerializableString F_SPF = new SerializedString("spf");
    private static final SerializableString F_SPF_ALIGNED = new SerializedString("spf_aligned");
    private static final SerializableString F_SPF_DOMAINS = new SerializedString("spf_domains");
    private static final SerializableString F_SPF_RESULTS = new SerializedString("spf_results");
    private static final SerializableString F_TYPE = new SerializedString("type");
    private static final SerializableString F_UNVERIFIED = new SerializedString("unverified");
    private static final SerializableString F_VERDICT_DISAGREES = new SerializedString("verdict_disagrees");
    private Docs() {
    }

    /** The identity of an aggregate report: reporter org and email, report id, policy domain, range. */
    static String aggregateIdentity(AggregateHeader h) {
        ReportMetadata m = h.metadata();
        return DocIds.hex("aggregate", reporter(m), nz(m.email()), nz(m.reportId()), domain(h.policy().domain()),
                m.dateRange().begin(), m.dateRange().end());
    }

    /** The identity of a TLS report: organisation, report id, range. */
    static String tlsIdentity(TlsReport r) {
        return DocIds.hex("tls", org(r), nz(r.reportId()), begin(r), end(r));
    }

    static ObjectNode report(AggregateHeader h, long ref, String identity, String contentKey, long sourceRef,
                             long importedAt, Authenticity authenticity) {
        ReportMetadata m = h.metadata();
        PolicyPublished p = h.policy();
        ObjectNode d = JsonNodes.object();
        d.put("report_ref", ref);
        d.put("identity", identity);
        d.put("content_key", contentKey);
        d.put("source_ref", sourceRef);
        d.put("source_part", h.source() == null ? "" : h.source().part());
        d.put("reporter", reporter(m));
        d.put("reporter_email", nz(m.email()));
        putText(d, "extra_contact", m.extraContactInfo());
        d.put("report_id", nz(m.reportId()));
        d.put("policy_domain", domain(p.domain()));
        d.put("begin", m.dateRange().begin());
        d.put("end", m.dateRange().end());
        putText(d, "version", h.version());
        putText(d, "namespace", h.namespace());
        putText(d, "generator", m.generator());
        ArrayNode errors = d.putArray("errors");
        m.errors().forEach(errors::add);
        putText(d, "p", p.p() == null ? null : p.p().token());
        putText(d, "sp", p.sp() == null ? null : p.sp().token());
        putText(d, "np", p.np() == null ? null : p.np().token());
        putText(d, "adkim", p.adkim() == null ? null : p.adkim().token());
        putText(d, "aspf", p.aspf() == null ? null : p.aspf().token());
        if (p.pct() != null) {
            d.put("pct", p.pct());
        }
        putText(d, "fo", p.fo());
        putText(d, "testing", p.testing());
        putText(d, "discovery", p.discoveryMethod());
        d.put("imported_at", importedAt);
        d.put("authenticity", authenticity.verdict().code());
        d.put("authenticity_reason", authenticity.reason());
        d.put("unverified", authenticity.unverified());
        return d;
    }

    /** The verdict on a report's origin, on each of its documents (lists and hits leave unverified ones out). */
    static void authenticity(ObjectNode d, Authenticity authenticity) {
        d.put("authenticity", authenticity.verdict().code());
        d.put("authenticity_reason", authenticity.reason());
        d.put("unverified", authenticity.unverified());
    }

    static void warnings(ObjectNode d, List<ParseWarning> warnings) {
        ArrayNode a = d.putArray("warnings");
        for (ParseWarning w : warnings) {
            a.addObject().put("location", nz(w.location())).put("message", nz(w.message()));
        }
    }

    /** The report's fields each of its records repeats. */
    record ReportFields(long ref, long sourceRef, String reporter, String reporterEmail, String reportId,
                        String policyDomain, long begin, long end, Authenticity authenticity) {
        static ReportFields of(AggregateHeader h, long ref, long sourceRef, Authenticity authenticity) {
            ReportMetadata m = h.metadata();
            return new ReportFields(ref, sourceRef, Docs.reporter(m), nz(m.email()), nz(m.reportId()),
                    domain(h.policy().domain()), m.dateRange().begin(), m.dateRange().end(), authenticity);
        }

        boolean unverified() {
            return authenticity.unverified();
        }
    }

    /**
     * Writes an {@code index} action line's object: the document goes to {@code index} under {@code id}.
     */
    static void writeIndexAction(JsonGenerator g, String index, String id) throws IOException {
        g.writeStartObject();
        g.writeFieldName(F_INDEX);
        g.writeStartObject();
        str(g, F__INDEX, index);
        str(g, F__ID, id);
        g.writeEndObject();
        g.writeEndObject();
    }

    /**
     * Writes a record's document: its fields, then {@code seq} (its report's place in the stored order) and the
     * search object collected in {@code search}. Streamed at import, field by field in the order the document has
     * always had (a test compares it with the tree the store built before), without building the tree.
     */
    static void writeRecord(JsonGenerator g, ReportFields f, long recordId, AggregateRecord r, RecordEnrichment e,
                            long seq, SearchDocs.Builder search) throws IOException {
        g.writeStartObject();
        num(g, F_RECORD_ID, recordId);
        num(g, F_REPORT_REF, f.ref());
        num(g, F_SOURCE_REF, f.sourceRef());
        num(g, F_IDX, r.index());
        String ip = ip(r);
        str(g, F_SOURCE_IP, ip);
        str(g, F_SOURCE_ADDR, ip);
        num(g, F_COUNT, r.count());
        str(g, F_DISPOSITION, disposition(r));
        str(g, F_DKIM, r.dkim() == null ? "" : r.dkim().token());
        str(g, F_SPF, r.spf() == null ? "" : r.spf().token());
        str(g, F_HEADER_FROM, domain(r.headerFrom()));
        writeText(g, F_ENVELOPE_FROM, domainOrNull(r.envelopeFrom()));
        writeText(g, F_ENVELOPE_TO, domainOrNull(r.envelopeTo()));
        g.writeFieldName(F_REASONS);
        g.writeStartArray();
        for (PolicyOverrideReason reason : r.reasons()) {
            g.writeStartObject();
            writeText(g, F_TYPE, reason.type() == null ? null : reason.type().name());
            writeText(g, F_RAW_TYPE, reason.rawType());
            writeText(g, F_COMMENT, reason.comment());
            g.writeEndObject();
        }
        g.writeEndArray();
        String types = reasonTypes(r);
        g.writeFieldName(F_REASON_TYPES);
        g.writeStartArray();
        if (!types.isEmpty()) {
            for (String t : types.split(",")) {
                g.writeString(t);
            }
        }
        g.writeEndArray();
        g.writeFieldName(F_DKIM_RESULTS);
        g.writeStartArray();
        for (DkimAuthResult a : r.dkimResults()) {
            g.writeStartObject();
            writeText(g, F_DOMAIN, a.domain());
            writeText(g, F_SELECTOR, a.selector());
            writeText(g, F_RESULT, a.result() == null ? null : a.result().name());
            writeText(g, F_RAW_RESULT, a.rawResult());
            writeText(g, F_HUMAN_RESULT, a.humanResult());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeFieldName(F_DKIM_DOMAINS);
        g.writeStartArray();
        for (DkimAuthResult a : r.dkimResults()) {
            if (a.domain() != null) {
                g.writeString(domain(a.domain()));
            }
        }
        g.writeEndArray();
        g.writeFieldName(F_DKIM_SELECTORS);
        g.writeStartArray();
        for (DkimAuthResult a : r.dkimResults()) {
            if (a.selector() != null) {
                g.writeString(a.selector());
            }
        }
        g.writeEndArray();
        g.writeFieldName(F_SPF_RESULTS);
        g.writeStartArray();
        for (SpfAuthResult a : r.spfResults()) {
            g.writeStartObject();
            writeText(g, F_DOMAIN, a.domain());
            writeText(g, F_SCOPE, a.scope());
            writeText(g, F_RESULT, a.result() == null ? null : a.result().name());
            writeText(g, F_RAW_RESULT, a.rawResult());
            writeText(g, F_HUMAN_RESULT, a.humanResult());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeFieldName(F_SPF_DOMAINS);
        g.writeStartArray();
        for (SpfAuthResult a : r.spfResults()) {
            if (a.domain() != null) {
                g.writeString(domain(a.domain()));
            }
        }
        g.writeEndArray();
        // As enrichment(ObjectNode, RecordEnrichment) puts them.
        bool(g, F_DKIM_ALIGNED, e.dkimAligned());
        bool(g, F_SPF_ALIGNED, e.spfAligned());
        bool(g, F_DMARC_PASS, e.dmarcPass());
        bool(g, F_VERDICT_DISAGREES, e.verdictDisagrees());
        str(g, F_CLASSIFICATION, e.classification() == null ? "" : e.classification().token());
        writeText(g, F_CLASSIFICATION_REASON, e.classificationReason());
        str(g, F_REPORTER, f.reporter());
        str(g, F_REPORTER_EMAIL, f.reporterEmail());
        str(g, F_REPORT_ID, f.reportId());
        str(g, F_POLICY_DOMAIN, f.policyDomain());
        num(g, F_BEGIN, f.begin());
        num(g, F_END, f.end());
        // As authenticity(ObjectNode, Authenticity) puts them; its "unverified" is the one above.
        bool(g, F_UNVERIFIED, f.authenticity().unverified());
        str(g, F_AUTHENTICITY, f.authenticity().verdict().code());
        str(g, F_AUTHENTICITY_REASON, f.authenticity().reason());
        num(g, F_SEQ, seq);
        g.writeFieldName(SearchDocs.FIELD);
        search.write(g);
        g.writeEndObject();
    }

    private static void writeText(JsonGenerator g, SerializableString field, String value) throws IOException {
        if (value != null) {
            str(g, field, value);
        }
    }

    // Field names are written from their encoded bytes: encoding each name again for every document cost as much
    // as its values.
    private static void str(JsonGenerator g, SerializableString field, String value) throws IOException {
        g.writeFieldName(field);
        g.writeString(value);
    }

    private static void num(JsonGenerator g, SerializableString field, long value) throws IOException {
        g.writeFieldName(field);
        g.writeNumber(value);
    }

    private static void bool(JsonGenerator g, SerializableString field, boolean value) throws IOException {
        g.writeFieldName(field);
        g.writeBoolean(value);
    }

    /** Our verdicts on a record (written again by re-classification). */
    static void enrichment(ObjectNode d, RecordEnrichment e) {
        d.put("dkim_aligned", e.dkimAligned());
        d.put("spf_aligned", e.spfAligned());
        d.put("dmarc_pass", e.dmarcPass());
        d.put("verdict_disagrees", e.verdictDisagrees());
        d.put("classification", e.classification() == null ? "" : e.classification().token());
        putText(d, "classification_reason", e.classificationReason());
    }

    static RollupKey rollupKey(ReportFields f, AggregateRecord r, RecordEnrichment e) {
        return new RollupKey(f.policyDomain(), domain(r.headerFrom()), ip(r), f.reporter(), disposition(r),
                r.dkim() == null ? "" : r.dkim().token(), r.spf() == null ? "" : r.spf().token(), e.dkimAligned(),
                e.spfAligned(), e.dmarcPass(), e.classification() == null ? "" : e.classification().token(),
                reasonTypes(r), f.unverified());
    }

    static ObjectNode rollup(long ref, RollupKey k, LocalDate day, long messages) {
        ObjectNode d = JsonNodes.object();
        d.put("report_ref", ref);
        d.put("day", day.toString());
        d.put("policy_domain", k.policyDomain());
        d.put("header_from", k.headerFrom());
        d.put("source_ip", k.sourceIp());
        d.put("source_addr", k.sourceIp());
        d.put("reporter", k.reporter());
        d.put("disposition", k.disposition());
        d.put("dkim", k.dkim());
        d.put("spf", k.spf());
        d.put("dkim_aligned", k.dkimAligned());
        d.put("spf_aligned", k.spfAligned());
        d.put("dmarc_pass", k.dmarcPass());
        d.put("classification", k.classification());
        ArrayNode types = d.putArray("reason_types");
        if (!k.reasonTypes().isEmpty()) {
            for (String t : k.reasonTypes().split(",")) {
                types.add(t);
            }
        }
        d.put("unverified", k.unverified());
        d.put("messages", messages);
        return d;
    }

    /** Writes a rollup document as {@link #rollup} builds it, without the tree. */
    static void writeRollup(JsonGenerator g, long ref, RollupKey k, LocalDate day, long messages) throws IOException {
        g.writeStartObject();
        num(g, F_REPORT_REF, ref);
        str(g, F_DAY, day.toString());
        str(g, F_POLICY_DOMAIN, k.policyDomain());
        str(g, F_HEADER_FROM, k.headerFrom());
        str(g, F_SOURCE_IP, k.sourceIp());
        str(g, F_SOURCE_ADDR, k.sourceIp());
        str(g, F_REPORTER, k.reporter());
        str(g, F_DISPOSITION, k.disposition());
        str(g, F_DKIM, k.dkim());
        str(g, F_SPF, k.spf());
        bool(g, F_DKIM_ALIGNED, k.dkimAligned());
        bool(g, F_SPF_ALIGNED, k.spfAligned());
        bool(g, F_DMARC_PASS, k.dmarcPass());
        str(g, F_CLASSIFICATION, k.classification());
        g.writeFieldName(F_REASON_TYPES);
        g.writeStartArray();
        if (!k.reasonTypes().isEmpty()) {
            for (String t : k.reasonTypes().split(",")) {
                g.writeString(t);
            }
        }
        g.writeEndArray();
        bool(g, F_UNVERIFIED, k.unverified());
        num(g, F_MESSAGES, messages);
        g.writeEndObject();
    }

    /** The id of a sender's document (an IP may hold characters an id in a URL path should not). */
    static String senderId(String ip) {
        return DocIds.hex("sender", ip);
    }

    /** The id of a rollup document: its report, key and day. */
    static String rollupId(long ref, RollupKey k, LocalDate day) {
        return DocIds.hex("rollup", ref, k, day);
    }

    /** What is known about a source, without the unknown values (they keep what was stored). */
    static ObjectNode sender(String ip, SenderInfo s, long updatedAt) {
        ObjectNode d = JsonNodes.object();
        d.put("ip", ip);
        d.put("addr", ip);
        putText(d, "reverse_dns", s.reverseDns());
        putText(d, "base_domain", s.baseDomain());
        putText(d, "country", s.country());
        if (s.asn() != null) {
            d.put("asn", s.asn());
        }
        putText(d, "as_name", s.asName());
        putText(d, "sender_name", s.senderName());
        putText(d, "sender_type", s.senderType());
        d.put("updated_at", updatedAt);
        return d;
    }

    static ObjectNode failure(FailureReport r, long id, long sourceRef, String contentKey, long importedAt,
                              com.fasterxml.jackson.databind.ObjectMapper json) {
        ObjectNode d = JsonNodes.object();
        d.put("failure_id", id);
        d.put("source_ref", sourceRef);
        d.put("content_key", contentKey);
        if (r.arrivalDate() != null) {
            d.put("arrival", r.arrivalDate().getEpochSecond());
        }
        d.put("imported_at", importedAt);
        putText(d, "source_ip", r.sourceIp());
        putText(d, "source_addr", r.sourceIp());
        ArrayNode domains = d.putArray("reported_domain");
        domains(r.reportedDomain()).forEach(domains::add);
        putText(d, "feedback_type", r.feedbackType());
        ArrayNode auth = d.putArray("auth_failure");
        r.authFailure().forEach(auth::add);
        putText(d, "delivery_result", r.deliveryResult());
        putText(d, "dkim_domain", r.dkimDomain());
        putText(d, "original_mail_from", r.originalMailFrom());
        if (r.original() != null) {
            putText(d, "from", r.original().from());
            putText(d, "to", r.original().to());
            putText(d, "subject", r.original().subject());
            putText(d, "message_id", r.original().messageId());
        }
        putText(d, "partial", r.truncation() == null ? null : r.truncation().reason());
        d.put("is_partial", r.truncation() != null);
        d.set("doc", json.valueToTree(r));
        return d;
    }

    static ObjectNode tls(TlsReport r, long ref, String identity, String contentKey, long sourceRef, long importedAt) {
        ObjectNode d = JsonNodes.object();
        d.put("tls_ref", ref);
        d.put("identity", identity);
        d.put("content_key", contentKey);
        d.put("source_ref", sourceRef);
        d.put("source_part", r.source() == null ? "" : r.source().part());
        d.put("organization", org(r));
        putText(d, "contact", r.contactInfo());
        d.put("report_id", nz(r.reportId()));
        d.put("begin", begin(r));
        d.put("end", end(r));
        ArrayNode domains = d.putArray("policy_domains");
        domains(r.policies().stream().map(TlsPolicyResult::policyDomain).toList()).forEach(domains::add);
        d.put("successful_sessions", r.policies().stream().mapToLong(TlsPolicyResult::totalSuccessfulSessionCount).sum());
        d.put("failed_sessions", r.policies().stream().mapToLong(TlsPolicyResult::totalFailureSessionCount).sum());
        d.put("imported_at", importedAt);
        putText(d, "partial", r.truncation() == null ? null : r.truncation().reason());
        d.put("is_partial", r.truncation() != null);
        ArrayNode policies = d.putArray("policies");
        for (TlsPolicyResult p : r.policies()) {
            ObjectNode o = policies.addObject();
            putText(o, "policy_type", p.policyType());
            ArrayNode strings = o.putArray("policy_string");
            p.policyString().forEach(strings::add);
            putText(o, "policy_domain", domainOrNull(p.policyDomain()));
            ArrayNode mx = o.putArray("mx_host");
            p.mxHost().forEach(mx::add);
            o.put("successful_sessions", p.totalSuccessfulSessionCount());
            o.put("failed_sessions", p.totalFailureSessionCount());
        }
        ArrayNode w = d.putArray("warnings");
        for (ParseWarning pw : r.warnings()) {
            w.addObject().put("location", nz(pw.location())).put("message", nz(pw.message()));
        }
        return d;
    }

    static ObjectNode tlsFailure(TlsReport r, long ref, long failureId, int position, TlsPolicyResult p,
                                 TlsFailureDetail f) {
        ObjectNode d = JsonNodes.object();
        d.put("failure_id", failureId);
        d.put("tls_ref", ref);
        d.put("position", position);
        d.put("organization", org(r));
        d.put("report_id", nz(r.reportId()));
        d.put("begin", begin(r));
        d.put("end", end(r));
        putText(d, "policy_type", p.policyType());
        putText(d, "policy_domain", domainOrNull(p.policyDomain()));
        putText(d, "result_type", f.resultType());
        putText(d, "sending_mta_ip", f.sendingMtaIp());
        putText(d, "sending_mta_addr", f.sendingMtaIp());
        putText(d, "receiving_mx_hostname", f.receivingMxHostname());
        putText(d, "receiving_mx_helo", f.receivingMxHelo());
        putText(d, "receiving_ip", f.receivingIp());
        putText(d, "receiving_addr", f.receivingIp());
        d.put("failed_sessions", f.failedSessionCount());
        putText(d, "additional_info", f.additionalInformation());
        putText(d, "failure_reason_code", f.failureReasonCode());
        putText(d, "partial", r.truncation() == null ? null : r.truncation().reason());
        return d;
    }

    static String org(TlsReport r) {
        return r.organizationName() == null ? "" : r.organizationName().strip();
    }

    static long begin(TlsReport r) {
        return r.startDatetime() == null ? 0 : r.startDatetime().getEpochSecond();
    }

    static long end(TlsReport r) {
        return r.endDatetime() == null ? begin(r) : r.endDatetime().getEpochSecond();
    }

    private static void putText(ObjectNode d, String field, String value) {
        if (value != null) {
            d.put(field, value);
        }
    }

    static String ip(AggregateRecord r) {
        return r.sourceIp() == null ? "" : r.sourceIp();
    }

    static String disposition(AggregateRecord r) {
        return r.disposition() == null ? "" : r.disposition().token();
    }

    static String reporter(ReportMetadata m) {
        return nz(m.orgName()).strip();
    }

    static String nz(String s) {
        return s == null ? "" : s;
    }

    /** Domain names compare case-insensitively: stored lower case without a trailing dot. */
    static String domain(String d) {
        if (d == null) {
            return "";
        }
        String s = d.strip().toLowerCase(Locale.ROOT);
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    static String domainOrNull(String d) {
        return d == null ? null : domain(d);
    }

    static Set<String> domains(List<String> names) {
        Set<String> out = new TreeSet<>();
        for (String n : names) {
            if (n != null && !n.isBlank()) {
                out.add(domain(n));
            }
        }
        return out;
    }

    static String reasonTypes(AggregateRecord r) {
        if (r.reasons().isEmpty()) {
            return "";
        }
        TreeSet<String> types = new TreeSet<>();
        for (var reason : r.reasons()) {
            types.add(reason.type() != null ? reason.type().token() : nz(reason.rawType()).toLowerCase(Locale.ROOT));
        }
        return String.join(",", types);
    }
}
