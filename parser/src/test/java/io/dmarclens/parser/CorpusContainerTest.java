package io.dmarclens.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.parser.aggregate.AggregateReport;
import io.dmarclens.parser.failure.FailureReport;
import io.dmarclens.parser.tlsrpt.TlsReport;
import io.dmarclens.testkit.Corpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every report file of the real-world corpus ({@code ../shared/corpus}, skipped when absent) goes
 * through the public entry point and gives at least one report of the kind its folder holds; the
 * per-file facts (ids, dates, counts) are asserted by the corpus fact tests. Left out: the schemas, the
 * README, and mail-auth's {@code .json} files beside its {@code .eml} and {@code .xml} samples, which are
 * that project's own parse, not reports.
 */
class CorpusContainerTest {
    private final ReportParser parser = new ReportParser();

    static boolean isReportFile(Path corpus, Path file) {
        String rel = corpus.relativize(file).toString().replace('\\', '/');
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".xsd") || name.equals("readme.md")) {
            return false;
        }
        return !(rel.startsWith("mail-auth/") && !rel.startsWith("mail-auth/tlsrpt/") && name.endsWith(".json"));
    }

    @TestFactory
    Stream<DynamicTest> everyCorpusFileGivesItsReports() throws IOException {
        Path corpus = Corpus.sharedCorpusOrSkip();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(corpus)) {
            files = walk.filter(Files::isRegularFile).filter(f -> isReportFile(corpus, f)).sorted().toList();
        }
        assertTrue(files.size() > 50, "the corpus holds " + files.size() + " report files");
        return files.stream().filter(f -> !isZeroBytes(f)).map(f -> DynamicTest.dynamicTest(
                corpus.relativize(f).toString(), () -> {
                    ReportCollector collector = new ReportCollector();
                    ParseSummary summary = parser.parse(f, collector);
                    List<Report> reports = collector.reports();
                    assertFalse(reports.isEmpty());
                    assertEquals(List.of(), summary.unreadable(), "no part of a real report is left unread");
                    assertEquals(reports.size(), summary.reports());
                    String rel = corpus.relativize(f).toString().replace('\\', '/');
                    Class<?> expected = rel.contains("tls") ? TlsReport.class
                            : rel.startsWith("mail-auth/arf/") ? FailureReport.class : AggregateReport.class;
                    for (Report r : reports) {
                        assertEquals(expected, r.getClass(), rel);
                        assertEquals(f.toString(), r.source().file());
                    }
                    if (expected == AggregateReport.class) {
                        assertTrue(((AggregateReport) reports.get(0)).records().size() > 0, rel + " has records");
                    }
                }));
    }

    @TestFactory
    Stream<DynamicTest> everySampleReportIsReadWhole() throws IOException {
        Path samples = Corpus.sampleReports();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(samples)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().endsWith(".py") && !f.getFileName().toString().equals("README.md"))
                    .sorted().toList();
        }
        assertTrue(files.size() > 30, "sample-reports holds " + files.size() + " files");
        return files.stream().map(f -> DynamicTest.dynamicTest(samples.relativize(f).toString(), () -> {
            ReportCollector collector = new ReportCollector();
            ParseSummary summary = parser.parse(f, collector);
            assertFalse(collector.reports().isEmpty());
            assertEquals(List.of(), summary.unreadable());
            String folder = samples.relativize(f).getName(0).toString();
            Class<?> expected = switch (folder) {
                case "failure" -> FailureReport.class;
                case "tls" -> TlsReport.class;
                default -> AggregateReport.class;
            };
            collector.reports().forEach(r -> assertEquals(expected, r.getClass()));
        }));
    }

    @Test
    void theZeroByteFileSaysSo() {
        Path empty = Corpus.sharedCorpusOrSkip().resolve("parsedmarc/empty.xml");
        ReportParseException e = assertThrows(ReportParseException.class, () -> parser.parseAll(empty));
        assertEquals("zero-byte input", e.getMessage());
        assertEquals(empty.toString(), e.source().file());
    }

    private static boolean isZeroBytes(Path f) {
        try {
            return Files.size(f) == 0;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
