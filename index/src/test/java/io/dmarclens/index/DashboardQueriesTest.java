package io.dmarclens.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.store.query.ReportFilter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The counts the dashboard asks for beside the pages of rows. */
class DashboardQueriesTest {
    @TempDir
    Path dir;

    @Test
    void countsDistinctSourcesWithinTheFilter() {
        LocalDate day = LocalDate.of(2024, 5, 1);
        long begin = Fixtures.epoch(day);
        List<AggregateRecord> records = List.of(
                Fixtures.passing(0, "203.0.113.5", 10, "example.com"),
                Fixtures.passing(1, "203.0.113.5", 2, "example.com"),
                Fixtures.spoofed(3, "203.0.113.5", 1, "example.com"),
                Fixtures.spoofed(2, "192.0.2.66", 4, "example.com"));
        try (EmbeddedStore store = EmbeddedStore.open(dir)) {
            Fixtures.store(store, Fixtures.source("a.xml"),
                    Fixtures.header("google.com", "r1", "example.com", begin, begin + 86_399), records, Fixtures.GOOGLE);
            assertEquals(2, store.sources().countSources(ReportFilter.all()));
            assertEquals(0, store.sources().countSources(ReportFilter.lastDays(7, day.minusDays(10))));
            assertEquals(0, store.sources().countSources(ReportFilter.all().withDomains(java.util.Set.of("other.org"))));
            assertTrue(store.tlsReports().tlsFailures(List.of(42L)).isEmpty());
            // ordered by the group's sums, not by one arbitrary row of the group
            assertEquals("192.0.2.66", store.sources().sources(ReportFilter.all(),
                    io.dmarclens.store.query.SourceSort.FAILING, io.dmarclens.store.query.Page.first(10)).get(0).ip());
            assertEquals("192.0.2.66", store.sources().sources(ReportFilter.all(),
                    io.dmarclens.store.query.SourceSort.PASS_RATE, io.dmarclens.store.query.Page.first(10)).get(0).ip());
            assertEquals("203.0.113.5", store.sources().sources(ReportFilter.all(),
                    io.dmarclens.store.query.SourceSort.MESSAGES, io.dmarclens.store.query.Page.first(10)).get(0).ip());
        }
    }
}
