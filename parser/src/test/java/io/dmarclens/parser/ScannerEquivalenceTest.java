package io.dmarclens.parser;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.dmarclens.parser.aggregate.AggregateXmlParser;
import io.dmarclens.parser.container.PayloadSpooler;
import io.dmarclens.testkit.Corpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every file of {@code sample-reports/} and of the real-world corpus (skipped when absent), read
 * through the public entry point once with the byte scanner and once with Woodstox alone, gives the
 * handler exactly the same calls: the same headers, records and warnings, compared field by field
 * through the model records, the same aborts and the same errors.
 */
class ScannerEquivalenceTest {
    private static final ParserLimits LIMITS = ParserLimits.DEFAULT;
    private final ReportParser scanning = new ReportParser(LIMITS, new PayloadSpooler(), new AggregateXmlParser(LIMITS));
    private final ReportParser woodstox = new ReportParser(LIMITS, new PayloadSpooler(), AggregateXmlParser.woodstoxOnly(LIMITS));

    @TestFactory
    Stream<DynamicTest> everySampleReportReadsTheSameWithAndWithoutTheScanner() throws IOException {
        return sameWithBoth(Corpus.sampleReports(), 25);
    }

    @TestFactory
    Stream<DynamicTest> everyCorpusFileReadsTheSameWithAndWithoutTheScanner() throws IOException {
        return sameWithBoth(Corpus.sharedCorpusOrSkip(), 80);
    }

    private Stream<DynamicTest> sameWithBoth(Path root, int atLeast) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        assertTrue(files.size() >= atLeast, root + " holds " + files.size() + " files");
        return files.stream().map(f -> dynamicTest(root.relativize(f).toString(), () -> {
            EventLog expected = read(woodstox, f);
            EventLog actual = read(scanning, f);
            assertTrue(!expected.events().isEmpty(), "nothing was read from " + f);
            assertNull(EventLog.difference(expected, actual), f.toString());
        }));
    }

    private static EventLog read(ReportParser parser, Path file) {
        EventLog log = new EventLog();
        try {
            parser.parse(file, log);
        } catch (ReportParseException | RuntimeException e) {
            log.failed(e);
        }
        return log;
    }
}
