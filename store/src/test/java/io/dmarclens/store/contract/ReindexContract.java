package io.dmarclens.store.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.parser.failure.FailureReport;
import io.dmarclens.parser.tlsrpt.TlsFailureDetail;
import io.dmarclens.parser.tlsrpt.TlsPolicyResult;
import io.dmarclens.parser.tlsrpt.TlsReport;
import io.dmarclens.store.Store;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.SourceSort;
import io.dmarclens.store.search.SearchHit;
import io.dmarclens.store.search.SearchSyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Reindex: what a store derives from the reports it holds (search documents; rollups where it keeps them)
 * is rebuilt from them, whatever became of it. A store whose derived views were lost or damaged answers,
 * after {@link Store#reindex()}, exactly what it answered before: every figure, list and search hit. A store
 * written by an older version whose derived documents lack what this version writes says so when opened
 * ({@link Store#reindexNeeded()}) and answers in full after a reindex.
 */
public abstract class ReindexContract extends StoreContract {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-06-01T12:00:00Z"), ZoneOffset.UTC);

    /**
     * Loses or damages what {@code store} derives from its reports (the search index; rollups and search
     * documents where it keeps them), behind its back, and gives back the store to go on with (the same, or
     * opened again on {@code dir}; the kit closes it).
     */
    protected abstract Store damageDerivedViews(Path dir, Store store);

    /**
     * Makes {@code store} look as an older version of it left it, with derived documents that lack what this
     * version writes, and gives back the store opened again on it; empty when the store cannot be in that
     * state (it rebuilds what is out of date by itself when opened).
     */
    protected Optional<Store> asWrittenByAnOlderVersion(Path dir, Store store) {
        return Optional.empty();
    }

    /**
     * One import of {@code sample-reports/} for both cases (importing is what takes the time): derived views lost,
     * then the documents of an older version.
     */
    @Test
    void reindexRebuildsLostDerivedViewsAndUpgradesAnOlderVersionsDocuments() throws Exception {
        Path at = Files.createDirectories(dir.resolve("store"));
        Store store = open(at, CLOCK);
        SampleData data = SampleData.importInto(store);
        store.awaitIndexed();
        List<String> queries = queries(data);
        Map<String, Object> before = answers(store, queries);
        assertTrue(((Long) before.get("search kind:record")) > 0, "records are searchable");
        assertTrue(store.reindexNeeded().isEmpty(), "a store of this version needs no reindex");

        // Derived views lost or damaged behind the store's back.
        Store damaged = damageDerivedViews(at, store);
        if (damaged != store) {
            adopt(damaged);
        }
        assertNotEquals(before, answers(damaged, queries), "the damage shows");
        damaged.reindex();
        assertEquals(before, answers(damaged, queries), "every answer as before the damage");
        assertTrue(damaged.reindexNeeded().isEmpty(), "nothing left to reindex");
        // Again: a reindex of an intact store changes nothing.
        damaged.reindex();
        assertEquals(before, answers(damaged, queries));

        // The same reports as an older version of the store left them.
        Optional<Store> older = asWrittenByAnOlderVersion(at, damaged);
        if (older.isEmpty()) {
            return; // this store rebuilds what is out of date when it is opened
        }
        Store upgraded = adopt(older.get());
        String why = upgraded.reindexNeeded().orElseThrow(() -> new AssertionError("says it needs a reindex"));
        assertTrue(why.contains("reindex"), why);
        assertNotEquals(before, answers(upgraded, queries), "the older documents are not all found before");
        upgraded.reindex();
        assertEquals(before, answers(upgraded, queries), "every answer as a store of this version gives");
        assertTrue(upgraded.reindexNeeded().isEmpty(), "upgraded: " + upgraded.reindexNeeded());
    }

    /** Queries that reach every kind of document and field of the sample reports. */
    static List<String> queries(SampleData data) {
        Set<String> queries = new LinkedHashSet<>(List.of("kind:record", "kind:failure", "kind:tls", "ip:0.0.0.0/0",
                "ip:\"::/0\"", "from:*", "dmarc:pass", "dmarc:fail", "class:*", "reporter:*", "domain:*", "origin:*",
                "subject:*", "result:*", "mx:*", "policytype:*", "selector:*", "dkimdomain:*", "envfrom:*"));
        for (FailureReport f : data.failures) {
            if (f.sourceIp() != null && io.dmarclens.store.search.IpLiterals.parse(f.sourceIp().strip()) != null) {
                queries.add("ip:\"" + f.sourceIp().strip() + "\"");
            }
            f.reportedDomain().forEach(d -> queries.add("domain:\"" + d + "\""));
        }
        for (TlsReport t : data.tls) {
            for (TlsPolicyResult p : t.policies()) {
                for (TlsFailureDetail d : p.failureDetails()) {
                    queries.add("result:\"" + d.resultType() + "\"");
                }
            }
        }
        for (SampleData.StoredAggregate a : data.aggregates) {
            a.report().records().stream().limit(3).map(r -> r.sourceIp() == null ? "" : r.sourceIp().strip())
                    .filter(ip -> io.dmarclens.store.search.IpLiterals.parse(ip) != null)
                    .forEach(ip -> queries.add("ip:\"" + ip + "\""));
            queries.add("domain:\"" + a.report().policy().domain() + "\"");
        }
        return new ArrayList<>(queries);
    }

    /** Every figure, list and search answer the dashboard reads, over all reports. */
    static Map<String, Object> answers(Store store, List<String> queries) throws SearchSyntaxException {
        ReportFilter all = ReportFilter.all();
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("totals", store.overview().totals(all));
        a.put("daily", store.overview().daily(all));
        a.put("sources", store.sources().sources(all, SourceSort.MESSAGES, Page.first(1_000)));
        a.put("failing", store.sources().failingSources(all, Page.first(1_000)));
        a.put("forwarding", store.forwarding().forwardingSources(all, Page.first(1_000)));
        a.put("forwarding daily", store.forwarding().forwardingDaily(all));
        a.put("policy impact", store.domains().policyImpact(all));
        a.put("reporters", store.reporters().reporters(all, Page.first(1_000)));
        for (String q : queries) {
            var r = store.search(q, 10_000);
            a.put("search " + q, r.totalHits());
            List<String> hits = new ArrayList<>();
            for (SearchHit h : r.hits()) {
                hits.add(h.kind() + " " + h.id() + "@" + h.date());
            }
            hits.sort(null);
            a.put("hits " + q, hits);
        }
        return a;
    }
}
