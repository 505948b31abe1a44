package io.dmarclens.app.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.app.cli.Main;
import io.dmarclens.index.EmbeddedStore;
import io.dmarclens.parser.ReportSource;
import io.dmarclens.parser.aggregate.AggregateHeader;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.aggregate.Alignment;
import io.dmarclens.parser.aggregate.AuthResult;
import io.dmarclens.parser.aggregate.DateRange;
import io.dmarclens.parser.aggregate.Disposition;
import io.dmarclens.parser.aggregate.DkimAuthResult;
import io.dmarclens.parser.aggregate.DmarcResult;
import io.dmarclens.parser.aggregate.PolicyPublished;
import io.dmarclens.parser.aggregate.ReportMetadata;
import io.dmarclens.parser.aggregate.SpfAuthResult;
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
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * #14: a report whose reporter name and header_from are spreadsheet formulas, exported and searched on the
 * command line as CSV: every such cell reaches the spreadsheet as text (a leading apostrophe), as the
 * dashboard's exports already did, and negative numbers stay numbers.
 */
class CsvInjectionAttackTest {
    private static final String FORMULA = "=cmd|' /c calc'!a0";
    private static final long D = 1_714_521_600L; // 2024-05-01T00:00:00Z

    @TempDir
    Path dir;

    private void storeHostileReport() {
        try (Store store = EmbeddedStore.open(dir)) {
            ImportBatch batch = store.beginImport(SourceFile.of("evil.xml", "test", "evil".getBytes(StandardCharsets.UTF_8)));
            batch.beginAggregate(new AggregateHeader(ReportSource.of("evil.xml"), "1.0", "",
                    new ReportMetadata(FORMULA, "+noreply@evil.example", null, "-id-1",
                            new DateRange(D, D + 86_399), List.of(), null),
                    new PolicyPublished("example.com", Disposition.NONE, Disposition.NONE, Disposition.NONE,
                            Alignment.RELAXED, Alignment.RELAXED, 100, "0", "n", null)));
            batch.record(new AggregateRecord(0, "203.0.113.5", 7, Disposition.NONE, DmarcResult.FAIL, DmarcResult.FAIL,
                    List.of(), "@SUM(1+1)*cmd|' /C calc'!A0", "example.com", null,
                    List.of(new DkimAuthResult("example.com", "s1", AuthResult.FAIL, "fail", null)),
                    List.of(new SpfAuthResult("example.com", "mfrom", AuthResult.FAIL, "fail", null))),
                    new RecordEnrichment(SenderInfo.UNKNOWN, false, false, false, false, Classification.THREAT, "spoof"));
            batch.endAggregate(List.of());
            batch.commit();
        }
    }

    @Test
    void exportAndSearchKeepFormulaCellsAsText() throws Exception {
        storeHostileReport();
        String export = run("export", "--data", dir.toString(), "--format", "csv", "records");
        List<CSVRecord> rows = csv(export);
        assertEquals(1, rows.size(), export);
        assertEquals("'" + FORMULA, rows.get(0).get("reporter"));
        assertEquals("'-id-1", rows.get(0).get("report_id"));
        assertEquals("'@sum(1+1)*cmd|' /c calc'!a0", rows.get(0).get("header_from"));
        assertEquals("7", rows.get(0).get("count"));

        String search = run("search", "--data", dir.toString(), "--format", "csv", "ip:203.0.113.5");
        List<CSVRecord> hits = csv(search);
        assertEquals(1, hits.size(), search);
        assertEquals("'" + FORMULA, hits.get(0).get("reporter"));
        assertEquals("'@sum(1+1)*cmd|' /c calc'!a0", hits.get(0).get("header_from"));
        for (CSVRecord r : List.of(rows.get(0), hits.get(0))) {
            for (String cell : r.values()) {
                assertTrue(cell.isEmpty() || "=+-@\t\r".indexOf(cell.charAt(0)) < 0 || cell.matches("-?[0-9.]+"),
                        "a cell a spreadsheet would run: " + cell);
            }
        }
    }

    private static String run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(0, Main.run(args), () -> err.toString(StandardCharsets.UTF_8));
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static List<CSVRecord> csv(String text) throws Exception {
        try (CSVParser p = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(text))) {
            return p.getRecords();
        }
    }
}
