package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.aggregate.DkimAuthResult;
import io.dmarclens.parser.aggregate.PolicyOverrideReason;
import io.dmarclens.parser.aggregate.SpfAuthResult;
import io.dmarclens.parser.failure.FailureReport;
import io.dmarclens.parser.failure.OriginalMessage;
import io.dmarclens.parser.tlsrpt.TlsFailureDetail;
import io.dmarclens.parser.tlsrpt.TlsPolicyResult;
import io.dmarclens.parser.tlsrpt.TlsReport;
import io.dmarclens.store.enrichment.RecordEnrichment;
import io.dmarclens.store.enrichment.SenderInfo;
import io.dmarclens.store.search.IpLiterals;
import io.dmarclens.store.search.SearchField;
import io.dmarclens.store.search.SearchHit;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code search} object of a record, failure report or TLS failure document: its values under the
 * names of {@link SearchField} (one mapping for the three indices, {@link #mapping()}), holding exactly
 * what the embedded store's search index holds for the same row (index module, SearchDocuments):
 * keyword values stripped and lower-cased, text values as they are (the {@code standard} analyzer splits
 * them into lower-cased words as Lucene's StandardAnalyzer does), failure reports' addresses reduced to
 * their domains. Plus {@code id} and {@code kind}, which a hit hands back.
 */
final class SearchDocs {
    static final String FIELD = "search";
    static final String ID = "id";

    private static final Pattern LOCAL_PART =
            Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@(?=[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+)");

    private SearchDocs() {
    }

    /** The mapping of the {@code search} object: one field per {@link SearchField} of its kind. */
    static ObjectNode mapping() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode search = f.objectNode();
        search.put("type", "object");
        ObjectNode props = search.putObject("properties");
        for (SearchField field : SearchField.values()) {
            if (field == SearchField.ALL) {
                continue; // expanded by the parser, never stored
            }
            ObjectNode p = props.putObject(field.fieldName());
            switch (field.kind()) {
                // Search filters these and sorts hits by date, id and kind only: no other values are kept
                // per document (doc_values) and no lengths for scoring (norms), which indexing paid for (v4).
                case KEYWORD -> {
                    p.put("type", "keyword");
                    if (field != SearchField.KIND) {
                        p.put("doc_values", false);
                    }
                }
                // The embedded index puts several values of a field one after the other (position gap 0).
                case TEXT -> p.put("type", "text").put("analyzer", "standard").put("position_increment_gap", 0)
                        .put("norms", false);
                case ADDRESS -> p.put("type", "ip").put("ignore_malformed", true).put("doc_values", false);
                case DATE -> p.put("type", "date").put("format", "epoch_second");
                default -> throw new IllegalStateException(field.kind().name());
            }
        }
        props.putObject(ID).put("type", "long");
        return search;
    }

    /** The search object of an aggregate record; {@code sender} is what is known about its source. */
    @SuppressWarnings("checkstyle:ParameterNumber")
    static ObjectNode record(long id, long begin, String reporter, String reporterEmail, String policyDomain,
                             AggregateRecord r, RecordEnrichment e, SenderInfo sender, String origin) {
        Builder b = new Builder();
        record(b, id, begin, reporter, reporterEmail, policyDomain, r, e, sender, origin);
        return b.build();
    }

    /** Collects the search object of an aggregate record into {@code b} (emptied first), for streaming it. */
    @SuppressWarnings("checkstyle:ParameterNumber")
    static void record(Builder b, long id, long begin, String reporter, String reporterEmail, String policyDomain,
                       AggregateRecord r, RecordEnrichment e, SenderInfo sender, String origin) {
        b.reset(SearchHit.Kind.RECORD, id, begin);
        b.ip(r.sourceIp());
        b.keyword(SearchField.DISPOSITION, r.disposition() == null ? "" : r.disposition().token());
        b.keyword(SearchField.DKIM, r.dkim() == null ? "" : r.dkim().token());
        b.keyword(SearchField.SPF, r.spf() == null ? "" : r.spf().token());
        b.keyword(SearchField.FROM, domain(r.headerFrom()));
        b.keyword(SearchField.ENVFROM, domainOrNull(r.envelopeFrom()));
        b.keyword(SearchField.ENVTO, domainOrNull(r.envelopeTo()));
        for (PolicyOverrideReason reason : r.reasons()) {
            b.keyword(SearchField.OVERRIDE, reason.type() != null ? reason.type().token() : reason.rawType());
            b.text(SearchField.DETAIL, reason.comment());
        }
        for (DkimAuthResult d : r.dkimResults()) {
            b.keyword(SearchField.DKIMDOMAIN, d.domain());
            b.keyword(SearchField.SELECTOR, d.selector());
            b.keyword(SearchField.DKIMRESULT, d.result() != null ? d.result().token() : d.rawResult());
        }
        for (SpfAuthResult s : r.spfResults()) {
            b.keyword(SearchField.SPFDOMAIN, s.domain());
            b.keyword(SearchField.SPFRESULT, s.result() != null ? s.result().token() : s.rawResult());
        }
        b.keyword(SearchField.DMARC, e.dmarcPass() ? "pass" : "fail");
        b.keyword(SearchField.CLASS, e.classification() == null ? "" : e.classification().token());
        b.text(SearchField.REASON, e.classificationReason());
        b.text(SearchField.REPORTER, reporter);
        b.text(SearchField.REPORTER, reporterEmail);
        b.keyword(SearchField.DOMAIN, policyDomain);
        b.sender(sender);
        b.keyword(SearchField.ORIGIN, origin);
    }

    /**
     * The search object of a failure report, dated by its arrival (else when it was imported). The people in
     * the sample (local parts of addresses, display names) are left out, as the dashboard redacts them.
     */
    static ObjectNode failure(long id, FailureReport r, long importedAt, SenderInfo sender, String origin) {
        long date = r.arrivalDate() != null ? r.arrivalDate().getEpochSecond() : importedAt;
        Builder b = new Builder();
        b.reset(SearchHit.Kind.FAILURE, id, date);
        b.ip(r.sourceIp());
        OriginalMessage m = r.original();
        b.text(SearchField.SUBJECT, m == null ? null : withoutLocalParts(m.subject()));
        b.addressDomain(SearchField.FROM, m == null ? null : m.from());
        b.addressDomain(SearchField.TO, m == null ? null : m.to());
        b.addressDomain(SearchField.MSGID, m == null ? null : m.messageId());
        r.authFailure().forEach(v -> b.keyword(SearchField.AUTHFAILURE, v));
        r.reportedDomain().forEach(v -> b.keyword(SearchField.DOMAIN, v));
        b.addressDomain(SearchField.ENVFROM, r.originalMailFrom());
        r.originalRcptTo().forEach(v -> b.addressDomain(SearchField.ENVTO, v));
        b.keyword(SearchField.DKIMDOMAIN, r.dkimDomain());
        b.keyword(SearchField.SELECTOR, r.dkimSelector());
        b.keyword(SearchField.RESULT, r.deliveryResult());
        b.text(SearchField.REPORTER, r.userAgent());
        b.text(SearchField.REPORTER, r.reportingMta());
        b.sender(sender);
        b.text(SearchField.DETAIL, r.feedbackType());
        b.keyword(SearchField.ORIGIN, origin);
        return b.build();
    }

    /** The search object of one failure detail of a TLS report, dated by the report's begin. */
    static ObjectNode tlsFailure(long id, TlsReport r, TlsPolicyResult p, TlsFailureDetail d, String origin) {
        Builder b = new Builder();
        b.reset(SearchHit.Kind.TLS, id, r.startDatetime() == null ? 0 : r.startDatetime().getEpochSecond());
        b.text(SearchField.REPORTER, r.organizationName() == null ? "" : r.organizationName().strip());
        b.text(SearchField.REPORTER, r.contactInfo());
        b.keyword(SearchField.POLICYTYPE, p.policyType());
        b.keyword(SearchField.DOMAIN, domainOrNull(p.policyDomain()));
        p.mxHost().forEach(mx -> b.keyword(SearchField.MX, mx));
        b.keyword(SearchField.RESULT, d.resultType());
        b.ip(d.sendingMtaIp());
        b.keyword(SearchField.MX, d.receivingMxHostname());
        b.keyword(SearchField.MX, d.receivingMxHelo());
        b.keyword(SearchField.MX, d.receivingIp());
        b.text(SearchField.DETAIL, d.additionalInformation());
        b.text(SearchField.REASON, d.failureReasonCode());
        b.keyword(SearchField.ORIGIN, origin);
        return b.build();
    }

    /**
     * The fields of a record's search object that re-classification changes, all of them (an absent value as
     * null), for a partial update.
     */
    static ObjectNode verdicts(RecordEnrichment e) {
        Builder b = new Builder();
        b.keyword(SearchField.DMARC, e.dmarcPass() ? "pass" : "fail");
        b.keyword(SearchField.CLASS, e.classification() == null ? "" : e.classification().token());
        b.text(SearchField.REASON, e.classificationReason());
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (SearchField f : List.of(SearchField.DMARC, SearchField.CLASS, SearchField.REASON)) {
            ArrayNode values = b.values(f);
            if (values == null) {
                out.putNull(f.fieldName());
            } else {
                out.set(f.fieldName(), values);
            }
        }
        return out;
    }

    /**
     * The fields of a search object that say what is known about the source, all of them (an unknown value
     * as null), for rewriting documents when a source's sender information changes.
     */
    static Map<String, Object> senderFields(SenderInfo s) {
        Builder b = new Builder();
        b.sender(s);
        Map<String, Object> out = new LinkedHashMap<>();
        for (SearchField f : List.of(SearchField.PTR, SearchField.BASE, SearchField.COUNTRY, SearchField.ASN,
                SearchField.ASNAME, SearchField.SENDER, SearchField.TYPE)) {
            ArrayNode values = b.values(f);
            out.put(f.fieldName(), values == null ? null : values);
        }
        return out;
    }

    /** Domain names as the stores keep them: lower case, without a trailing dot. */
    private static String domain(String d) {
        if (d == null) {
            return "";
        }
        String s = d.strip().toLowerCase(Locale.ROOT);
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static String domainOrNull(String d) {
        return d == null ? null : domain(d);
    }

    /** The text with every address reduced to its domain, as the dashboard shows it redacted. */
    static String withoutLocalParts(String text) {
        return text == null ? null : LOCAL_PART.matcher(text).replaceAll("@");
    }

    /**
     * Collects the values of one search object, field by field, as the embedded index adds them: fields in the
     * order of their first value, each with its values in order. An importer reuses one for every record
     * ({@link #reset}) and streams it ({@link #write}); {@link #build} makes the same object as a tree.
     */
    static final class Builder {
        private static final SearchField[] FIELDS = SearchField.values();
        /** The fields' names as the generator writes them, encoded once. */
        private static final com.fasterxml.jackson.core.SerializableString[] ENCODED =
                java.util.Arrays.stream(FIELDS).map(f -> new com.fasterxml.jackson.core.io.SerializedString(f.fieldName()))
                        .toArray(com.fasterxml.jackson.core.SerializableString[]::new);
        private static final com.fasterxml.jackson.core.SerializableString ENCODED_ID =
                new com.fasterxml.jackson.core.io.SerializedString(ID);
        /** The values of each field, by ordinal (empty: none yet). */
        @SuppressWarnings("unchecked")
        private final List<String>[] byField = new List[FIELDS.length];
        /** The fields with values, in the order of their first value. */
        private final List<SearchField> order = new java.util.ArrayList<>();
        private SearchHit.Kind kind;
        private long id;
        private long date;

        Builder() {
            for (int i = 0; i < byField.length; i++) {
                byField[i] = new java.util.ArrayList<>(2);
            }
        }

        /** Starts a new object (of no kind: only the fields, for partial updates). */
        void reset(SearchHit.Kind kind, long id, long date) {
            for (SearchField f : order) {
                byField[f.ordinal()].clear();
            }
            order.clear();
            this.kind = kind;
            this.id = id;
            this.date = date;
        }

        void ip(String ip) {
            if (ip == null || ip.isBlank()) {
                return;
            }
            InetAddress a = IpLiterals.parse(ip.strip());
            if (a != null) {
                add(SearchField.IP, a.getHostAddress());
            }
        }

        void keyword(SearchField field, String value) {
            if (value == null || value.isBlank()) {
                return;
            }
            add(field, value.strip().toLowerCase(Locale.ROOT));
        }

        void text(SearchField field, String value) {
            if (value == null || value.isBlank()) {
                return;
            }
            add(field, value);
        }

        /** Only the domain of an address (or of a Message-ID), without display name or local part. */
        void addressDomain(SearchField field, String value) {
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
                keyword(field, v.substring(at + 1));
            }
        }

        void sender(SenderInfo s) {
            if (s == null) {
                return;
            }
            keyword(SearchField.PTR, s.reverseDns());
            keyword(SearchField.BASE, s.baseDomain());
            keyword(SearchField.COUNTRY, s.country());
            if (s.asn() != null) {
                keyword(SearchField.ASN, Long.toString(s.asn()));
            }
            text(SearchField.ASNAME, s.asName());
            text(SearchField.SENDER, s.senderName());
            text(SearchField.TYPE, s.senderType());
        }

        private void add(SearchField field, String value) {
            List<String> values = byField[field.ordinal()];
            if (values.isEmpty()) {
                order.add(field);
            }
            values.add(value);
        }

        /** The values of a field as an array, or null when it has none. */
        ArrayNode values(SearchField field) {
            List<String> values = byField[field.ordinal()];
            if (values.isEmpty()) {
                return null;
            }
            ArrayNode a = JsonNodeFactory.instance.arrayNode(values.size());
            values.forEach(a::add);
            return a;
        }

        ObjectNode build() {
            ObjectNode doc = JsonNodeFactory.instance.objectNode();
            if (kind != null) {
                doc.put(ID, id);
                doc.put(SearchField.KIND.fieldName(), kind.name().toLowerCase(Locale.ROOT));
                doc.put(SearchField.DATE.fieldName(), date);
            }
            for (SearchField f : order) {
                doc.set(f.fieldName(), values(f));
            }
            return doc;
        }

        /** Writes the object as {@link #build} makes it, without the tree. */
        void write(com.fasterxml.jackson.core.JsonGenerator g) throws java.io.IOException {
            g.writeStartObject();
            if (kind != null) {
                g.writeFieldName(ENCODED_ID);
                g.writeNumber(id);
                g.writeFieldName(ENCODED[SearchField.KIND.ordinal()]);
                g.writeString(kind.name().toLowerCase(Locale.ROOT));
                g.writeFieldName(ENCODED[SearchField.DATE.ordinal()]);
                g.writeNumber(date);
            }
            for (SearchField f : order) {
                g.writeFieldName(ENCODED[f.ordinal()]);
                g.writeStartArray();
                for (String v : byField[f.ordinal()]) {
                    g.writeString(v);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
    }
}
