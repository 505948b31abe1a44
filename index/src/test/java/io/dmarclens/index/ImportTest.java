package io.dmarclens.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.store.ImportResult;
import io.dmarclens.store.SourceFile;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.Totals;
import io.dmarclens.store.search.SearchResults;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportTest {
    @TempDir
    Path dir;

    static final LocalDate DAY = LocalDate.of(2024, 5, 1);

    @Test
    void storesReportOnceAndReimportIsDuplicate() throws Exception {
        List<AggregateRecord> records = List.of(
                Fixtures.passing(0, "203.0.113.5", 10, "example.com"),
                Fixtures.forwarded(1, "198.51.100.7", 3, "example.com"),
                Fixtures.spoofed(2, "192.0.2.66", 4, "example.com"));
        long begin = Fixtures.epoch(DAY);
        SourceFile source = Fixtures.source("google.xml");
        try (EmbeddedStore store = EmbeddedStore.open(dir)) {
            ImportResult first = Fixtures.store(store, source,
                    Fixtures.header("google.com", "r1", "example.com", begin, begin + 86_399), records, Fixtures.GOOGLE);
            assertEquals(1, first.aggregateReports());
            assertEquals(3, first.records());
            assertEquals(17, first.messages());
            ImportResult again = Fixtures.store(store, source,
                    Fixtures.header("google.com", "r1", "example.com", begin, begin + 86_399), records, Fixtures.GOOGLE);
            assertEquals(0, again.aggregateReports());
            assertEquals(1, again.duplicates());
            Totals t = store.overview().totals(ReportFilter.all());
            assertEquals(17, t.messages());
            assertEquals(13, t.dmarcPass());
            assertEquals(4, t.dmarcFail());
            assertEquals(4, t.threat());
            assertEquals(3, t.forwarded());
            SearchResults hits = store.search("ip:203.0.113.0/24", 10);
            assertEquals(1, hits.totalHits());
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("dmarc-lens.db"));
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*), SUM(count) FROM aggregate_record")) {
            rs.next();
            assertEquals(3, rs.getLong(1));
            assertEquals(17, rs.getLong(2));
        }
    }
}
