package io.dmarclens.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.index.store.SqliteImportBatch;
import io.dmarclens.parser.Report;
import io.dmarclens.parser.ReportParseException;
import io.dmarclens.parser.ReportParser;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.aggregate.AggregateReport;
import io.dmarclens.parser.aggregate.DmarcResult;
import io.dmarclens.parser.failure.FailureReport;
import io.dmarclens.parser.tlsrpt.TlsReport;
import io.dmarclens.store.ImportBatch;
import io.dmarclens.store.ImportResult;
import io.dmarclens.store.SourceFile;
import io.dmarclens.store.enrichment.RecordEnrichment;
import io.dmarclens.store.enrichment.SenderInfo;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.testkit.Corpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Imports what our parser reads from sample-reports/ (and the shared corpus when present). */
class SampleReportsImportTest {
    @TempDir
    Path dir;

    private final ReportParser parser = new ReportParser();

    /** What one import of every file stored, summed; and what the parser read, summed. */
    private record Totals(long reports, long records, long messages, long duplicates) {
    }

    private Totals importAll(EmbeddedStore store, List<Path> files) throws IOException {
        long reports = 0;
        long records = 0;
        long messages = 0;
        long duplicates = 0;
        for (Path file : files) {
            List<Report> parsed;
            try {
                parsed = parser.parseAll(file);
            } catch (ReportParseException e) {
                continue; // an unreadable file is the pipeline's business (quarantine), not the store's
            }
            long fileRecords = 0;
            long fileMessages = 0;
            try (ImportBatch batch = store.beginImport(SourceFile.of(file.getFileName().toString(), "file", file))) {
                for (Report r : parsed) {
                    if (r instanceof AggregateReport a) {
                        if (batch.beginAggregate(a.header())) {
                            for (AggregateRecord rec : a.records()) {
                                batch.record(rec, enrichment(rec));
                            }
                            batch.endAggregate(a.warnings());
                            fileRecords += a.records().size();
                            fileMessages += a.messageCount();
                        }
                    } else if (r instanceof FailureReport f) {
                        batch.failure(f);
                    } else if (r instanceof TlsReport t) {
                        batch.tls(t);
                    }
                }
                ImportResult result = batch.commit();
                assertEquals(fileRecords, result.records(), file + ": records stored = records parsed");
                assertEquals(fileMessages, result.messages(), file + ": messages stored = messages parsed");
                reports += result.reports();
                records += result.records();
                messages += result.messages();
                duplicates += result.duplicates();
            }
        }
        return new Totals(reports, records, messages, duplicates);
    }

    private static RecordEnrichment enrichment(AggregateRecord r) {
        boolean dkim = r.dkim() == DmarcResult.PASS;
        boolean spf = r.spf() == DmarcResult.PASS;
        return Fixtures.enrichment(r, SenderInfo.UNKNOWN).classification() == null ? null
                : new RecordEnrichment(SenderInfo.UNKNOWN, dkim, spf, dkim || spf, false,
                Fixtures.enrichment(r, SenderInfo.UNKNOWN).classification(), "test");
    }

    private static List<Path> files(Path root, int max) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().endsWith(".md") && !p.getFileName().toString().endsWith(".py"))
                    .sorted().limit(max).toList();
        }
    }

    private long[] databaseCounts() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("dmarc-lens.db"));
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT (SELECT COUNT(*) FROM aggregate_report),"
                     + " (SELECT COUNT(*) FROM aggregate_record), (SELECT COALESCE(SUM(count), 0) FROM aggregate_record),"
                     + " (SELECT COUNT(*) FROM failure_report), (SELECT COUNT(*) FROM tls_report),"
                     + " (SELECT COALESCE(SUM(messages), 0) FROM rollup_daily), (SELECT COUNT(*) FROM source_file)")) {
            rs.next();
            long[] v = new long[7];
            for (int i = 0; i < v.length; i++) {
                v[i] = rs.getLong(i + 1);
            }
            return v;
        }
    }

    @Test
    void sampleReportsImportOnceAndReimportIsAllDuplicates() throws Exception {
        List<Path> files = files(Corpus.sampleReports(), Integer.MAX_VALUE);
        try (EmbeddedStore store = EmbeddedStore.open(dir)) {
            Totals first = importAll(store, files);
            assertTrue(first.reports() >= 20, "sample reports imported: " + first.reports());
            long[] counts = databaseCounts();
            assertEquals(first.records(), counts[1]);
            assertEquals(first.messages(), counts[2]);
            assertEquals(first.messages(), counts[5], "rollups sum to the records, multi-day reports included");
            assertEquals(first.messages(), store.overview().totals(ReportFilter.all()).messages());

            Totals again = importAll(store, files);
            assertEquals(0, again.reports());
            assertEquals(first.reports() + first.duplicates(), again.duplicates());
            org.junit.jupiter.api.Assertions.assertArrayEquals(counts, databaseCounts(), "re-import changes nothing");
            assertEquals(counts[1], store.searchIndex().documentCounts().get("record"));
        }
    }

    @Test
    void sharedCorpusImportsOnce() throws Exception {
        Path corpus = Corpus.sharedCorpusOrSkip();
        List<Path> files = files(corpus, 300);
        try (EmbeddedStore store = EmbeddedStore.open(dir)) {
            Totals first = importAll(store, files);
            long[] counts = databaseCounts();
            assertEquals(first.messages(), counts[5]);
            Totals again = importAll(store, files);
            assertEquals(0, again.reports());
            org.junit.jupiter.api.Assertions.assertArrayEquals(counts, databaseCounts());
        }
    }
}
