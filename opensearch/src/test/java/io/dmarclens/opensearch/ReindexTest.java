package io.dmarclens.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.opensearch.testing.DropIndicesAfterClass;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.store.Store;
import io.dmarclens.store.contract.KitReports;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.SourceSort;
import io.dmarclens.store.search.SearchSyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Reindex on OpenSearch beyond the contract: a reindex stopped between two pages (as by a kill) goes on where
 * it stopped in a new process, and reports another store imports while a reindex runs end up right.
 */
@ExtendWith(DropIndicesAfterClass.class)
class ReindexTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-06-01T12:00:00Z"), ZoneOffset.UTC);
    private static final long D = KitReports.epoch(LocalDate.of(2024, 5, 1));

    @Test
    void aStoppedReindexGoesOnWhereItStoppedInTheNextProcess() throws Exception {
        try (StoreOnNode node = new StoreOnNode(getClass(), "resume")) {
            OpenSearchStore first = node.open(CLOCK);
            long messages = 0;
            for (int i = 0; i < 12; i++) {
                messages += importReport(first, "resume-" + i, i);
            }
            first.awaitIndexed();
            Map<String, Object> before = answers(first);
            assertEquals(messages, first.overview().totals(ReportFilter.all()).messages());
            damage(node);

            // Stopped after its second page of 5 reports, as a kill would stop it: the place reached is saved.
            RuntimeException killed = new RuntimeException("killed");
            assertThrows(RuntimeException.class, () -> first.reindex((done, total, what) -> {
                if (done >= 10) {
                    throw killed;
                }
            }, 5));
            String why = first.reindexNeeded().orElseThrow();
            assertTrue(why.contains("stopped before its end"), why);
            first.close();

            OpenSearchStore next = node.open(CLOCK); // a new process: it says so at start, and goes on
            assertTrue(next.reindexNeeded().isPresent());
            List<long[]> updates = new CopyOnWriteArrayList<>();
            next.reindex((done, total, what) -> {
                if (what.equals("reports")) {
                    updates.add(new long[]{done, total});
                }
            });
            assertEquals(1, updates.size(), "the two last reports in one page: the first ten were not done again");
            assertEquals(12, updates.get(0)[0]);
            assertEquals(12, updates.get(0)[1]);
            assertEquals(before, answers(next), "every answer as before the damage");
            assertTrue(next.reindexNeeded().isEmpty());
        }
    }

    @Test
    void reportsImportedByAnotherStoreWhileAReindexRunsEndUpRight() throws Exception {
        try (StoreOnNode node = new StoreOnNode(getClass(), "beside")) {
            OpenSearchStore reindexing = node.open(CLOCK);
            OpenSearchStore serving = node.open(CLOCK); // another process on the same cluster and prefix
            long messages = 0;
            for (int i = 0; i < 10; i++) {
                messages += importReport(reindexing, "before-" + i, i);
            }
            damage(node);
            CompletableFuture<Long> imports = CompletableFuture.supplyAsync(() -> {
                long m = 0;
                for (int i = 0; i < 10; i++) {
                    m += importReport(serving, "during-" + i, i);
                }
                return m;
            });
            // Small pages, so that the imports land between them, before and after the place reached.
            do {
                reindexing.reindex(io.dmarclens.store.ReindexProgress.NONE, 2);
            } while (!imports.isDone());
            messages += imports.get(60, TimeUnit.SECONDS);
            reindexing.awaitIndexed();
            assertEquals(messages, reindexing.overview().totals(ReportFilter.all()).messages(), "rollups of every report");
            assertEquals(messages, reindexing.overview().daily(ReportFilter.all()).stream()
                    .mapToLong(d -> d.totals().messages()).sum());
            assertEquals(20 * 2, reindexing.search("kind:record", 1_000).totalHits(), "every record searchable");
            assertEquals(20, reindexing.search("ip:203.0.113.0/24", 1_000).totalHits());
            // And a store that never lost anything gives the same answers.
            try (StoreOnNode fresh = new StoreOnNode(getClass(), "reference")) {
                OpenSearchStore reference = fresh.open(CLOCK);
                for (int i = 0; i < 10; i++) {
                    importReport(reference, "before-" + i, i);
                    importReport(reference, "during-" + i, i);
                }
                reference.awaitIndexed();
                assertEquals(answers(reference), answers(reindexing));
            }
        }
    }

    /** A report of two records (one passing, one spoofed) over one to three days; returns its messages. */
    private static long importReport(Store store, String id, int i) {
        long begin = D + (i % 7) * 86_400L;
        List<AggregateRecord> records = List.of(KitReports.passing(0, "203.0.113." + (i % 10), i + 1, "example.com"),
                KitReports.spoofed(1, "192.0.2." + i, 2, "example.com"));
        KitReports.store(store, KitReports.source(id + ".xml"),
                KitReports.header("google.com", id, "example.com", begin, begin + (1 + i % 3) * 86_400L - 1), records, null);
        return i + 1 + 2;
    }

    /** Every rollup gone and every record's search object removed, behind the stores' backs. */
    private static void damage(StoreOnNode node) {
        Cluster cluster = node.cluster();
        cluster.ok("POST", "/" + node.names.all() + "/_refresh", Map.of("ignore_unavailable", "true"), null);
        ObjectNode all = JsonNodes.object();
        all.putObject("query").putObject("match_all");
        cluster.ok("POST", "/" + node.names.of(Family.ROLLUPS) + "/_delete_by_query", Map.of("refresh", "true"), all);
        ObjectNode strip = JsonNodes.object();
        strip.putObject("query").putObject("match_all");
        strip.putObject("script").put("lang", "painless").put("source", "ctx._source.remove('search')");
        cluster.ok("POST", "/" + node.names.of(Family.RECORDS) + "/_update_by_query", Map.of("refresh", "true"), strip);
    }

    private static Map<String, Object> answers(Store store) throws SearchSyntaxException {
        Map<String, Object> a = new LinkedHashMap<>();
        ReportFilter all = ReportFilter.all();
        a.put("totals", store.overview().totals(all));
        a.put("daily", store.overview().daily(all));
        a.put("sources", withoutIds(store.sources().sources(all, SourceSort.MESSAGES, Page.first(100))));
        a.put("reporters", store.reporters().reporters(all, Page.first(100)));
        for (String q : List.of("kind:record", "ip:203.0.113.0/24", "ip:192.0.2.0/24", "dmarc:fail", "class:*",
                "domain:example.com", "reporter:google")) {
            a.put(q, store.search(q, 1_000).totalHits());
        }
        return a;
    }

    private static List<String> withoutIds(List<?> rows) {
        List<String> out = new ArrayList<>();
        rows.forEach(r -> out.add(r.toString()));
        return out;
    }
}
