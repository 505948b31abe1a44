package io.dmarclens.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmarclens.index.EmbeddedStore;
import io.dmarclens.parser.ContainerFixtures;
import io.dmarclens.parser.ReportParser;
import io.dmarclens.parser.ReportSource;
import io.dmarclens.parser.Truncation;
import io.dmarclens.parser.aggregate.AggregateHeader;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.aggregate.Alignment;
import io.dmarclens.parser.aggregate.AuthResult;
import io.dmarclens.parser.aggregate.DateRange;
import io.dmarclens.parser.aggregate.Disposition;
import io.dmarclens.parser.aggregate.DkimAuthResult;
import io.dmarclens.parser.aggregate.DmarcResult;
import io.dmarclens.parser.aggregate.PolicyOverride;
import io.dmarclens.parser.aggregate.PolicyOverrideReason;
import io.dmarclens.parser.aggregate.PolicyPublished;
import io.dmarclens.parser.aggregate.ReportMetadata;
import io.dmarclens.parser.aggregate.SpfAuthResult;
import io.dmarclens.parser.failure.FailureReport;
import io.dmarclens.parser.tlsrpt.TlsFailureDetail;
import io.dmarclens.parser.tlsrpt.TlsPolicyResult;
import io.dmarclens.parser.tlsrpt.TlsReport;
import io.dmarclens.store.ImportBatch;
import io.dmarclens.store.SourceFile;
import io.dmarclens.store.Store;
import io.dmarclens.store.enrichment.Classification;
import io.dmarclens.store.enrichment.RecordEnrichment;
import io.dmarclens.store.enrichment.SenderInfo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The search, export and reindex commands over a real store, read back with commons-csv and Jackson. */
class StoreCommandsTest {
    static final long D = 1_714_521_600L; // 2024-05-01T00:00:00Z

    @TempDir
    Path dir;

    @BeforeEach
    void fill() {
        SenderInfo google = new SenderInfo("mail-yw1-f170.google.com", "google.com", "US", 15169L, "GOOGLE", "Google",
                "Email provider");
        try (Store store = EmbeddedStore.open(dir)) {
            for (int day = 0; day < 3; day++) {
                ImportBatch batch = store.beginImport(SourceFile.of("r" + day + ".xml", "test",
                        ("report " + day).getBytes(StandardCharsets.UTF_8)));
                long begin = D + day * 86_400L;
                batch.beginAggregate(new AggregateHeader(ReportSource.of("r" + day + ".xml"), "1.0", "",
                        new ReportMetadata("google.com", "noreply@google.com", null, "id-" + day,
                                new DateRange(begin, begin + 86_399), List.of(), null),
                        new PolicyPublished(day == 2 ? "other.org" : "example.com", Disposition.NONE, Disposition.NONE,
                                Disposition.NONE, Alignment.RELAXED, Alignment.RELAXED, 100, "0", "n", null)));
                AggregateRecord ok = new AggregateRecord(0, "203.0.113." + (5 + day), 10 + day, Disposition.NONE,
                        DmarcResult.PASS, DmarcResult.PASS, List.of(), "example.com", "example.com", null,
                        List.of(new DkimAuthResult("example.com", "s1", AuthResult.PASS, "pass", null),
                                new DkimAuthResult("esp.example", "k2", AuthResult.PASS, "pass", null)),
                        List.of(new SpfAuthResult("example.com", "mfrom", AuthResult.PASS, "pass", null)));
                AggregateRecord fwd = new AggregateRecord(1, "2001:db8::" + (day + 1), 3, Disposition.NONE,
                        DmarcResult.PASS, DmarcResult.FAIL,
                        List.of(new PolicyOverrideReason(PolicyOverride.FORWARDED, "forwarded", "list, \"quoted\"\nnext line")),
                        "example.com", "lists.example.org", "example.net",
                        List.of(new DkimAuthResult("example.com", "s1", AuthResult.PASS, "pass", null)),
                        List.of(new SpfAuthResult("lists.example.org", "mfrom", AuthResult.FAIL, "fail", null)));
                batch.record(ok, new RecordEnrichment(google, true, true, true, false, Classification.COMPLIANT, "DMARC pass"));
                batch.record(fwd, new RecordEnrichment(SenderInfo.UNKNOWN, true, false, true, false,
                        Classification.FORWARDED, "DKIM survived, SPF broke: forwarded"));
                batch.endAggregate(List.of());
                batch.commit();
            }
        }
    }

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int status = Main.run(args);
            return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private List<CSVRecord> csv(String text) throws Exception {
        try (CSVParser p = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(text))) {
            return p.getRecords();
        }
    }

    @Test
    void exportRecordsCsvMatchesTheDatabaseRowByRow() throws Exception {
        Run r = run("export", "--data", dir.toString(), "--format", "csv", "records");
        assertEquals(0, r.status(), r.err());
        List<CSVRecord> rows = csv(r.out());
        assertTrue(r.out().startsWith("reporter,report_id,policy_domain,begin,end,source_ip,count,"), r.out());

        Map<Long, CSVRecord> byId = new HashMap<>();
        for (CSVRecord row : rows) {
            byId.put(Long.parseLong(row.get("record_id")), row);
        }
        int compared = 0;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("dmarc-lens.db"));
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT rec.id, r.reporter, r.report_id, r.policy_domain, r.begin_ts,"
                     + " rec.source_ip, rec.count, rec.disposition, rec.dkim, rec.spf, rec.header_from,"
                     + " rec.envelope_from, rec.classification, rec.classification_reason, rec.dmarc_pass,"
                     + " (SELECT group_concat(json_extract(j.value, '$[0]'), ';') FROM json_each(rec.dkim_results) j),"
                     + " (SELECT json_extract(j.value, '$[2]') FROM json_each(rec.reasons) j), s.sender_name"
                     + " FROM aggregate_record rec JOIN aggregate_report r ON r.id = rec.report_ref"
                     + " LEFT JOIN sender s ON s.ip = rec.source_ip")) {
            while (rs.next()) {
                CSVRecord row = byId.get(rs.getLong(1));
                assertEquals(rs.getString(2), row.get("reporter"));
                assertEquals(rs.getString(3), row.get("report_id"));
                assertEquals(rs.getString(4), row.get("policy_domain"));
                assertEquals(java.time.Instant.ofEpochSecond(rs.getLong(5)).toString(), row.get("begin"));
                assertEquals(rs.getString(6), row.get("source_ip"));
                assertEquals(rs.getLong(7), Long.parseLong(row.get("count")));
                assertEquals(rs.getString(8), row.get("disposition"));
                assertEquals(rs.getString(9), row.get("dkim"));
                assertEquals(rs.getString(10), row.get("spf"));
                assertEquals(rs.getString(11), row.get("header_from"));
                assertEquals(rs.getString(12), row.get("envelope_from"));
                assertEquals(rs.getString(13), row.get("classification"));
                assertEquals(rs.getString(14), row.get("classification_reason"));
                assertEquals(rs.getInt(15) == 1, Boolean.parseBoolean(row.get("dmarc_pass")));
                assertEquals(rs.getString(16), row.get("dkim_domains"));
                assertEquals(rs.getString(17) == null ? "" : rs.getString(17), row.get("override_comments"));
                assertEquals(rs.getString(18) == null ? "" : rs.getString(18), row.get("sender_name"));
                compared++;
            }
        }
        assertEquals(6, compared);
        assertEquals(6, rows.size());
        assertEquals("list, \"quoted\"\nnext line", rows.stream().filter(x -> x.get("source_ip").startsWith("2001"))
                .findFirst().orElseThrow().get("override_comments"));
    }

    @Test
    void exportFiltersByDateAndDomainAndWritesJson() throws Exception {
        Run r = run("export", "--data", dir.toString(), "--from", "2024-05-02", "--to", "2024-05-03", "--domain",
                "example.com", "--format", "json", "records");
        assertEquals(0, r.status(), r.err());
        JsonNode rows = new ObjectMapper().readTree(r.out());
        assertEquals(2, rows.size());
        for (JsonNode row : rows) {
            assertEquals("id-1", row.get("report_id").asText());
        }
        Run sources = run("export", "--data", dir.toString(), "--format", "csv", "sources");
        List<CSVRecord> s = csv(sources.out());
        assertEquals(6, s.size());
        assertEquals("203.0.113.7", s.get(0).get("source_ip"));
        assertEquals("12", s.get(0).get("messages"));
        assertEquals("Google", s.get(0).get("sender_name"));
        assertEquals(0, run("export", "--data", dir.toString(), "--format", "csv", "failures").status());
        assertEquals("id,arrival,format", run("export", "--data", dir.toString(), "--format", "csv", "failures").out()
                .substring(0, 17));
        assertEquals(2, run("export", "--data", dir.toString(), "--from", "2024-05-03", "--to", "2024-05-01",
                "--format", "csv", "tls").status());
    }

    @Test
    void exportRowsOfPartialReportsSayWhy() throws Exception {
        String cut = "gzip stream truncated after 900 bytes: 1 record read";
        try (Store store = EmbeddedStore.open(dir)) {
            ImportBatch batch = store.beginImport(SourceFile.of("cut.xml.gz", "test", "cut".getBytes(StandardCharsets.UTF_8)));
            batch.beginAggregate(new AggregateHeader(ReportSource.of("cut.xml.gz"), "1.0", "",
                    new ReportMetadata("yahoo.com", "dmarc@yahoo.com", null, "cut-1", new DateRange(D, D + 86_399),
                            List.of(), null),
                    new PolicyPublished("example.com", Disposition.NONE, Disposition.NONE, Disposition.NONE,
                            Alignment.RELAXED, Alignment.RELAXED, 100, "0", "n", null)));
            AggregateRecord r = new AggregateRecord(0, "192.0.2.9", 2, Disposition.NONE, DmarcResult.PASS,
                    DmarcResult.PASS, List.of(), "example.com", "example.com", null, List.of(), List.of());
            batch.record(r, new RecordEnrichment(SenderInfo.UNKNOWN, true, true, true, false, Classification.COMPLIANT,
                    "DMARC pass"));
            batch.endAggregate(List.of(), new Truncation(cut));
            TlsFailureDetail detail = new TlsFailureDetail("certificate-expired", "198.51.100.20", "mx1.example.com",
                    "mx1.example.com", "192.0.2.25", 7, "cert expired", "X509_EXPIRED");
            batch.tls(new TlsReport(ReportSource.of("tls.json.gz"), "Google Inc.", Instant.ofEpochSecond(D),
                    Instant.ofEpochSecond(D + 86_399), "tls@google.com", "tls-1",
                    List.of(new TlsPolicyResult("sts", List.of("mode: enforce"), "example.com", List.of("mx1.example.com"),
                            100, 7, List.of(detail))), List.of()).truncated(new Truncation("zip member cut off")));
            byte[] gz = ContainerFixtures.gzip(ContainerFixtures.arfMail());
            batch.failure((FailureReport) new ReportParser().parseAll("arf.eml.gz", Arrays.copyOf(gz, gz.length - 8))
                    .get(0));
            batch.commit();
        }

        List<CSVRecord> records = csv(run("export", "--data", dir.toString(), "--format", "csv", "records").out());
        assertEquals(7, records.size());
        for (CSVRecord row : records) {
            boolean partial = row.get("report_id").equals("cut-1");
            assertEquals(String.valueOf(partial), row.get("partial"), row.toString());
            assertEquals(partial ? cut : "", row.get("partial_reason"), row.toString());
        }
        JsonNode json = new ObjectMapper().readTree(run("export", "--data", dir.toString(), "--format", "json",
                "--domain", "example.com", "--from", "2024-05-01", "--to", "2024-05-01", "records").out());
        JsonNode cutRow = null;
        for (JsonNode row : json) {
            if (row.get("report_id").asText().equals("cut-1")) {
                cutRow = row;
            }
        }
        assertTrue(cutRow != null && cutRow.get("partial").asBoolean(), json.toString());
        assertEquals(cut, cutRow.get("partial_reason").asText());

        List<CSVRecord> tls = csv(run("export", "--data", dir.toString(), "--format", "csv", "tls").out());
        assertEquals(1, tls.size());
        assertEquals("true", tls.get(0).get("partial"));
        assertEquals("zip member cut off", tls.get(0).get("partial_reason"));

        List<CSVRecord> failures = csv(run("export", "--data", dir.toString(), "--format", "csv", "failures").out());
        assertEquals(1, failures.size());
        assertEquals("true", failures.get(0).get("partial"));
        assertTrue(failures.get(0).get("partial_reason").startsWith("gzip stream"), failures.get(0).toString());
    }

    @Test
    void searchPrintsHitsAndRejectsBadQueries() throws Exception {
        Run r = run("search", "--data", dir.toString(), "--format", "csv", "ip:2001:db8::/32", "class:forwarded");
        assertEquals(0, r.status(), r.err());
        List<CSVRecord> rows = csv(r.out());
        assertEquals(3, rows.size());
        assertEquals("2001:db8::3", rows.get(0).get("source_ip"));
        assertEquals("forwarded", rows.get(0).get("classification"));
        assertTrue(r.err().contains("3 of 3 hits"), r.err());

        Run limited = run("search", "--data", dir.toString(), "--format", "json", "--limit", "1", "sender:google");
        JsonNode json = new ObjectMapper().readTree(limited.out());
        assertEquals(1, json.size());
        assertEquals("203.0.113.7", json.get(0).get("source_ip").asText());

        Run bad = run("search", "--data", dir.toString(), "ip:203.0.113.0/99");
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("is not an IP address or CIDR range"), bad.err());
        assertTrue(!bad.err().contains("Exception"), bad.err());
    }

    @Test
    void searchCanLeaveTheHitsOfUnverifiedReportsOut() throws Exception {
        try (Store store = EmbeddedStore.open(dir)) {
            ImportBatch batch = store.beginImport(SourceFile.of("forged.xml", "smtp",
                    "forged".getBytes(StandardCharsets.UTF_8)));
            batch.beginAggregate(new AggregateHeader(ReportSource.of("forged.xml"), "1.0", "",
                    new ReportMetadata("google.com", "noreply@google.com", null, "forged-1",
                            new DateRange(D, D + 86_399), List.of(), null),
                    new PolicyPublished("example.com", Disposition.NONE, Disposition.NONE, Disposition.NONE,
                            Alignment.RELAXED, Alignment.RELAXED, 100, "0", "n", null)),
                    io.dmarclens.store.Authenticity.unverified("no DKIM signature"));
            batch.record(new AggregateRecord(0, "198.51.100.99", 100_000, Disposition.NONE, DmarcResult.PASS,
                    DmarcResult.PASS, List.of(), "example.com", "example.com", null, List.of(), List.of()),
                    new RecordEnrichment(SenderInfo.UNKNOWN, true, true, true, false, Classification.COMPLIANT, "forged"));
            batch.endAggregate(List.of());
            batch.commit();
        }
        List<CSVRecord> all = csv(run("search", "--data", dir.toString(), "kind:record").out());
        assertEquals(7, all.size());
        assertEquals(List.of("imported", "unverified"), all.stream().map(r -> r.get("origin")).distinct().sorted().toList());
        Run trusted = run("search", "--data", dir.toString(), "--exclude-unverified", "kind:record");
        assertEquals(0, trusted.status(), trusted.err());
        List<CSVRecord> rows = csv(trusted.out());
        assertEquals(6, rows.size());
        assertTrue(rows.stream().noneMatch(r -> r.get("source_ip").equals("198.51.100.99")), trusted.out());
        assertTrue(trusted.err().contains("6 of 6 hits"), trusted.err());
        // The exports say each row's origin too.
        List<CSVRecord> records = csv(run("export", "--data", dir.toString(), "--format", "csv", "records").out());
        CSVRecord forged = records.stream().filter(r -> r.get("source_ip").equals("198.51.100.99")).findFirst()
                .orElseThrow();
        assertEquals("unverified", forged.get("origin"));
        assertEquals("no DKIM signature", forged.get("origin_reason"));
        assertEquals(6, records.stream().filter(r -> r.get("origin").equals("imported")).count());
    }

    @Test
    void reindexRebuildsAndReportsCounts() {
        Run r = run("reindex", "--data", dir.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("reindexed 6 records, 0 failure reports, 0 TLS failure details"), r.out());
        assertEquals(3, csvCount(run("search", "--data", dir.toString(), "dkim:pass AND spf:fail").out()));
    }

    private int csvCount(String text) {
        try {
            return csv(text).size();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
