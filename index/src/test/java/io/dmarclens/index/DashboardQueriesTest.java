package io.dmarclens.index;

import io.dmarclens.index.query.ReportFilter;
import io.dmarclens.parser.aggregate.AggregateRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        try (Store store = Store.open(dir)) {
            Fixtures.store(store, Fixtures.source("a.xml"),
                    Fixtures.header("google.com", "r1", "example.com", begin, begin + 86_399), records, Fixtures.GOOGLE);
            assertEquals(2, store.queries().countSources(ReportFilter.all()));
            assertEquals(0, store.queries().countSources(ReportFilter.lastDays(7, day.minusDays(10))));
            assertEquals(0, store.queries().countSources(ReportFilter.all().withDomains(java.util.Set.of("other.org"))));
            assertTrue(store.queries().tlsFailures(List.of(42L)).isEmpty());
            // ordered by the group's sums, not by one arbitrary row of the group
            assertEquals("192.0.2.66", store.queries().sources(ReportFilter.all(),
                    io.dmarclens.index.query.SourceSort.FAILING, io.dmarclens.index.query.Page.first(10)).get(0).ip());
            assertEquals("192.0.2.66", store.queries().sources(ReportFilter.all(),
                    io.dmarclens.index.query.SourceSort.PASS_RATE, io.dmarclens.index.query.Page.first(10)).get(0).ip());
            assertEquals("203.0.113.5", store.queries().sources(ReportFilter.all(),
                    io.dmarclens.index.query.SourceSort.MESSAGES, io.dmarclens.index.query.Page.first(10)).get(0).ip());
        }
    }
}
