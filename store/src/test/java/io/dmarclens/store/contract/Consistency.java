package io.dmarclens.store.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.store.Store;
import io.dmarclens.store.query.DailyTotals;
import io.dmarclens.store.query.RecordRow;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.SourceStats;
import java.util.ArrayList;
import java.util.List;

/** Checks that every read of a store's counts agrees with its records, after changes that move counts. */
final class Consistency {
    private Consistency() {
    }

    /**
     * The messages of the stored records equal the totals, the daily series and the sources, and no day
     * or source is left with nothing (or less than nothing) after counts were taken out.
     */
    static void assertCountsAgree(Store store, long expectedMessages) {
        List<RecordRow> records = new ArrayList<>();
        store.reports().exportRecords(ReportFilter.all(), records::add);
        List<DailyTotals> days = store.overview().daily(ReportFilter.all());
        List<SourceStats> sources = new ArrayList<>();
        store.sources().allSources(ReportFilter.all(), sources::add);
        assertArrayEquals(new long[]{expectedMessages, expectedMessages, expectedMessages, expectedMessages},
                new long[]{records.stream().mapToLong(RecordRow::count).sum(),
                        store.overview().totals(ReportFilter.all()).messages(),
                        days.stream().mapToLong(d -> d.totals().messages()).sum(),
                        sources.stream().mapToLong(SourceStats::messages).sum()},
                "records, totals, daily series, sources");
        assertTrue(days.stream().allMatch(d -> d.totals().messages() > 0), days::toString);
        assertTrue(sources.stream().allMatch(s -> s.messages() > 0), sources::toString);
    }
}
