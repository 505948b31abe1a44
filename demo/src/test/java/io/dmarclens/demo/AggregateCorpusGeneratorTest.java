package io.dmarclens.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.parser.Report;
import io.dmarclens.parser.ReportParser;
import io.dmarclens.parser.aggregate.AggregateReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bench import's corpus: as many gzip reports and records as asked for, in the 90 days before the clock's
 * day, all read without a warning.
 */
class AggregateCorpusGeneratorTest {

    @Test
    void writesTheAskedNumberOfReportsAndRecords(@TempDir Path dir) throws Exception {
        Instant now = Instant.parse("2026-06-15T12:00:00Z");
        new AggregateCorpusGenerator(12, 3_000, 200, 4, 42, Clock.fixed(now, ZoneOffset.UTC)).write(dir);
        long today = LocalDate.of(2026, 6, 15).toEpochDay() * 86_400;
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.sorted().toList();
        }
        assertEquals(12, files.size());
        long records = 0;
        Set<String> domains = new HashSet<>();
        Set<String> reporters = new HashSet<>();
        ReportParser parser = new ReportParser();
        for (Path file : files) {
            assertTrue(file.getFileName().toString().endsWith(".xml.gz"), file.toString());
            List<Report> parsed = parser.parseAll(file);
            assertEquals(1, parsed.size(), file.toString());
            AggregateReport report = (AggregateReport) parsed.get(0);
            assertTrue(report.warnings().isEmpty(), () -> file + ": " + report.warnings());
            assertTrue(report.records().size() >= 1);
            records += report.records().size();
            domains.add(report.policy().domain());
            reporters.add(report.metadata().orgName());
            long begin = report.metadata().dateRange().begin();
            assertTrue(begin >= today - 90 * 86_400L && begin < today, () -> file + " begins " + begin);
        }
        assertEquals(3_000, records);
        assertEquals(4, domains.size());
        assertEquals(6, reporters.size());
    }
}
