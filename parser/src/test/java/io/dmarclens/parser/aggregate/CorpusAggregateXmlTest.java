package io.dmarclens.parser.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.parser.ParserLimits;
import io.dmarclens.parser.ReportParseException;
import io.dmarclens.testkit.Corpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every .xml of the real-world corpus (../shared/corpus, skipped when absent) yields one aggregate
 * report; the zero-byte file yields a clear error. Per-file facts are asserted by the sample tests.
 */
class CorpusAggregateXmlTest {

    @TestFactory
    Stream<DynamicTest> everyCorpusXmlFileIsAReport() throws IOException {
        Path corpus = Corpus.sharedCorpusOrSkip();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(corpus)) {
            files = walk.filter(p -> p.toString().endsWith(".xml") && Files.isRegularFile(p)).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no .xml in " + corpus);
        return files.stream().map(file -> DynamicTest.dynamicTest(corpus.relativize(file).toString(), () -> {
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length == 0) {
                ReportParseException e = assertThrows(ReportParseException.class, () -> Collector.parse(bytes));
                assertTrue(e.getMessage().startsWith("XML is not well-formed"), e.getMessage());
                return;
            }
            Collector c = Collector.collect(bytes, ParserLimits.DEFAULT);
            assertEquals(1, c.reports.size());
            AggregateReport r = c.reports.get(0);
            assertFalse(r.policy().domain().isEmpty(), "policy domain of " + file);
            assertFalse(r.records().isEmpty(), "records of " + file);
        }));
    }
}
