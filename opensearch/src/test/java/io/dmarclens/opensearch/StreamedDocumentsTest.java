package io.dmarclens.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.parser.Report;
import io.dmarclens.parser.ReportParseException;
import io.dmarclens.parser.ReportParser;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.aggregate.AggregateReport;
import io.dmarclens.parser.aggregate.AuthResult;
import io.dmarclens.parser.aggregate.DkimAuthResult;
import io.dmarclens.parser.aggregate.PolicyOverride;
import io.dmarclens.parser.aggregate.PolicyOverrideReason;
import io.dmarclens.parser.aggregate.SpfAuthResult;
import io.dmarclens.store.Authenticity;
import io.dmarclens.store.enrichment.Classification;
import io.dmarclens.store.enrichment.RecordEnrichment;
import io.dmarclens.store.enrichment.SenderInfo;
import io.dmarclens.store.search.IpLiterals;
import io.dmarclens.store.search.SearchField;
import io.dmarclens.store.search.SearchHit;
import io.dmarclens.testkit.Corpus;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The import streams record and rollup documents straight to their bytes ({@link BulkLines}, {@link Docs#writeRecord},
 * {@link Docs#writeRollup}) where it built trees before: every byte must be as before, since stored documents,
 * reindex and the read models depend on them. {@link Before} is the tree code of main at 9624370, kept here
 * unchanged as the reference; the records are every aggregate record of {@code sample-reports/} (and of the shared
 * corpus when present), plus records with every value absent, empty, odd or non-ASCII, under every enrichment and
 * origin verdict.
 */
class StreamedDocumentsTest {
    private static final ObjectMapper JSON = OpenSearchStore.jsonMapper();

    @Test
    void recordDocumentsAreTheBytesTheTreesWere() throws IOException {
        List<AggregateRecord> records = records();
        assertTrue(records.size() > 100, "sample records read: " + records.size());
        List<RecordEnrichment> enrichments = enrichments();
        List<Authenticity> origins = List.of(Authenticity.imported(), Authenticity.verified("dkim=pass d=example.com"),
                Authenticity.unverified("no DKIM signature"), Authenticity.notChecked("old"));
        BulkLines lines = new BulkLines(JSON);
        SearchDocs.Builder search = new SearchDocs.Builder();
        StringBuilder expected = new StringBuilder();
        int n = 0;
        for (AggregateRecord r : records) {
            RecordEnrichment e = enrichments.get(n % enrichments.size());
            Authenticity origin = origins.get(n % origins.size());
            Docs.ReportFields f = new Docs.ReportFields(1000L + n, 77L, n % 3 == 0 ? "Mail.Ru  " : "google.com",
                    n % 5 == 0 ? "" : "noreply-dmarc@google.com", "rep-" + n, "example.org", 1_700_000_000L + n,
                    1_700_086_399L + n, origin);
            long recordId = DocIds.of("record", f.ref(), n);
            long seq = 5_000L + n;
            Docs.writeIndexAction(lines.generator(), "dl-records-2026-11", String.valueOf(recordId));
            lines.endLine();
            SearchDocs.record(search, recordId, f.begin(), f.reporter(), f.reporterEmail(), f.policyDomain(), r, e,
                    e.sender(), origin.verdict().code());
            Docs.writeRecord(lines.generator(), f, recordId, r, e, seq, search);
            lines.endLine();

            ObjectNode action = JsonNodes.object();
            action.putObject("index").put("_index", "dl-records-2026-11").put("_id", String.valueOf(recordId));
            ObjectNode doc = Before.record(f, recordId, r, e).put("seq", seq);
            doc.set(SearchDocs.FIELD, Before.search(recordId, f.begin(), f.reporter(), f.reporterEmail(),
                    f.policyDomain(), r, e, e.sender(), origin.verdict().code()));
            // As the store sent them: Cluster.serialized and bulkReply wrote each tree with writeValueAsBytes.
            expected.append(utf8(JSON.writeValueAsBytes(action))).append('\n').append(utf8(JSON.writeValueAsBytes(doc)))
                    .append('\n');
            // The tree the reindex still builds is the same object too.
            assertEquals(Before.search(recordId, f.begin(), f.reporter(), f.reporterEmail(), f.policyDomain(), r, e,
                    e.sender(), origin.verdict().code()), SearchDocs.record(recordId, f.begin(), f.reporter(),
                    f.reporterEmail(), f.policyDomain(), r, e, e.sender(), origin.verdict().code()));
            n++;
        }
        BulkLines.Ndjson got = lines.ndjson();
        assertEquals(2 * records.size(), got.lines());
        sameLines(expected.toString(), new String(got.bytes(), StandardCharsets.UTF_8));
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Line by line, so that a failure shows the one document that differs. */
    private static void sameLines(String expected, String actual) {
        String[] e = expected.split("\n", -1);
        String[] a = actual.split("\n", -1);
        for (int i = 0; i < Math.min(e.length, a.length); i++) {
            assertEquals(e[i], a[i], "line " + (i + 1));
        }
        assertEquals(e.length, a.length, "lines");
    }

    @Test
    void rollupDocumentsAreTheBytesTheTreesWere() throws IOException {
        BulkLines lines = new BulkLines(JSON);
        StringBuilder expected = new StringBuilder();
        List<RollupKey> keys = List.of(
                new RollupKey("example.org", "example.org", "192.0.2.1", "google.com", "none", "pass", "fail", true,
                        false, true, "compliant", "", false),
                new RollupKey("exämple.org", "", "2001:db8::1", "Mail \"Ru\"", "", "", "", false, false, false, "",
                        "forwarded,local_policy", true),
                new RollupKey("x", "\u0001\t", "bad ip", "", "reject", "fail", "pass", false, true, false, "threat",
                        "other", false));
        LocalDate day = LocalDate.of(2026, 11, 30);
        for (RollupKey k : keys) {
            Docs.writeRollup(lines.generator(), 42L, k, day, 17L);
            lines.endLine();
            expected.append(utf8(JSON.writeValueAsBytes(Docs.rollup(42L, k, day, 17L)))).append('\n');
        }
        sameLines(expected.toString(), new String(lines.ndjson().bytes(), StandardCharsets.UTF_8));
    }

    @Test
    void idsAreTheDigestsTheyWere() throws Exception {
        RollupKey k = new RollupKey("example.org", "example.org", "192.0.2.1", "google.com", "none", "pass", "fail",
                true, false, true, "compliant", "", false);
        LocalDate day = LocalDate.of(2026, 11, 30);
        for (int i = 0; i < 3; i++) { // the digest a call leaves behind must not leak into the next
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            md.update("rollup".getBytes(StandardCharsets.UTF_8));
            for (Object part : new Object[]{42L, k, day}) {
                md.update((byte) 0);
                md.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
            }
            assertEquals(java.util.HexFormat.of().formatHex(md.digest()), Docs.rollupId(42L, k, day));
        }
        assertEquals(DocIds.of("record", 7L, 0L), DocIds.of("record", 7L, 0L));
        assertTrue(DocIds.of("record", 7L, 0L) != DocIds.of("record", 7L, 1L));
    }

    @Test
    void aLineLeftHalfWrittenIsDroppedWithItsBuffer() throws IOException {
        BulkLines lines = new BulkLines(JSON);
        lines.generator().writeStartObject();
        lines.generator().writeStringField("half", "written");
        lines.clear();
        ObjectNode whole = JsonNodes.object().put("a", 1);
        lines.add(whole);
        lines.add(new BulkLines.Ndjson("{\"b\":2}\n".getBytes(StandardCharsets.UTF_8), 1));
        assertEquals("{\"a\":1}\n{\"b\":2}\n", new String(lines.ndjson().bytes(), StandardCharsets.UTF_8));
        assertEquals(2, lines.lines());
    }

    private static List<AggregateRecord> records() {
        List<AggregateRecord> out = new ArrayList<>();
        List<Path> files = new ArrayList<>(files(Corpus.sampleReports()));
        Corpus.sharedCorpus().ifPresent(shared -> files.addAll(files(shared).stream().limit(400).toList()));
        ReportParser parser = new ReportParser();
        for (Path file : files) {
            try {
                for (Report report : parser.parseAll(file)) {
                    if (report instanceof AggregateReport a) {
                        out.addAll(a.records());
                    }
                }
            } catch (ReportParseException e) {
                // not a report we read: the import skips it too
            }
        }
        List<DkimAuthResult> dkim = List.of(new DkimAuthResult(null, null, null, null, null),
                new DkimAuthResult("Example.COM.", "s\u00e9l", AuthResult.PASS, "pass", "ok \"quoted\""),
                new DkimAuthResult("", "", AuthResult.FAIL, "fail", null));
        List<SpfAuthResult> spf = List.of(new SpfAuthResult(null, null, null, null, null),
                new SpfAuthResult("Bounce.Example.NET", "mfrom", AuthResult.SOFTFAIL, "softfail", "\u0000\n"));
        List<PolicyOverrideReason> reasons = List.of(new PolicyOverrideReason(PolicyOverride.FORWARDED, null, null),
                new PolicyOverrideReason(null, "Custom", "a comment, with\ttab"),
                new PolicyOverrideReason(null, "", ""), new PolicyOverrideReason(null, null, "\uD83D\uDE00 emoji"));
        out.add(new AggregateRecord(0, null, 0, null, null, null, List.of(), null, null, null, List.of(), List.of()));
        out.add(new AggregateRecord(1, " 192.0.2.7 ", Long.MAX_VALUE, null, null, null, reasons, "Ex\u00e4mple.ORG.",
                "", " Env.Example. ", dkim, spf));
        out.add(new AggregateRecord(2, "not-an-ip", 3, null, null, null, reasons.subList(2, 4), "", null, "",
                dkim.subList(0, 1), spf.subList(0, 1)));
        return out;
    }

    private static List<Path> files(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".md")
                    && !p.toString().endsWith(".py")).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<RecordEnrichment> enrichments() {
        List<SenderInfo> senders = List.of(SenderInfo.UNKNOWN,
                new SenderInfo("mail-a.Google.com.", "google.com", "US", 15169L, "GOOGLE, \"Inc\"", "Google", "esp"),
                new SenderInfo(null, null, "DE", null, null, null, null),
                new SenderInfo("", " ", "", 0L, "", "", ""));
        List<RecordEnrichment> out = new ArrayList<>();
        int i = 0;
        for (SenderInfo s : senders) {
            for (Classification c : Arrays.copyOf(Classification.values(), Classification.values().length + 1)) {
                boolean b = i++ % 2 == 0;
                out.add(new RecordEnrichment(s, b, !b, i % 3 == 0, i % 5 == 0, c,
                        i % 4 == 0 ? null : "reason " + i + " with \u00fcml\u00e4ut"));
            }
        }
        return out;
    }

    /** The tree code of main at 9624370 that the streamed documents replace, unchanged but for its place. */
    static final class Before {
        static ObjectNode record(Docs.ReportFields f, long recordId, AggregateRecord r, RecordEnrichment e) {
            ObjectNode d = JsonNodes.object();
            d.put("record_id", recordId);
            d.put("report_ref", f.ref());
            d.put("source_ref", f.sourceRef());
            d.put("idx", r.index());
            String ip = Docs.ip(r);
            d.put("source_ip", ip);
            d.put("source_addr", ip);
            d.put("count", r.count());
            d.put("disposition", Docs.disposition(r));
            d.put("dkim", r.dkim() == null ? "" : r.dkim().token());
            d.put("spf", r.spf() == null ? "" : r.spf().token());
            d.put("header_from", Docs.domain(r.headerFrom()));
            putText(d, "envelope_from", Docs.domainOrNull(r.envelopeFrom()));
            putText(d, "envelope_to", Docs.domainOrNull(r.envelopeTo()));
            ArrayNode reasons = d.putArray("reasons");
            for (PolicyOverrideReason reason : r.reasons()) {
                ObjectNode o = reasons.addObject();
                putText(o, "type", reason.type() == null ? null : reason.type().name());
                putText(o, "raw_type", reason.rawType());
                putText(o, "comment", reason.comment());
            }
            String types = Docs.reasonTypes(r);
            ArrayNode typeList = d.putArray("reason_types");
            if (!types.isEmpty()) {
                for (String t : types.split(",")) {
                    typeList.add(t);
                }
            }
            ArrayNode dkim = d.putArray("dkim_results");
            ArrayNode dkimDomains = d.putArray("dkim_domains");
            ArrayNode dkimSelectors = d.putArray("dkim_selectors");
            for (DkimAuthResult a : r.dkimResults()) {
                ObjectNode o = dkim.addObject();
                putText(o, "domain", a.domain());
                putText(o, "selector", a.selector());
                putText(o, "result", a.result() == null ? null : a.result().name());
                putText(o, "raw_result", a.rawResult());
                putText(o, "human_result", a.humanResult());
                if (a.domain() != null) {
                    dkimDomains.add(Docs.domain(a.domain()));
                }
                if (a.selector() != null) {
                    dkimSelectors.add(a.selector());
                }
            }
            ArrayNode spf = d.putArray("spf_results");
            ArrayNode spfDomains = d.putArray("spf_domains");
            for (SpfAuthResult a : r.spfResults()) {
                ObjectNode o = spf.addObject();
                putText(o, "domain", a.domain());
                putText(o, "scope", a.scope());
                putText(o, "result", a.result() == null ? null : a.result().name());
                putText(o, "raw_result", a.rawResult());
                putText(o, "human_result", a.humanResult());
                if (a.domain() != null) {
                    spfDomains.add(Docs.domain(a.domain()));
                }
            }
            d.put("dkim_aligned", e.dkimAligned());
            d.put("spf_aligned", e.spfAligned());
            d.put("dmarc_pass", e.dmarcPass());
            d.put("verdict_disagrees", e.verdictDisagrees());
            d.put("classification", e.classification() == null ? "" : e.classification().token());
            putText(d, "classification_reason", e.classificationReason());
            d.put("reporter", f.reporter());
            d.put("reporter_email", f.reporterEmail());
            d.put("report_id", f.reportId());
            d.put("policy_domain", f.policyDomain());
            d.put("begin", f.begin());
            d.put("end", f.end());
            d.put("unverified", f.unverified());
            d.put("authenticity", f.authenticity().verdict().code());
            d.put("authenticity_reason", f.authenticity().reason());
            d.put("unverified", f.authenticity().unverified());
            return d;
        }

        static ObjectNode search(long id, long begin, String reporter, String reporterEmail, String policyDomain,
                                 AggregateRecord r, RecordEnrichment e, SenderInfo sender, String origin) {
            Builder b = new Builder(SearchHit.Kind.RECORD, id, begin);
            b.ip(r.sourceIp());
            b.keyword(SearchField.DISPOSITION, r.disposition() == null ? "" : r.disposition().token());
            b.keyword(SearchField.DKIM, r.dkim() == null ? "" : r.dkim().token());
            b.keyword(SearchField.SPF, r.spf() == null ? "" : r.spf().token());
            b.keyword(SearchField.FROM, Docs.domain(r.headerFrom()));
            b.keyword(SearchField.ENVFROM, Docs.domainOrNull(r.envelopeFrom()));
            b.keyword(SearchField.ENVTO, Docs.domainOrNull(r.envelopeTo()));
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
            return b.doc;
        }

        private static void putText(ObjectNode d, String field, String value) {
            if (value != null) {
                d.put(field, value);
            }
        }

        private static final class Builder {
            private final Map<String, ArrayNode> values = new LinkedHashMap<>();
            private final ObjectNode doc = JsonNodeFactory.instance.objectNode();

            Builder(SearchHit.Kind kind, long id, long date) {
                doc.put(SearchDocs.ID, id);
                doc.put(SearchField.KIND.fieldName(), kind.name().toLowerCase(Locale.ROOT));
                doc.put(SearchField.DATE.fieldName(), date);
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
                values.computeIfAbsent(field.fieldName(), k -> doc.putArray(k)).add(value);
            }
        }
    }
}
