package io.dmarclens.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.demo.DemoDataGenerator;
import io.dmarclens.demo.GeneratedReport;
import io.dmarclens.index.EmbeddedStore;
import io.dmarclens.ingest.enrich.EnrichmentSettings;
import io.dmarclens.ingest.pipeline.PipelineSetup;
import io.dmarclens.opensearch.OpenSearchSettings;
import io.dmarclens.opensearch.OpenSearchStore;
import io.dmarclens.parser.ReportParser;
import io.dmarclens.store.CommitMode;
import io.dmarclens.store.Store;
import io.dmarclens.store.query.ReportFilter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;

/**
 * What the retention tests store: two days of demo reports ending {@value #OLD_DAYS} days before today (older than
 * the {@value #POLICY} policy) and two days ending {@value #RECENT_DAYS} days before today (kept), each day's
 * reports from the demo world, imported through the real pipeline.
 */
final class RetentionWorld {
    static final int OLD_DAYS = 500;
    static final int RECENT_DAYS = 10;
    static final String POLICY = "400d";

    /**
     * What was stored.
     *
     * @param oldMessages    messages of the old reports
     * @param oldReports     the old aggregate reports
     * @param recentMessages messages of the recent reports
     * @param recentReports  the recent aggregate reports
     */
    record Stored(long oldMessages, long oldReports, long recentMessages, long recentReports) {
        long messages() {
            return oldMessages + recentMessages;
        }
    }

    private RetentionWorld() {
    }

    /** {@link #fill} of a new embedded store in {@code data}, closed again for the command or serve under test. */
    static Stored fillEmbedded(Path data, Clock clock) throws java.io.IOException {
        try (EmbeddedStore store = EmbeddedStore.open(data, clock)) {
            return fill(store, clock);
        }
    }

    /** {@link #fill} of the cluster's store of {@code settings}, closed again for the command or serve under test. */
    static Stored fillOpenSearch(OpenSearchSettings settings, Clock clock) throws java.io.IOException {
        try (Store store = OpenSearchStore.open(settings, clock)) {
            return fill(store, clock);
        }
    }

    /** Asserts that {@code store} holds the recent reports alone: the old ones and their messages are gone. */
    static void assertOnlyRecentLeft(Store store, Stored stored) {
        store.awaitIndexed();
        assertEquals(stored.recentMessages(), store.overview().totals(ReportFilter.all()).messages());
        assertEquals(stored.recentReports(), store.reports().countReports(ReportFilter.all()));
    }

    /** Imports the old, then the recent reports into {@code store}, with "today" from {@code clock}. */
    static Stored fill(Store store, Clock clock) throws java.io.IOException {
        LocalDate today = LocalDate.now(clock);
        importDays(store, clock, today.minusDays(OLD_DAYS), 11);
        long oldMessages = store.overview().totals(ReportFilter.all()).messages();
        long oldReports = store.reports().countReports(ReportFilter.all());
        importDays(store, clock, today.minusDays(RECENT_DAYS), 12);
        long messages = store.overview().totals(ReportFilter.all()).messages();
        long reports = store.reports().countReports(ReportFilter.all());
        assertTrue(oldMessages > 0 && messages > oldMessages, "both parts stored: " + oldMessages + ", " + messages);
        return new Stored(oldMessages, oldReports, messages - oldMessages, reports - oldReports);
    }

    private static void importDays(Store store, Clock clock, LocalDate end, long seed) throws java.io.IOException {
        try (PipelineSetup p = PipelineSetup.open(store, new ReportParser()::parse,
                new EnrichmentSettings(true, null, List.of(), null, List.of()), CommitMode.GROUPED, clock)) {
            for (GeneratedReport r : new DemoDataGenerator().generate(end, 2, seed)) {
                p.pipeline().importBytes("file", r.fileName(), r.content());
            }
        }
        store.flush();
        store.awaitIndexed();
    }
}
