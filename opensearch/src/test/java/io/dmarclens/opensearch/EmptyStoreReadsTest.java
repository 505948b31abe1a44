package io.dmarclens.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.opensearch.testing.DropIndicesAfterClass;
import io.dmarclens.opensearch.testing.OpenSearchTestNode;
import io.dmarclens.store.Authenticity;
import io.dmarclens.store.enrichment.SenderInfo;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.ReportSort;
import io.dmarclens.store.query.SourceSort;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every read model on an empty store, with every field of the filter and every sort: the cluster accepts
 * each query (aggregations, script sorts, deep pages) and the answers are empty.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(DropIndicesAfterClass.class)
class EmptyStoreReadsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-05-02T00:00:00Z"), ZoneOffset.UTC);
    private static final List<ReportFilter> FILTERS = List.of(ReportFilter.all(),
            new ReportFilter(LocalDate.of(2024, 5, 1), LocalDate.of(2024, 5, 31), Set.of("Example.com"),
                    Set.of("google.com"), true),
            new ReportFilter(null, LocalDate.of(2024, 5, 31), Set.of(), Set.of(), false));
    private OpenSearchStore store;

    @BeforeAll
    void open() {
        OpenSearchTestNode node = OpenSearchTestNode.shared();
        store = OpenSearchStore.open(node.settings(OpenSearchTestNode.prefix(getClass(), "empty")), CLOCK);
    }

    @AfterAll
    void close() {
        store.close();
    }

    @Test
    void everyListIsEmptyWhateverTheFilterSortAndPage() {
        for (ReportFilter f : FILTERS) {
            for (SourceSort s : SourceSort.values()) {
                assertEquals(List.of(), store.sources().sources(f, s, Page.first(10)));
                assertEquals(List.of(), store.sources().sources(f, s, new Page(20_000, 10)));
            }
            assertEquals(0, store.sources().countSources(f));
            assertEquals(List.of(), store.sources().failingSources(f, Page.first(10)));
            List<Object> all = new ArrayList<>();
            store.sources().allSources(f, all::add);
            store.reports().exportRecords(f, all::add);
            store.failureReports().exportFailureReports(f, all::add);
            store.tlsReports().exportTlsFailures(f, all::add);
            assertEquals(List.of(), all);
            assertEquals(List.of(), store.sources().sourceRecords("192.0.2.1", f, Page.first(10)));
            assertTrue(store.sources().dkimSelectors("example.com", f).isEmpty());
            assertEquals(List.of(), store.forwarding().forwardingSources(f, Page.first(10)));
            assertEquals(List.of(), store.forwarding().forwardingDaily(f));
            assertEquals(List.of(), store.domains().policyImpact(f));
            assertEquals(List.of(), store.reporters().reporters(f, Page.first(10)));
            for (ReportSort s : ReportSort.values()) {
                assertEquals(List.of(), store.reports().reports(f, s, Page.first(10)));
                assertEquals(List.of(), store.reports().reports(f, s, new Page(10_000, 5)));
            }
            assertEquals(0, store.reports().countReports(f));
            assertEquals(List.of(), store.failureReports().failureReports(f, Page.first(10)));
            assertEquals(List.of(), store.tlsReports().tlsReports(f, Page.first(10)));
        }
    }

    @Test
    void nothingIsFoundById() {
        assertEquals(List.of(), store.domains().policyHistory("example.com", true));
        assertEquals(List.of(), store.domains().policyHistory("example.com"));
        assertEquals(4, store.reports().countByVerdict().size());
        assertTrue(store.reports().countByVerdict().values().stream().allMatch(n -> n == 0));
        assertTrue(store.reports().report(42).isEmpty());
        assertEquals(List.of(), store.reports().reportRecords(42, Page.first(10)));
        assertEquals(List.of(), store.reports().records(List.of(1L, 2L)));
        assertEquals(List.of(), store.reports().warnings("aggregate", 42));
        assertEquals(List.of(), store.reports().warnings("failure", 42));
        assertEquals(List.of(), store.reports().warnings("tls", 42));
        assertTrue(store.failureReports().failureReport(42).isEmpty());
        assertEquals(List.of(), store.failureReports().failureMessageHeaders(42));
        assertTrue(store.tlsReports().tlsReport(42).isEmpty());
        assertEquals(List.of(), store.tlsReports().tlsFailures(List.of(42L)));
        assertTrue(store.rawSources().rawSource(42).isEmpty());
        assertFalse(store.rawSources().copyRawSource(42, new ByteArrayOutputStream()));
        assertEquals(SenderInfo.UNKNOWN, store.sources().sender("192.0.2.1"));
        assertEquals(0L, store.reports().countByVerdict().get(Authenticity.Verdict.UNVERIFIED));
    }
}
