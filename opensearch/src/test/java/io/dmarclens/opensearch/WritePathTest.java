package io.dmarclens.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.opensearch.testing.DropIndicesAfterClass;
import io.dmarclens.parser.Truncation;
import io.dmarclens.parser.aggregate.AggregateHeader;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.store.Authenticity;
import io.dmarclens.store.CommitMark;
import io.dmarclens.store.CommitMode;
import io.dmarclens.store.ImportBatch;
import io.dmarclens.store.ImportResult;
import io.dmarclens.store.Store;
import io.dmarclens.store.StoreCommit;
import io.dmarclens.store.StoreException;
import io.dmarclens.store.contract.KitReports;
import io.dmarclens.store.query.DailyTotals;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.Totals;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The write path on a real node (2 shards per index): duplicates by identity and content, partial copies
 * replaced, aborted reports leaving nothing, grouped commits and their listeners, refused writes.
 */
@ExtendWith(DropIndicesAfterClass.class)
class WritePathTest {
    static final LocalDate D = LocalDate.of(2024, 5, 1);
    static final long BEGIN = KitReports.epoch(D);
    static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(BEGIN + 3 * 86_400), ZoneOffset.UTC);

    private StoreOnNode node;

    StoreOnNode node(TestInfo test) {
        node = new StoreOnNode(getClass(), test.getDisplayName());
        return node;
    }

    @AfterEach
    void close() {
        if (node != null) {
            node.close();
        }
    }

    static List<AggregateRecord> records(String ipPrefix) {
        return List.of(KitReports.passing(0, ipPrefix + ".5", 10, "example.com"),
                KitReports.forwarded(1, ipPrefix + ".7", 3, "example.com"),
                KitReports.spoofed(2, ipPrefix + ".66", 4, "example.com"));
    }

    static AggregateHeader header(String reportId, long begin, long end) {
        return KitReports.header("google.com", reportId, "example.com", begin, end);
    }

    static ImportResult store(Store store, String file, String reportId, List<AggregateRecord> records,
                              Truncation truncation, CommitMode mode) {
        try (ImportBatch batch = store.beginImport(KitReports.source(file), mode)) {
            if (batch.beginAggregate(header(reportId, BEGIN, BEGIN + 86_399))) {
                for (AggregateRecord r : records) {
                    batch.record(r, KitReports.enrichment(r, KitReports.GOOGLE));
                }
                batch.endAggregate(List.of(), truncation);
            }
            return batch.commit();
        }
    }

    @Test
    void theSameReportTwiceIsOneCopyByIdentityAndByContent(TestInfo test) {
        StoreOnNode n = node(test);
        OpenSearchStore store = n.open(CLOCK);
        ImportResult first = store(store, "a.xml", "r1", records("203.0.113"), null, CommitMode.EACH_REPORT);
        assertEquals(new ImportResult(1, 3, 17, 0, 0, 0, 0, 0, 0), first);
        assertEquals(new ImportResult(0, 0, 0, 0, 0, 1, 0, 0, 0),
                store(store, "a.xml", "r1", records("203.0.113"), null, CommitMode.EACH_REPORT), "same content");
        assertEquals(new ImportResult(0, 0, 0, 0, 0, 1, 0, 0, 0),
                store(store, "forwarded.eml", "r1", records("203.0.113"), null, CommitMode.EACH_REPORT),
                "same identity in another mail");
        Totals t = store.overview().totals(ReportFilter.all());
        assertEquals(17, t.messages());
        assertEquals(10, t.compliant());
        assertEquals(3, t.forwarded());
        assertEquals(4, t.threat());
        assertEquals(4, t.dispositionReject());
        assertEquals(3, n.count(Family.RECORDS));
        assertEquals(1, n.count(Family.REPORTS));
        assertEquals(2, n.count(Family.SOURCES), "each raw source once, duplicates' too");
    }

    @Test
    void aMultiDayReportIsSplitOverItsDaysExactly(TestInfo test) {
        StoreOnNode n = node(test);
        OpenSearchStore store = n.open(CLOCK);
        AggregateRecord odd = KitReports.spoofed(0, "192.0.2.66", 7, "example.com");
        try (ImportBatch batch = store.beginImport(KitReports.source("two-days.xml"))) {
            assertTrue(batch.beginAggregate(header("two", BEGIN, BEGIN + 2 * 86_400)));
            batch.record(odd, KitReports.enrichment(odd, null));
            batch.endAggregate(List.of());
            batch.commit();
        }
        List<DailyTotals> days = store.overview().daily(ReportFilter.all());
        assertEquals(List.of(D, D.plusDays(1)), days.stream().map(DailyTotals::day).toList());
        assertEquals(List.of(4L, 3L), days.stream().map(d -> d.totals().messages()).toList(),
                "largest remainder, earlier day first on the tie");
        assertEquals(3, store.overview().totals(ReportFilter.all().withRange(D.plusDays(1), D.plusDays(1))).threat());
        assertEquals(D, store.overview().dateSpan().orElseThrow().first());
        assertEquals(D.plusDays(1), store.overview().dateSpan().orElseThrow().last());
    }

    @Test
    void anAbortedReportLeavesNothingAndIsNotADuplicateLater(TestInfo test) {
        StoreOnNode n = node(test);
        OpenSearchStore store = n.open(CLOCK);
        try (ImportBatch batch = store.beginImport(KitReports.source("cut.xml"))) {
            assertTrue(batch.beginAggregate(header("r1", BEGIN, BEGIN + 86_399)));
            for (AggregateRecord r : records("203.0.113")) {
                batch.record(r, KitReports.enrichment(r, null));
            }
            batch.abortAggregate("the message was cut off");
            assertEquals(1, batch.commit().aborted());
        }
        assertEquals(Totals.ZERO, store.overview().totals(ReportFilter.all()));
        assertEquals(0, n.count(Family.RECORDS));
        assertEquals(0, n.count(Family.IDS, "pending", 1) + n.count(Family.REPORTS));
        assertEquals(1, store(store, "whole.xml", "r1", records("203.0.113"), null, CommitMode.EACH_REPORT)
                .aggregateReports());
    }

    @Test
    void aPartialCopyIsReplacedByAMoreCompleteOneAsIfOnlyThatHadArrived(TestInfo test) {
        StoreOnNode n = node(test);
        OpenSearchStore store = n.open(CLOCK);
        List<AggregateRecord> all = records("203.0.113");
        ImportResult cut = store(store, "cut.xml.gz", "r1", all.subList(0, 2), new Truncation("gzip cut"),
                CommitMode.EACH_REPORT);
        assertEquals(1, cut.partial());
        assertEquals(13, store.overview().totals(ReportFilter.all()).messages());
        assertEquals(1, store(store, "other-cut.xml.gz", "r1", all.subList(0, 2), new Truncation("cut again"),
                CommitMode.EACH_REPORT).duplicates(), "read no further: a duplicate");
        ImportResult whole = store(store, "whole.xml", "r1", all, null, CommitMode.GROUPED);
        assertEquals(1, whole.superseded());
        store.flush();
        Totals t = store.overview().totals(ReportFilter.all());
        assertEquals(17, t.messages());
        assertEquals(4, t.threat());
        assertEquals(3, n.count(Family.RECORDS), "the partial copy's records are gone");
        assertEquals(1, n.count(Family.REPORTS));
        assertEquals(0, n.count(Family.IDS, "retired", 0) + n.count(Family.IDS, "pending", 0));
        assertEquals(1, store(store, "cut.xml.gz", "r1", all.subList(0, 2), new Truncation("gzip cut"),
                CommitMode.EACH_REPORT).duplicates(), "the old partial copy again: a duplicate");
    }

    @Test
    void everyRecordOfAPartialReportCarriesItsReasonBeyondOneBulkRequest(TestInfo test) {
        StoreOnNode n = node(test);
        OpenSearchStore store = n.open(CLOCK);
        int size = OpenSearchImportBatch.BULK_RECORDS + 500;
        try (ImportBatch batch = store.beginImport(KitReports.source("big-cut.xml.gz"))) {
            assertTrue(batch.beginAggregate(header("big", BEGIN, BEGIN + 86_399)));
            for (int i = 0; i < size; i++) {
                AggregateRecord r = KitReports.passing(i, "10.0." + (i >> 8) + "." + (i & 255), 1, "example.com");
                batch.record(r, KitReports.enrichment(r, null));
            }
            assertTrue(batch.endAggregate(List.of(), new Truncation("gzip stream truncated")));
            batch.commit();
        }
        List<String> reasons = new java.util.ArrayList<>();
        var all = JsonNodes.object();
        all.putObject("match_all");
        n.count(Family.RECORDS); // refresh
        Scan.each(n.cluster(), n.names.of(Family.RECORDS), all, "record_id",
                d -> reasons.add(d.path("partial").asText(null)));
        assertEquals(size, reasons.size());
        assertEquals(List.of("gzip stream truncated"), reasons.stream().distinct().toList());
    }

    @Test
    void aVerifiedCopyReplacesAnUnverifiedOneAndNotTheOtherWayRound(TestInfo test) {
        StoreOnNode n = node(test);
        OpenSearchStore store = n.open(CLOCK);
        storeWith(store, "forged.eml", 1000, Authenticity.unverified("no DKIM signature"));
        assertEquals(1000, store.overview().totals(ReportFilter.all()).messages());
        assertEquals(0, store.overview().totals(ReportFilter.all().excludingUnverified(true)).messages());
        storeWith(store, "genuine.eml", 3, Authenticity.verified("DKIM signature of google.com"));
        storeWith(store, "forged-again.eml", 500, Authenticity.unverified("no DKIM signature"));
        assertEquals(3, store.overview().totals(ReportFilter.all()).messages());
        assertEquals(3, store.overview().totals(ReportFilter.all().excludingUnverified(true)).messages());
        assertEquals(1, n.count(Family.REPORTS));
    }

    private static void storeWith(Store store, String file, long count, Authenticity authenticity) {
        try (ImportBatch batch = store.beginImport(KitReports.source(file))) {
            if (batch.beginAggregate(header("same-id", BEGIN, BEGIN + 86_399), authenticity)) {
                AggregateRecord r = KitReports.spoofed(0, "192.0.2.66", count, "example.com");
                batch.record(r, KitReports.enrichment(r, null));
                batch.endAggregate(List.of());
            }
            batch.commit();
        }
    }

    @Test
    void groupedReportsAreVisibleAndHeardOnceCommittedDurably(TestInfo test) {
        StoreOnNode n = node(test);
        OpenSearchStore store = n.open(CLOCK);
        List<StoreCommit> heard = new CopyOnWriteArrayList<>();
        store.addCommitListener(c -> {
            throw new IllegalStateException("the alert mailer is down");
        });
        store.addCommitListener(heard::add);
        CommitMark mark = store.mark();
        store(store, "g1.xml", "g1", records("203.0.113"), null, CommitMode.GROUPED);
        assertTrue(store(store, "g1-again.xml", "g1", records("203.0.113"), null, CommitMode.GROUPED).duplicates() == 1,
                "a duplicate of a report still in the uncommitted group");
        store(store, "g2.xml", "g2", records("198.51.100"), null, CommitMode.GROUPED);
        store.commitDurably(mark);
        assertEquals(34, store.overview().totals(ReportFilter.all()).messages());
        assertEquals(6, heard.stream().mapToLong(StoreCommit::records).sum());
        assertEquals(Set.of("example.com"), heard.get(0).policyDomains());
        store.close();
        // What commitDurably returned from survives: another store on the same indices sees it.
        assertEquals(34, n.open(CLOCK).overview().totals(ReportFilter.all()).messages());
    }

    @Test
    void aGroupWaitsForItsWindowOrAFlush(TestInfo test) throws InterruptedException {
        StoreOnNode n = node(test);
        OpenSearchStore bulk = n.open(CLOCK, java.time.Duration.ofMinutes(10));
        store(bulk, "g1.xml", "g1", records("203.0.113"), null, CommitMode.GROUPED);
        // Well past the default window (2 s, checked every 0.5 s): a ten-minute window has not committed yet.
        Thread.sleep(3_500);
        assertEquals(0, bulk.overview().totals(ReportFilter.all()).messages(), "still waiting in its group");
        bulk.flush();
        assertEquals(17, bulk.overview().totals(ReportFilter.all()).messages());

        OpenSearchStore quick = n.open(CLOCK, java.time.Duration.ofMillis(200));
        store(quick, "g2.xml", "g2", records("198.51.100"), null, CommitMode.GROUPED);
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (quick.overview().totals(ReportFilter.all()).messages() != 34 && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertEquals(34, quick.overview().totals(ReportFilter.all()).messages(), "committed by the window alone");
    }

    @Test
    void aSmallRawSourceOfAGroupIsStoredByItsCommitAndTheSameMailAgainIsNoFailure(TestInfo test) throws Exception {
        StoreOnNode n = node(test);
        OpenSearchStore store = n.open(CLOCK, java.time.Duration.ofMinutes(10));
        io.dmarclens.store.SourceFile source = KitReports.source("g1.xml");
        long id = DocIds.ofSha256(source.sha256());
        CommitMark mark = store.mark();
        store(store, "g1.xml", "g1", records("203.0.113"), null, CommitMode.GROUPED);
        assertEquals(0, n.count(Family.RAW), "its chunk waits for the group's commit, in its bulk request");
        assertEquals(0, n.count(Family.SOURCES));
        store.commitDurably(mark);
        assertEquals("g1.xml", store.rawSources().rawSource(id).orElseThrow().name());
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        assertTrue(store.rawSources().copyRawSource(id, out));
        assertEquals(new String(source.open().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8),
                out.toString(java.nio.charset.StandardCharsets.UTF_8));
        // The same mail again: its source's create finds the same source stored (409), which fails nothing.
        CommitMark again = store.mark();
        assertEquals(1, store(store, "g1.xml", "g1", records("203.0.113"), null, CommitMode.GROUPED).duplicates());
        store.commitDurably(again);
        assertEquals(1, n.count(Family.RAW));
        assertEquals(1, n.count(Family.SOURCES));
        assertEquals(17, store.overview().totals(ReportFilter.all()).messages());
        // A failure report is visible as soon as it is stored: its raw source is written before it, not grouped.
        try (ImportBatch batch = store.beginImport(KitReports.source("ruf.eml"), CommitMode.GROUPED)) {
            assertTrue(batch.failure(KitReports.failureReport("192.0.2.66", "Invoice", "a@example.com",
                    "<m1@evil.example>", Instant.ofEpochSecond(BEGIN))));
            batch.commit();
        }
        assertEquals(2, n.count(Family.SOURCES), "no commit since: the failure report's source went before it");
        assertEquals(2, n.count(Family.RAW));
    }

    @Test
    void aGroupSendsItsDocumentsAheadWhenManyWaitAndShowsThemOnlyAtItsCommit(TestInfo test) {
        StoreOnNode n = node(test);
        OpenSearchStore bulk = n.open(CLOCK, java.time.Duration.ofMinutes(10));
        // Eleven reports of 950 records (one rollup each) leave about 21,000 bulk lines for their commit: more than
        // a group keeps unsent (Writes.GROUP_LINES), so the eleventh sends them all ahead instead of committing.
        int reports = 11;
        int perReport = 950;
        for (int i = 0; i < reports; i++) {
            List<AggregateRecord> records = new java.util.ArrayList<>();
            for (int r = 0; r < perReport; r++) {
                records.add(KitReports.passing(r, "203.0.113.5", 1, "example.com"));
            }
            store(bulk, "big" + i + ".xml", "big" + i, records, null, CommitMode.GROUPED);
        }
        assertEquals(reports * perReport, n.count(Family.RECORDS), "sent ahead (and made searchable here)");
        assertEquals(0, bulk.overview().totals(ReportFilter.all()).messages(), "hidden by their claims");
        assertEquals(0, bulk.reports().countReports(ReportFilter.all()), "no report seen before the commit");
        bulk.flush();
        assertEquals(reports * perReport, bulk.overview().totals(ReportFilter.all()).messages());
        assertEquals(reports, bulk.reports().countReports(ReportFilter.all()));
        assertEquals(reports * perReport, n.count(Family.RECORDS), "each document once");
    }

    @Test
    void closeCommitsTheLastGroup(TestInfo test) {
        StoreOnNode n = node(test);
        OpenSearchStore store = n.open(CLOCK);
        store(store, "g1.xml", "g1", records("203.0.113"), null, CommitMode.GROUPED);
        store.close();
        assertEquals(17, n.open(CLOCK).overview().totals(ReportFilter.all()).messages());
    }

    @Test
    void failureAndTlsReportsAreStoredOnceAndHeard(TestInfo test) {
        StoreOnNode n = node(test);
        OpenSearchStore store = n.open(CLOCK);
        List<StoreCommit> heard = new CopyOnWriteArrayList<>();
        store.addCommitListener(heard::add);
        Instant at = Instant.ofEpochSecond(BEGIN);
        for (int round = 0; round < 2; round++) {
            try (ImportBatch batch = store.beginImport(KitReports.source("ruf-and-tls.eml"))) {
                assertEquals(round == 0, batch.failure(KitReports.failureReport("192.0.2.66", "Invoice",
                        "a@example.com", "<m1@evil.example>", at)));
                assertEquals(round == 0, batch.tls(KitReports.tlsReport("tls-1", at)));
                assertEquals(round == 0 ? 0 : 2, batch.commit().duplicates());
            }
        }
        try (ImportBatch batch = store.beginImport(KitReports.source("tls-cut.json.gz"))) {
            assertFalse(batch.tls(KitReports.tlsReport("tls-1", at).truncated(new Truncation("cut"))),
                    "a partial copy of a whole TLS report is a duplicate");
            batch.commit();
        }
        assertEquals(1, n.count(Family.FAILURES));
        assertEquals(1, n.count(Family.TLS));
        assertEquals(1, n.count(Family.TLS_FAILURES));
        assertEquals(1, heard.stream().mapToLong(StoreCommit::failureReports).sum());
        assertEquals(1, heard.stream().mapToLong(StoreCommit::tlsReports).sum());
        assertEquals(Set.of("example.com"), heard.get(0).policyDomains());
    }

    @Test
    void aVerifiedTlsCopyReplacesAnUnverifiedOneAndFailureReportsKeepTheirVerdict(TestInfo test) {
        StoreOnNode n = node(test);
        OpenSearchStore store = n.open(CLOCK);
        Instant at = Instant.ofEpochSecond(BEGIN);
        try (ImportBatch batch = store.beginImport(KitReports.source("forged-tls.eml"))) {
            assertTrue(batch.tls(KitReports.tlsReport("t1", at), Authenticity.unverified("no DKIM signature")));
            assertTrue(batch.failure(KitReports.failureReport("192.0.2.66", "s", "a@example.com", "<m@x>", at),
                    Authenticity.unverified("no DKIM signature")));
            batch.commit();
        }
        try (ImportBatch batch = store.beginImport(KitReports.source("genuine-tls.eml"))) {
            assertTrue(batch.tls(KitReports.tlsReport("t1", at), Authenticity.verified("DKIM signature of google.com")));
            assertEquals(1, batch.commit().superseded());
        }
        try (ImportBatch batch = store.beginImport(KitReports.source("forged-again.eml"))) {
            assertFalse(batch.tls(KitReports.tlsReport("t1", at), Authenticity.unverified("no DKIM signature")),
                    "an unverified copy of a stored report is a duplicate");
            batch.commit();
        }
        assertEquals(1, n.count(Family.TLS));
        assertEquals(1, n.count(Family.TLS, "authenticity", "verified"));
        assertEquals(1, n.count(Family.TLS_FAILURES, "unverified", false));
        assertEquals(1, n.count(Family.FAILURES, "authenticity", "unverified"));
    }

    @Test
    void refusedWritesAreAStoreExceptionNamingTheClusterAndLeaveNothingVisible(TestInfo test) {
        StoreOnNode n = node(test);
        OpenSearchStore store = n.open(CLOCK);
        store(store, "first.xml", "r0", records("192.0.2"), null, CommitMode.EACH_REPORT); // creates the month
        // The records index closed: OpenSearch refuses every write to it.
        String records = n.names.month(Family.RECORDS, BEGIN);
        n.cluster().ok("POST", "/" + records + "/_close", Map.of(), null);
        try {
            StoreException e = assertThrows(StoreException.class,
                    () -> store(store, "a.xml", "r1", records("203.0.113"), null, CommitMode.EACH_REPORT));
            assertTrue(e.getMessage().contains(n.settings.urls().get(0).toString()), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        } finally {
            n.cluster().ok("POST", "/" + records + "/_open", Map.of("wait_for_active_shards", "all"), null);
        }
        assertEquals(17, store.overview().totals(ReportFilter.all()).messages(), "nothing of r1 is seen");
        assertEquals(1, store(store, "a.xml", "r1", records("203.0.113"), null, CommitMode.EACH_REPORT)
                .aggregateReports(), "tried again once the cluster takes writes: stored");
        assertEquals(34, store.overview().totals(ReportFilter.all()).messages());
    }

    @Test
    void aGroupsDocumentsGoInOneBulkAtItsCommitAndARefusedOneLosesTheGroupUntilImportedAgain(TestInfo test) {
        StoreOnNode n = node(test);
        OpenSearchStore store = n.open(CLOCK);
        store(store, "first.xml", "r0", records("192.0.2"), null, CommitMode.EACH_REPORT); // creates the month
        CommitMark mark = store.mark();
        // The records index closed: the reports are still taken, since their documents wait for the group's
        // commit, whose bulk request is refused.
        String records = n.names.month(Family.RECORDS, BEGIN);
        n.cluster().ok("POST", "/" + records + "/_close", Map.of(), null);
        try {
            store(store, "a.xml", "r1", records("203.0.113"), null, CommitMode.GROUPED);
            store(store, "b.xml", "r2", records("198.51.100"), null, CommitMode.GROUPED);
            StoreException e = assertThrows(StoreException.class, () -> store.commitDurably(mark));
            assertTrue(e.getMessage().contains(n.settings.urls().get(0).toString()), e.getMessage());
        } finally {
            n.cluster().ok("POST", "/" + records + "/_open", Map.of("wait_for_active_shards", "all"), null);
        }
        assertEquals(17, store.overview().totals(ReportFilter.all()).messages(), "nothing of the lost group is seen");
        CommitMark again = store.mark();
        assertEquals(1, store(store, "a.xml", "r1", records("203.0.113"), null, CommitMode.GROUPED).aggregateReports(),
                "a lost report is no duplicate: imported again, it is stored");
        assertEquals(1, store(store, "b.xml", "r2", records("198.51.100"), null, CommitMode.GROUPED).aggregateReports());
        store.commitDurably(again);
        assertEquals(51, store.overview().totals(ReportFilter.all()).messages());
        assertEquals(9, n.count(Family.RECORDS), "each record once");
    }
}
