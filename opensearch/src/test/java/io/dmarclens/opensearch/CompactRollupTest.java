package io.dmarclens.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.opensearch.testing.DropIndicesAfterClass;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.aggregate.AuthResult;
import io.dmarclens.parser.aggregate.Disposition;
import io.dmarclens.parser.aggregate.DkimAuthResult;
import io.dmarclens.parser.aggregate.DmarcResult;
import io.dmarclens.parser.aggregate.PolicyOverride;
import io.dmarclens.parser.aggregate.PolicyOverrideReason;
import io.dmarclens.parser.aggregate.SpfAuthResult;
import io.dmarclens.store.enrichment.Classification;
import io.dmarclens.store.Store;
import io.dmarclens.store.contract.KitReports;
import io.dmarclens.store.enrichment.RecordEnrichment;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.SourceSort;
import io.dmarclens.store.query.SourceStats;
import io.dmarclens.store.retention.RetentionPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The compact rollup gives the source lists (over every reporter and over some), totals, daily series and the
 * forwarding list and series exactly what the per-report rollups give: after it is computed, right after a commit
 * that made it stale, after re-classification and retention, and when two stores (two nodes) compute the same days
 * at once. The reference is the same list over the one policy domain every report has, which is always read from
 * the per-report rollups.
 */
@ExtendWith(DropIndicesAfterClass.class)
class CompactRollupTest {
    static final LocalDate D = LocalDate.of(2024, 5, 1);
    static final long DAY = 86_400;
    static final ReportFilter RANGE = ReportFilter.all().withRange(D.minusDays(2), D.plusDays(5));
    /** A second reporter, whose reports share days and sources with google.com's. */
    static final String OTHER = "Yahoo";
    static final List<Set<String>> REPORTERS = List.of(Set.of("google.com"), Set.of(OTHER),
            Set.of("google.com", OTHER), Set.of("nobody.example"));

    @Test
    void sourceListsFromTheCompactRollupEqualThePerReportRollups() {
        long d = KitReports.epoch(D);
        try (StoreOnNode node = new StoreOnNode(getClass(), "compact")) {
            OpenSearchStore store = node.open(Clock.fixed(Instant.ofEpochSecond(d + 40 * DAY), ZoneOffset.UTC));
            store(store, "a", d, d + DAY - 1, records("203.0.113", 0));
            store(store, "b", d, d + 3 * DAY - 1, records("203.0.113", 5)); // three days, the same sources
            store(store, "c", d + DAY, d + 2 * DAY - 1, records("198.51.100", 0));
            store(store, "y1", d, d + 2 * DAY - 1, records("203.0.113", 2), OTHER);
            store(store, "y2", d + DAY, d + 2 * DAY - 1, records("198.51.100", 3), OTHER);
            store.compaction().computeDirty();
            assertEquals(Set.of(D, D.plusDays(1), D.plusDays(2)),
                    store.compaction().current(RANGE.from(), RANGE.to()).keySet());
            assertSame(store);
            // read from the compact rollup alone now: the forwarding figures are there, both reason types too
            var forwarding = store.forwarding().forwardingSources(RANGE, new Page(0, 100));
            assertTrue(forwarding.stream().anyMatch(f -> f.ip().equals("203.0.113.7") && f.messages() == 3 + 2
                    + (3 + 5) + (2 + 5) + (3 + 2) + (2 + 2) && f.dkimSurvived() == f.messages()
                    && f.overrideReasons().equals(List.of("forwarded", "mailing_list"))), forwarding.toString());

            // the reporter's lists come from the compact documents per reporter, which hold only its reports
            assertTrue(reporterDocuments(node, OTHER) > 0);
            assertEquals(12, store.sources().sources(RANGE.withReporters(Set.of(OTHER)), SourceSort.MESSAGES,
                    new Page(0, 100)).stream().filter(s -> s.ip().equals("203.0.113.5")).findFirst().orElseThrow()
                    .messages(), "google.com's 10 + 15 left out");

            // right after a commit its days are read from the per-report rollups, and the figures include it
            store(store, "d", d + DAY, d + 2 * DAY - 1, records("203.0.113", 9));
            store(store, "y3", d + DAY, d + DAY, records("192.0.2", 4), OTHER);
            assertFalse(store.compaction().current(RANGE.from(), RANGE.to()).containsKey(D.plusDays(1)));
            assertTrue(store.compaction().current(RANGE.from(), RANGE.to()).containsKey(D));
            assertSame(store);
            store.compaction().computeDirty();
            assertEquals(3, store.compaction().current(RANGE.from(), RANGE.to()).size());
            assertSame(store);

            // a verdict changes: its days stop being read from the compact rollup until computed again
            int changed = store.reclassify("203.0.113.66", facts -> new RecordEnrichment(facts.sender(), true, true,
                    true, false, Classification.COMPLIANT, null));
            assertTrue(changed > 0);
            assertSame(store);
            store.compaction().computeDirty();
            assertSame(store);
            // a spoofed source re-classified forwarded: forwarded mail without aligned DKIM nor a reason
            assertTrue(store.reclassify("198.51.100.20", facts -> new RecordEnrichment(facts.sender(), false, false,
                    false, false, Classification.FORWARDED, null)) > 0);
            assertSame(store);
            store.compaction().computeDirty();
            assertEquals(3, store.compaction().current(RANGE.from(), RANGE.to()).size());
            assertSame(store);

            // two nodes compute the same days at once: both are exact, whichever wins
            OpenSearchStore other = node.open(Clock.fixed(Instant.ofEpochSecond(d + 40 * DAY), ZoneOffset.UTC));
            store(store, "e", d, d + 3 * DAY - 1, records("192.0.2", 1));
            other.compaction().touch(List.of(D, D.plusDays(1), D.plusDays(2)));
            CompletableFuture<Void> a = CompletableFuture.runAsync(() -> store.compaction().computeDirty());
            CompletableFuture<Void> b = CompletableFuture.runAsync(() -> other.compaction().computeDirty());
            a.join();
            b.join();
            store.compaction().computeDirty();
            assertEquals(3, store.compaction().current(RANGE.from(), RANGE.to()).size());
            assertSame(store);
            assertSame(other);

            // retention takes the reports of the first days out
            store.applyRetention(new RetentionPolicy(null, Duration.ofDays(39)), Instant.ofEpochSecond(d + 40 * DAY));
            assertSame(store);
            store.compaction().computeDirty();
            assertSame(store);
        }
    }

    @Test
    void aStoreOfAnOlderTemplateVersionComputesTheCompactRollupAgainBeforeReadingIt() {
        long d = KitReports.epoch(D);
        Clock clock = Clock.fixed(Instant.ofEpochSecond(d + 40 * DAY), ZoneOffset.UTC);
        try (StoreOnNode node = new StoreOnNode(getClass(), "upgrade")) {
            OpenSearchStore written = node.open(clock); // closed by the node, as the one below
            store(written, "a", d, d + 3 * DAY - 1, records("203.0.113", 0));
            store(written, "y", d, d + DAY - 1, records("203.0.113", 1), OTHER);
            written.compaction().computeDirty();
            // what version 5 left: templates of version 5, compact documents without the forwarding sums nor the
            // documents per reporter (version 6 left the sums and no documents per reporter: the same rule)
            IndexNames names = new IndexNames(node.settings.indexPrefix());
            for (Family f : Family.values()) {
                com.fasterxml.jackson.databind.node.ObjectNode old =
                        new Templates(node.cluster(), names, node.settings).template(f);
                ((com.fasterxml.jackson.databind.node.ObjectNode) old.path("_meta")).put(Templates.META_KEY, 5);
                node.cluster().ok("PUT", "/_index_template/" + names.template(f), null, old);
            }
            com.fasterxml.jackson.databind.node.ObjectNode strip = JsonNodes.object();
            strip.putObject("query").putObject("term").put("kind", Compaction.SOURCE);
            strip.putObject("script").put("lang", "painless").put("source",
                    "ctx._source.remove('" + Compaction.FWD_DKIM + "'); ctx._source.remove('"
                            + Compaction.FWD_REASONS + "')");
            node.cluster().ok("POST", "/" + names.of(Family.COMPACT) + "/_update_by_query",
                    java.util.Map.of("refresh", "true", "conflicts", "proceed"), strip);
            com.fasterxml.jackson.databind.node.ObjectNode perReporter = JsonNodes.object();
            perReporter.putObject("query").putObject("terms").putArray("kind").add(Compaction.REPORTER_SOURCE)
                    .add(Compaction.DOMAIN);
            node.cluster().ok("POST", "/" + names.of(Family.COMPACT) + "/_delete_by_query",
                    java.util.Map.of("refresh", "true", "conflicts", "proceed"), perReporter);
            assertEquals(0, reporterDocuments(node, OTHER));
            assertEquals(0, domainDocuments(node));

            OpenSearchStore store = node.open(clock);
            assertTrue(store.compaction().current(RANGE.from(), RANGE.to()).isEmpty(),
                    "every day is computed again before it is read");
            assertSame(store);
            store.compaction().computeDirty();
            assertEquals(3, store.compaction().current(RANGE.from(), RANGE.to()).size());
            assertTrue(reporterDocuments(node, OTHER) > 0);
            assertTrue(domainDocuments(node) > 0);
            var forwarding = store.forwarding().forwardingSources(RANGE, new Page(0, 100));
            assertTrue(!forwarding.isEmpty() && forwarding.stream().allMatch(f -> f.dkimSurvived() == f.messages()
                    && f.overrideReasons().equals(List.of("forwarded", "mailing_list"))), forwarding.toString());
            assertSame(store);
        }
    }

    private static void assertSame(Store store) {
        for (boolean unverifiedOut : new boolean[]{false, true}) {
            ReportFilter all = RANGE.excludingUnverified(unverifiedOut);
            ReportFilter reference = all.withDomains(Set.of("example.com"));
            for (SourceSort sort : SourceSort.values()) {
                assertEquals(list(store, reference, sort), list(store, all, sort), sort + " " + unverifiedOut);
            }
            assertEquals(store.sources().failingSources(reference, new Page(0, 100)),
                    store.sources().failingSources(all, new Page(0, 100)));
            assertEquals(store.sources().countSources(reference), store.sources().countSources(all));
            assertEquals(store.overview().totals(reference), store.overview().totals(all));
            assertEquals(store.overview().daily(reference), store.overview().daily(all));
            assertEquals(store.forwarding().forwardingSources(reference, new Page(0, 100)),
                    store.forwarding().forwardingSources(all, new Page(0, 100)));
            assertEquals(store.forwarding().forwardingSources(reference, new Page(1, 1)),
                    store.forwarding().forwardingSources(all, new Page(1, 1)));
            assertEquals(store.forwarding().forwardingDaily(reference), store.forwarding().forwardingDaily(all));
            // The policy impact: a filter naming every reporter reads the per-report rollups, one without reads the
            // compact documents per domain (with a domain filter too).
            ReportFilter everyReporter = all.withReporters(Set.of("google.com", OTHER));
            var impact = store.domains().policyImpact(all);
            assertEquals(store.domains().policyImpact(everyReporter), impact, "policy impact " + unverifiedOut);
            assertEquals(store.domains().policyImpact(everyReporter.withDomains(Set.of("example.com"))),
                    store.domains().policyImpact(reference));
            assertTrue(impact.stream().anyMatch(p -> p.failing() > 0), impact.toString());
            for (Set<String> reporters : REPORTERS) {
                ReportFilter some = all.withReporters(reporters);
                for (SourceSort sort : SourceSort.values()) {
                    assertEquals(list(store, some.withDomains(Set.of("example.com")), sort), list(store, some, sort),
                            reporters + " " + sort + " " + unverifiedOut);
                }
                assertEquals(store.sources().failingSources(some.withDomains(Set.of("example.com")), new Page(1, 2)),
                        store.sources().failingSources(some, new Page(1, 2)), reporters.toString());
                assertEquals(store.sources().countSources(some.withDomains(Set.of("example.com"))),
                        store.sources().countSources(some), reporters.toString());
            }
            for (LocalDate day = RANGE.from(); !day.isAfter(RANGE.to()); day = day.plusDays(1)) {
                ReportFilter one = all.withRange(day, day);
                assertEquals(list(store, one.withReporters(Set.of(OTHER)).withDomains(Set.of("example.com")),
                        SourceSort.FAILING), list(store, one.withReporters(Set.of(OTHER)), SourceSort.FAILING),
                        day.toString());
                assertEquals(list(store, one.withDomains(Set.of("example.com")), SourceSort.MESSAGES),
                        list(store, one, SourceSort.MESSAGES), day.toString());
                assertEquals(store.overview().totals(one.withDomains(Set.of("example.com"))),
                        store.overview().totals(one), day.toString());
                assertEquals(store.domains().policyImpact(one.withReporters(Set.of("google.com", OTHER))),
                        store.domains().policyImpact(one), day.toString());
                assertEquals(store.forwarding().forwardingSources(one.withDomains(Set.of("example.com")),
                        new Page(0, 100)), store.forwarding().forwardingSources(one, new Page(0, 100)), day.toString());
            }
        }
    }

    /** The compact documents per reporter of {@code reporter}, of any generation. */
    private static long reporterDocuments(StoreOnNode node, String reporter) {
        IndexNames names = new IndexNames(node.settings.indexPrefix());
        node.cluster().ok("POST", "/" + names.of(Family.COMPACT) + "/_refresh", java.util.Map.of(), null);
        com.fasterxml.jackson.databind.node.ObjectNode q = JsonNodes.object();
        var f = q.putObject("query").putObject("bool").putArray("filter");
        f.addObject().putObject("term").put("kind", Compaction.REPORTER_SOURCE);
        f.addObject().putObject("term").put("reporter", reporter);
        return node.cluster().ok("POST", "/" + names.of(Family.COMPACT) + "/_count", java.util.Map.of(), q)
                .path("count").asLong();
    }

    /** The compact documents per policy domain, of any generation. */
    private static long domainDocuments(StoreOnNode node) {
        IndexNames names = new IndexNames(node.settings.indexPrefix());
        node.cluster().ok("POST", "/" + names.of(Family.COMPACT) + "/_refresh", java.util.Map.of(), null);
        com.fasterxml.jackson.databind.node.ObjectNode q = JsonNodes.object();
        q.putObject("query").putObject("term").put("kind", Compaction.DOMAIN);
        return node.cluster().ok("POST", "/" + names.of(Family.COMPACT) + "/_count", java.util.Map.of(), q)
                .path("count").asLong();
    }

    private static List<SourceStats> list(Store store, ReportFilter f, SourceSort sort) {
        List<SourceStats> out = new ArrayList<>();
        out.addAll(store.sources().sources(f, sort, new Page(0, 100)));
        return out;
    }

    private static List<AggregateRecord> records(String prefix, int shift) {
        return List.of(KitReports.passing(0, prefix + ".5", 10 + shift, "example.com"),
                KitReports.forwarded(1, prefix + ".7", 3 + shift, "example.com"),
                KitReports.spoofed(2, prefix + ".66", 4 + shift, "example.com"),
                KitReports.spoofed(3, prefix + "." + (20 + shift), 1, "example.com"),
                // forwarded by a mailing list too: a second reason type for the same source
                new AggregateRecord(4, prefix + ".7", 2 + shift, Disposition.NONE, DmarcResult.PASS, DmarcResult.FAIL,
                        List.of(new PolicyOverrideReason(PolicyOverride.MAILING_LIST, "mailing_list", null)),
                        "example.com", "lists.example.org", "example.net",
                        List.of(new DkimAuthResult("example.com", "s2", AuthResult.PASS, "pass", null)),
                        List.of(new SpfAuthResult("lists.example.org", "mfrom", AuthResult.FAIL, "fail", null))));
    }

    private static void store(Store store, String id, long begin, long end, List<AggregateRecord> records) {
        store(store, id, begin, end, records, "google.com");
    }

    private static void store(Store store, String id, long begin, long end, List<AggregateRecord> records,
                              String reporter) {
        KitReports.store(store, KitReports.source(id + ".xml"),
                KitReports.header(reporter, id, "example.com", begin, end), records, KitReports.GOOGLE);
    }
}
