package io.dmarclens.ingest.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.index.EmbeddedStore;
import io.dmarclens.ingest.enrich.EnrichmentSettings;
import io.dmarclens.ingest.importer.FileImporter;
import io.dmarclens.ingest.importer.ImportSummary;
import io.dmarclens.parser.ReportParser;
import io.dmarclens.store.Store;
import io.dmarclens.testkit.Corpus;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.dmarclens.store.Clocks;
import io.dmarclens.store.CommitMode;

/** The whole import (parse, enrich, store) into a real SQLite store, offline. */
class ImportPipelineTest {
    private static final EnrichmentSettings OFFLINE = new EnrichmentSettings(true, null, List.of(), null, List.of());
    private final ReportParser parser = new ReportParser();

    @TempDir
    Path tmp;

    private ImportSummary importPaths(Path data, List<Path> paths) throws Exception {
        return importPaths(data, paths, 1);
    }

    private ImportSummary importPaths(Path data, List<Path> paths, int threads) throws Exception {
        try (Store store = EmbeddedStore.open(data); PipelineSetup setup = PipelineSetup.open(store, parser::parse, OFFLINE,
                CommitMode.EACH_REPORT, Clocks.system())) {
            ImportSummary summary = new FileImporter(setup.pipeline(), 64L << 20, threads).run(paths, (d, t, s) -> { });
            store.awaitIndexed();
            return summary;
        }
    }

    private static List<Path> files(Path dir) throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }

    private void assertTotalsMatchTheParserAndReimportChangesNothing(Path dir) throws Exception {
        ParsedTotals expected = new ParsedTotals();
        for (Path file : files(dir)) {
            expected.addFile(parser, file);
        }
        Path data = tmp.resolve("data");

        ImportSummary first = importPaths(data, List.of(dir));

        assertEquals(List.of(), first.failures());
        assertEquals(expected.invalid, first.invalid().size(), () -> "invalid: " + first.invalid());
        assertEquals(expected.reports, first.reports(), "reports stored");
        assertEquals(expected.records, first.records(), "records stored");
        assertEquals(expected.duplicates, first.duplicates(), "duplicates within the corpus");
        assertEquals(expected.reports, Database.reports(data), "reports in the database");
        assertEquals(expected.records, Database.records(data), "records in the database");

        ImportSummary again = importPaths(data, List.of(dir));

        assertEquals(0, again.reports(), "nothing is new the second time");
        assertEquals(0, again.records());
        assertEquals(expected.reports + expected.duplicates, again.duplicates(), "everything is a duplicate");
        assertEquals(expected.reports, Database.reports(data));
        assertEquals(expected.records, Database.records(data));
    }

    @Test
    void sampleReportsLandOnceWithTheParsersTotals() throws Exception {
        assertTotalsMatchTheParserAndReimportChangesNothing(Corpus.sampleReports());
    }

    @Test
    void theSharedCorpusLandsOnceWithTheParsersTotals() throws Exception {
        assertTotalsMatchTheParserAndReimportChangesNothing(Corpus.sharedCorpusOrSkip());
    }

    @Test
    void filesImportedConcurrentlyLandOnceWithTheParsersTotals() throws Exception {
        Path dir = Corpus.sampleReports();
        ParsedTotals expected = new ParsedTotals();
        List<Path> all = files(dir);
        for (Path file : all) {
            expected.addFile(parser, file);
        }
        Path data = tmp.resolve("data");

        ImportSummary first = importPaths(data, List.of(dir), 4);

        assertEquals(List.of(), first.failures());
        assertEquals(expected.invalid, first.invalid().size(), () -> "invalid: " + first.invalid());
        // Which copy of a report comes first depends on the threads; what is stored does not.
        assertEquals(expected.reports + expected.duplicates, first.reports() + first.duplicates());
        assertEquals(expected.reports, Database.reports(data), "reports in the database");
        assertEquals(expected.records, Database.records(data), "records in the database");

        ImportSummary again = importPaths(data, List.of(dir), 4);

        assertEquals(0, again.reports(), "nothing is new the second time");
        assertEquals(expected.reports + expected.duplicates, again.duplicates(), "everything is a duplicate");
        assertEquals(expected.records, Database.records(data));
    }

    private List<Path> sampleMessages() throws Exception {
        List<Path> emls = files(Corpus.sampleReports()).stream().filter(p -> p.toString().endsWith(".eml")).toList();
        assertFalse(emls.isEmpty(), "sample-reports holds mail messages");
        return emls;
    }

    @Test
    void anMboxIsImportedMessageByMessage() throws Exception {
        ParsedTotals expected = new ParsedTotals();
        ByteArrayOutputStream mbox = new ByteArrayOutputStream();
        for (Path eml : sampleMessages()) {
            byte[] message = Files.readAllBytes(eml);
            expected.addBytes(parser, eml.toString(), message);
            mbox.writeBytes(("From MAILER-DAEMON Mon Jan  5 10:00:00 2026\n").getBytes(StandardCharsets.US_ASCII));
            // mboxrd: quote body lines that look like separators
            String text = new String(message, StandardCharsets.ISO_8859_1).replaceAll("(?m)^(>*From )", ">$1");
            mbox.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
            mbox.writeBytes("\n".getBytes(StandardCharsets.US_ASCII));
        }
        Path file = tmp.resolve("reports.mbox");
        Files.write(file, mbox.toByteArray());
        Path data = tmp.resolve("data");

        ImportSummary summary = importPaths(data, List.of(file));

        assertEquals(sampleMessages().size(), summary.inputs(), "one input per message");
        assertEquals(expected.invalid, summary.invalid().size(), () -> "invalid: " + summary.invalid());
        assertTrue(expected.reports > 0);
        assertEquals(expected.reports, summary.reports());
        assertEquals(expected.records, summary.records());
        assertEquals(expected.reports, Database.reports(data));
        assertEquals(expected.records, Database.records(data));
    }

    @Test
    void aMaildirIsImportedFromCurAndNew() throws Exception {
        ParsedTotals expected = new ParsedTotals();
        Path maildir = tmp.resolve("Maildir");
        for (String sub : List.of("cur", "new", "tmp")) {
            Files.createDirectories(maildir.resolve(sub));
        }
        int n = 0;
        for (Path eml : sampleMessages()) {
            byte[] message = Files.readAllBytes(eml);
            expected.addBytes(parser, eml.toString(), message);
            Path target = n % 2 == 0 ? maildir.resolve("cur/" + n + ".host:2,S") : maildir.resolve("new/" + n + ".host");
            Files.write(target, message);
            n++;
        }
        Files.writeString(maildir.resolve("tmp/partial.host"), "From: half a message");
        Files.writeString(maildir.resolve("dovecot-uidlist"), "3 V1 N1");
        Path data = tmp.resolve("data");

        ImportSummary summary = importPaths(data, List.of(maildir));

        assertEquals(n, summary.inputs(), "only cur/ and new/ are read");
        assertEquals(expected.reports, summary.reports());
        assertEquals(expected.records, summary.records());
        assertEquals(expected.records, Database.records(data));
    }

    @Test
    void anInputWithoutAReportIsAnErrorOutcomeAndLeavesNothingBehind() throws Exception {
        Path data = tmp.resolve("data");
        try (Store store = EmbeddedStore.open(data); PipelineSetup setup = PipelineSetup.open(store, parser::parse, OFFLINE,
                CommitMode.EACH_REPORT, Clocks.system())) {
            ImportOutcome outcome = setup.pipeline().importBytes("smtp:<x@y>", "x.eml",
                    "Subject: hello\r\n\r\nnot a report\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(outcome.isInvalid());
            assertNotNull(outcome.error());
            assertEquals(0, outcome.reports());
        }
        assertEquals(0, Database.count(data, "SELECT COUNT(*) FROM source_file"), "no raw source kept");
        assertEquals(0, Database.reports(data));
    }

    @Test
    void aGoodInputReportsItsKindsAndNoError() throws Exception {
        Path sample = files(Corpus.sampleReports()).stream().filter(p -> p.toString().endsWith(".xml"))
                .filter(p -> p.getFileName().toString().startsWith("opendmarc")).findFirst().orElseThrow();
        try (Store store = EmbeddedStore.open(tmp.resolve("data")); PipelineSetup setup = PipelineSetup.open(store, parser::parse, OFFLINE,
                CommitMode.EACH_REPORT, Clocks.system())) {
            ImportOutcome outcome = setup.pipeline().importFile("file:" + sample, sample);
            assertNull(outcome.error());
            assertEquals(1, outcome.reports());
            assertEquals(java.util.Set.of("aggregate"), outcome.kinds());
            assertTrue(outcome.records() > 0);
            ImportOutcome again = setup.pipeline().importFile("file:" + sample, sample);
            assertEquals(0, again.reports());
            assertEquals(1, again.duplicates());
        }
    }
}
