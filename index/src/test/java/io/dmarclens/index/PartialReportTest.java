package io.dmarclens.index;

import static io.dmarclens.parser.ContainerFixtures.aggregateXml;
import static io.dmarclens.parser.ContainerFixtures.gzip;
import static io.dmarclens.parser.ContainerFixtures.tlsJson;
import static io.dmarclens.parser.ContainerFixtures.zip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.store.contract.KitReports;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.ReportDetail;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.ReportSort;
import io.dmarclens.store.query.ReportSummary;
import io.dmarclens.store.query.TlsReportSummary;
import io.dmarclens.store.search.SearchHit;
import io.dmarclens.store.CommitMode;
import io.dmarclens.store.ImportBatch;
import io.dmarclens.store.ImportResult;
import io.dmarclens.store.SourceFile;
import io.dmarclens.parser.ParseWarning;
import io.dmarclens.parser.ReportHandler;
import io.dmarclens.parser.ReportParser;
import io.dmarclens.parser.ReportSource;
import io.dmarclens.parser.Truncation;
import io.dmarclens.parser.aggregate.AggregateHeader;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.failure.FailureReport;
import io.dmarclens.parser.tlsrpt.TlsReport;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #12 part 2: cut-off copies of one report (XML, gzip and zip, each cut in the middle) imported with
 * the complete copy in every order, into real SQLite stores with their search index. Whatever the order,
 * the store ends up exactly as if only the complete copy had ever arrived: the same records, every rollup
 * table row for row, the same senders, totals and search hits; the replaced copies' raw sources stay.
 */
class PartialReportTest {
    private static final int RECORDS = 50;
    private static final String[] ROLLUPS = {"rollup_daily", "rollup_summary", "rollup_source",
            "rollup_reporter_source", "rollup_forwarding_reasons", "sender"};
    private static final String[] QUERIES = {"ip:192.0.2.0/24", "ip:192.0.2.7", "dkim:pass", "header_from:example.com"};
    private static final Map<String, byte[]> COPIES = new LinkedHashMap<>();
    private static Map<String, Object> completeAlone;

    @TempDir
    static Path dir;

    @BeforeAll
    static void copies() throws Exception {
        byte[] xml = aggregateXml("cut-1", "example.com", RECORDS);
        byte[] gz = gzip(xml);
        byte[] z = zip("google.com!example.com!1700006400!1700092799.xml", xml);
        COPIES.put("complete.xml.gz", gz);
        COPIES.put("cut.xml", Arrays.copyOf(xml, 3000));
        COPIES.put("cut.xml.gz", Arrays.copyOf(gz, gz.length / 2));
        COPIES.put("cut.zip", Arrays.copyOf(z, z.length - 100));
        completeAlone = importInOrder(List.of("complete.xml.gz"), CommitMode.EACH_REPORT, "alone").facts;
    }

    /** Feeds what the parser reads of one input to a batch, as the ingest pipeline does (without enrichment). */
    private record Feeder(ImportBatch batch) implements ReportHandler {
        @Override
        public void beginAggregate(AggregateHeader header) {
            batch.beginAggregate(header);
        }

        @Override
        public void record(AggregateRecord record) {
            batch.record(record, KitReports.enrichment(record, KitReports.GOOGLE));
        }

        @Override
        public void endAggregate(List<ParseWarning> warnings) {
            batch.endAggregate(warnings, null);
        }

        @Override
        public void endPartialAggregate(List<ParseWarning> warnings, Truncation truncation) {
            batch.endAggregate(warnings, truncation);
        }

        @Override
        public void abortAggregate(String reason) {
            batch.abortAggregate(reason);
        }

        @Override
        public void failure(FailureReport report) {
            batch.failure(report);
        }

        @Override
        public void tls(TlsReport report) {
            batch.tls(report);
        }
    }

    private record Outcome(Map<String, Object> facts, List<ImportResult> results, Path dataDir) {
    }

    private static ImportResult importOne(EmbeddedStore store, String name, byte[] data, CommitMode mode) throws Exception {
        ImportBatch batch = store.beginImport(SourceFile.of(name, "test", data), mode);
        new ReportParser().parse(ReportSource.of(name), new ByteArrayInputStream(data), new Feeder(batch));
        return batch.commit();
    }

    private static Outcome importInOrder(List<String> order, CommitMode mode, String dirName) throws Exception {
        Path data = Files.createDirectories(dir.resolve(dirName));
        List<ImportResult> results = new ArrayList<>();
        try (EmbeddedStore store = EmbeddedStore.open(data)) {
            for (String name : order) {
                results.add(importOne(store, name, COPIES.get(name), mode));
            }
            store.flush();
            store.awaitIndexed();
            Map<String, Object> facts = new TreeMap<>();
            facts.put("totals", store.overview().totals(ReportFilter.all()));
            List<ReportSummary> reports = store.reports().reports(ReportFilter.all(), ReportSort.NEWEST, new Page(0, 10));
            facts.put("reports", reports.stream().map(r -> List.of(r.reporter(), r.reportId(), r.policyDomain(),
                    r.records(), r.messages(), String.valueOf(r.partialReason()))).toList());
            for (String q : QUERIES) {
                var hits = store.search(q, 1_000);
                List<String> rows = new ArrayList<>();
                for (SearchHit h : hits.hits()) {
                    rows.add(h.kind() + " " + h.date() + " " + row("SELECT source_ip, count, idx FROM aggregate_record"
                            + " WHERE id = " + h.id(), data));
                }
                rows.sort(null);
                facts.put("search " + q, hits.totalHits() + " " + rows);
            }
            facts.put("record documents", hitsOfAll(store));
            facts.putAll(tables(data));
            return new Outcome(facts, results, data);
        }
    }

    private static long hitsOfAll(EmbeddedStore store) throws Exception {
        return store.search("kind:record", 10_000).totalHits();
    }

    private static String row(String sql, Path data) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("dmarc-lens.db"));
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) + "/" + rs.getString(2) + "/" + rs.getString(3) : "missing";
        }
    }

    /** Every row of the rollup and sender tables, and every record and report column that is not an id. */
    private static Map<String, List<String>> tables(Path data) throws Exception {
        Map<String, List<String>> out = new TreeMap<>();
        Set<String> ignored = Set.of("id", "report_ref", "source_id", "source_part", "content_key", "imported_at",
                "updated_at");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("dmarc-lens.db"));
             Statement st = c.createStatement()) {
            List<String> tables = new ArrayList<>(List.of(ROLLUPS));
            tables.add("aggregate_record");
            tables.add("aggregate_report");
            tables.add("report_warning");
            for (String table : tables) {
                List<String> rows = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
                    ResultSetMetaData md = rs.getMetaData();
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder();
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            if (!ignored.contains(md.getColumnName(i).toLowerCase(java.util.Locale.ROOT))) {
                                row.append(md.getColumnName(i)).append('=').append(rs.getString(i)).append(' ');
                            }
                        }
                        rows.add(row.toString());
                    }
                }
                rows.sort(null);
                out.put(table, rows);
            }
        }
        return out;
    }

    private static long count(Path data, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("dmarc-lens.db"));
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<List<String>> permutations(List<String> items) {
        if (items.isEmpty()) {
            return List.of(List.of());
        }
        List<List<String>> out = new ArrayList<>();
        for (String first : items) {
            List<String> rest = new ArrayList<>(items);
            rest.remove(first);
            for (List<String> tail : permutations(rest)) {
                List<String> p = new ArrayList<>();
                p.add(first);
                p.addAll(tail);
                out.add(p);
            }
        }
        return out;
    }

    @Test
    void theCompleteCopyAloneIsStoredWhole() {
        assertTrue(completeAlone.get("reports").toString().contains(RECORDS + ", "), completeAlone.get("reports").toString());
        assertTrue(completeAlone.get("reports").toString().endsWith("null]]"), "not partial");
    }

    @Test
    void aCutCopyAloneIsStoredAsPartialWithWhatCouldBeRead() throws Exception {
        Outcome o = importInOrder(List.of("cut.xml"), CommitMode.EACH_REPORT, "cut-alone");
        ImportResult r = o.results().get(0);
        assertEquals(1, r.aggregateReports());
        assertEquals(1, r.partial());
        assertTrue(r.records() > 0 && r.records() < RECORDS, "records " + r.records());
        try (EmbeddedStore store = EmbeddedStore.open(o.dataDir())) {
            ReportSummary s = store.reports().reports(ReportFilter.all(), ReportSort.NEWEST, new Page(0, 10)).get(0);
            assertTrue(s.isPartial());
            assertTrue(s.partialReason().startsWith("the XML cannot be read past line"), s.partialReason());
        }
    }

    @Test
    void everyOrderOfCutAndCompleteCopiesEndsAsTheCompleteCopyAlone() throws Exception {
        int n = 0;
        for (List<String> order : permutations(new ArrayList<>(COPIES.keySet()))) {
            Outcome o = importInOrder(order, CommitMode.EACH_REPORT, "each-" + n++);
            assertEquals(completeAlone, o.facts(), "order " + order);
            int stored = o.results().stream().mapToInt(ImportResult::aggregateReports).sum();
            int duplicates = o.results().stream().mapToInt(ImportResult::duplicates).sum();
            int superseded = o.results().stream().mapToInt(ImportResult::superseded).sum();
            assertEquals(order.size(), stored + duplicates, "order " + order + ": each copy is stored or a duplicate");
            assertEquals(stored - 1, superseded, "order " + order + ": every copy stored after the first replaced one");
            assertEquals(superseded, count(o.dataDir(), "SELECT COUNT(*) FROM superseded_copy"), "order " + order);
            assertEquals(0, count(o.dataDir(), "SELECT COUNT(*) FROM superseded_copy s WHERE NOT EXISTS"
                    + " (SELECT 1 FROM source_file f WHERE f.id = s.source_id AND f.raw IS NOT NULL)"),
                    "the replaced copies' raw sources stay");
        }
    }

    @Test
    void copiesInOneGroupedCommitEndAsTheCompleteCopyAlone() throws Exception {
        int n = 0;
        for (List<String> order : List.of(List.of("cut.xml", "cut.xml.gz", "cut.zip", "complete.xml.gz"),
                List.of("cut.zip", "complete.xml.gz", "cut.xml"), List.of("complete.xml.gz", "cut.xml.gz"),
                List.of("cut.xml", "cut.zip", "complete.xml.gz", "cut.xml.gz"))) {
            Outcome o = importInOrder(order, CommitMode.GROUPED, "grouped-" + n++);
            assertEquals(completeAlone, o.facts(), "order " + order);
        }
    }

    @Test
    void theReportDetailListsTheReplacedCopyAndTheStoreReopens() throws Exception {
        Outcome o = importInOrder(List.of("cut.xml", "complete.xml.gz"), CommitMode.EACH_REPORT, "detail");
        try (EmbeddedStore store = EmbeddedStore.open(o.dataDir())) {
            ReportSummary s = store.reports().reports(ReportFilter.all(), ReportSort.NEWEST, new Page(0, 10)).get(0);
            assertFalse(s.isPartial());
            ReportDetail d = store.reports().report(s.id()).orElseThrow();
            assertEquals(1, d.superseded().size());
            var copy = d.superseded().get(0);
            assertEquals("cut.xml", copy.sourceName());
            assertNotNull(copy.partialReason());
            assertTrue(copy.records() < RECORDS);
            assertTrue(store.rawSources().rawSource(copy.sourceId()).orElseThrow().available());
            assertEquals(IndexCheck.IN_SYNC, IndexCheck.of(store));
        }
    }

    /** How the search index compared with the database when the store was opened again. */
    private enum IndexCheck {
        IN_SYNC, OTHER;

        static IndexCheck of(EmbeddedStore store) {
            return store.searchIndex().lastCheck() == io.dmarclens.index.search.SearchIndex.Check.IN_SYNC ? IN_SYNC : OTHER;
        }
    }

    @Test
    void aStoreWrittenBeforeVersion4OpensWithItsReportsWholeAndTakesPartialOnes() throws Exception {
        Outcome before = importInOrder(List.of("complete.xml.gz"), CommitMode.EACH_REPORT, "v3");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + before.dataDir().resolve("dmarc-lens.db"));
             Statement st = c.createStatement()) {
            // Back to what version 3 left (without version 5's report authenticity; its rollup flag may stay).
            st.executeUpdate("DROP INDEX aggregate_report_unverified");
            st.executeUpdate("ALTER TABLE aggregate_report DROP COLUMN authenticity");
            st.executeUpdate("ALTER TABLE aggregate_report DROP COLUMN authenticity_reason");
            st.executeUpdate("DROP TABLE superseded_copy");
            st.executeUpdate("ALTER TABLE aggregate_report DROP COLUMN partial");
            st.executeUpdate("ALTER TABLE tls_report DROP COLUMN partial");
            st.executeUpdate("ALTER TABLE failure_report DROP COLUMN partial"); // version 6
            for (String table : List.of("failure_report", "tls_report")) { // and version 7
                st.executeUpdate("ALTER TABLE " + table + " DROP COLUMN authenticity");
                st.executeUpdate("ALTER TABLE " + table + " DROP COLUMN authenticity_reason");
            }
            st.executeUpdate("DROP TABLE rollup_reporter_source"); // and version 8
            st.executeUpdate("DELETE FROM schema_version WHERE version >= 4");
        }
        try (EmbeddedStore store = EmbeddedStore.open(before.dataDir())) {
            ReportSummary s = store.reports().reports(ReportFilter.all(), ReportSort.NEWEST, new Page(0, 10)).get(0);
            assertFalse(s.isPartial());
            assertEquals(RECORDS, s.records());
            assertEquals(1, importOne(store, "cut.xml", COPIES.get("cut.xml"), CommitMode.EACH_REPORT).duplicates(),
                    "a cut copy of a report stored whole is a duplicate");
        }
        assertEquals(io.dmarclens.index.schema.Migrations.latestVersion(),
                count(before.dataDir(), "SELECT MAX(version) FROM schema_version"));
    }

    @Test
    void aTlsReportInACutGzipIsPartialAndTheCompleteCopyReplacesIt() throws Exception {
        byte[] gz = gzip(tlsJson("tls-cut"));
        COPIES.put("tls-cut.json.gz", Arrays.copyOf(gz, gz.length - 8));
        COPIES.put("tls.json.gz", gz);
        try {
            Outcome cutFirst = importInOrder(List.of("tls-cut.json.gz", "tls.json.gz"), CommitMode.EACH_REPORT, "tls-1");
            assertEquals(1, cutFirst.results().get(0).partial());
            assertEquals(1, cutFirst.results().get(1).superseded());
            Outcome wholeFirst = importInOrder(List.of("tls.json.gz", "tls-cut.json.gz"), CommitMode.EACH_REPORT, "tls-2");
            assertEquals(1, wholeFirst.results().get(1).duplicates());
            for (Outcome o : List.of(cutFirst, wholeFirst)) {
                try (EmbeddedStore store = EmbeddedStore.open(o.dataDir())) {
                    List<TlsReportSummary> tls = store.tlsReports().tlsReports(ReportFilter.all(), new Page(0, 10));
                    assertEquals(1, tls.size());
                    assertNull(tls.get(0).partialReason());
                    store.awaitIndexed();
                    assertEquals(1, store.search("kind:tls", 100).totalHits());
                }
            }
        } finally {
            COPIES.remove("tls-cut.json.gz");
            COPIES.remove("tls.json.gz");
        }
    }
}
