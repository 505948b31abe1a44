package io.dmarclens.store.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.parser.Truncation;
import io.dmarclens.parser.aggregate.AggregateHeader;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.store.CommitMode;
import io.dmarclens.store.ImportBatch;
import io.dmarclens.store.ImportResult;
import io.dmarclens.store.SourceFile;
import io.dmarclens.store.Store;
import io.dmarclens.store.query.FailureRow;
import io.dmarclens.store.query.RecordRow;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.TlsFailureRow;
import io.dmarclens.store.query.Totals;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Imports: what a batch says it stored is what the store holds; the same report twice is stored once
 * (same input again, or the same report in another message); an aborted report leaves nothing; grouped
 * imports are atomic one report at a time and survive closing the store.
 */
public abstract class ImportContract extends StoreContract {
    static final long BEGIN = KitReports.epoch(LocalDate.of(2024, 5, 1));

    static List<AggregateRecord> records(String ipPrefix) {
        return List.of(
                KitReports.passing(0, ipPrefix + ".5", 10, "example.com"),
                KitReports.forwarded(1, ipPrefix + ".7", 3, "example.com"),
                KitReports.spoofed(2, ipPrefix + ".66", 4, "example.com"));
    }

    static AggregateHeader header(String reportId) {
        return KitReports.header("google.com", reportId, "example.com", BEGIN, BEGIN + 86_399);
    }

    /** Records stored, read back through the export. */
    static List<RecordRow> storedRecords(Store store) {
        List<RecordRow> rows = new ArrayList<>();
        store.reports().exportRecords(ReportFilter.all(), rows::add);
        return rows;
    }

    static long messages(List<AggregateRecord> records) {
        return records.stream().mapToLong(AggregateRecord::count).sum();
    }

    @Test
    void sameReportTwiceIsStoredOnce() throws Exception {
        Store store = open(dir);
        List<AggregateRecord> records = records("203.0.113");
        SourceFile source = KitReports.source("google.xml");
        ImportResult first = KitReports.store(store, source, header("r1"), records, KitReports.GOOGLE);
        assertEquals(new ImportResult(1, records.size(), messages(records), 0, 0, 0, 0, 0, 0), first);
        ImportResult again = KitReports.store(store, source, header("r1"), records, KitReports.GOOGLE);
        assertEquals(new ImportResult(0, 0, 0, 0, 0, 1, 0, 0, 0), again);

        List<Map.Entry<AggregateRecord, io.dmarclens.store.enrichment.RecordEnrichment>> stored = new ArrayList<>();
        records.forEach(r -> stored.add(Map.entry(r, KitReports.enrichment(r, KitReports.GOOGLE))));
        assertEquals(SampleData.totals(stored), store.overview().totals(ReportFilter.all()));
        assertEquals(records.size(), storedRecords(store).size());
        store.awaitIndexed();
        assertEquals(1, store.search("ip:203.0.113.5", 10).totalHits());
    }

    @Test
    void sameReportInAnotherMessageIsADuplicate() {
        Store store = open(dir);
        List<AggregateRecord> records = records("203.0.113");
        KitReports.store(store, KitReports.source("direct.xml"), header("r1"), records, null);
        // The same report (same reporter, id, domain and range) forwarded in another mail: other bytes.
        ImportResult forwarded = KitReports.store(store, SourceFile.of("forwarded.eml", "imap",
                "Subject: Fwd: report r1\r\n\r\n<feedback/>".getBytes(StandardCharsets.UTF_8)), header("r1"), records, null);
        assertEquals(0, forwarded.aggregateReports());
        assertEquals(1, forwarded.duplicates());
        assertEquals(messages(records), store.overview().totals(ReportFilter.all()).messages());
    }

    @Test
    void sameFailureAndTlsReportFromTheSameInputAgainAreDuplicates() {
        Store store = open(dir);
        SourceFile source = KitReports.source("ruf-and-tls.eml");
        Instant at = Instant.ofEpochSecond(BEGIN);
        for (int round = 0; round < 2; round++) {
            try (ImportBatch batch = store.beginImport(source)) {
                boolean failure = batch.failure(KitReports.failureReport("192.0.2.66", "Invoice", "a@example.com",
                        "<m1@evil.example>", at));
                boolean tls = batch.tls(KitReports.tlsReport("tls-1", at));
                assertEquals(round == 0, failure, "failure report, round " + round);
                assertEquals(round == 0, tls, "TLS report, round " + round);
                ImportResult result = batch.commit();
                assertEquals(round == 0 ? 0 : 2, result.duplicates());
            }
        }
        assertEquals(1, store.failureReports().failureReports(ReportFilter.all(),
                io.dmarclens.store.query.Page.first(10)).size());
        assertEquals(1, store.tlsReports().tlsReports(ReportFilter.all(), io.dmarclens.store.query.Page.first(10)).size());
    }

    @Test
    void sampleReportsImportOnceAndReimportIsAllDuplicates() throws Exception {
        Store store = open(dir);
        SampleData first = SampleData.importInto(store);
        assertTrue(first.aggregates.size() >= 20, "sample reports stored: " + first.aggregates.size());
        Totals totals = store.overview().totals(ReportFilter.all());
        assertEquals(SampleData.totals(first.records()), totals, "rollups sum to the records, multi-day reports included");
        assertEquals(first.records().size(), storedRecords(store).size());

        SampleData again = SampleData.importInto(store);
        assertEquals(0, again.reportsStored);
        assertEquals(first.reportsStored + first.duplicates, again.duplicates);
        assertEquals(totals, store.overview().totals(ReportFilter.all()), "importing again changes nothing");
        assertEquals(first.records().size(), storedRecords(store).size());
        store.awaitIndexed();
        assertEquals(first.records().size(), store.search("kind:record", 1).totalHits(), "each record searchable once");
    }

    @Test
    void sharedCorpusImportsOnce() {
        List<java.nio.file.Path> files;
        try (java.util.stream.Stream<java.nio.file.Path> walk = java.nio.file.Files.walk(
                io.dmarclens.testkit.Corpus.sharedCorpusOrSkip())) {
            files = walk.filter(java.nio.file.Files::isRegularFile).sorted().limit(300).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Store store = open(dir);
        SampleData first = SampleData.importInto(store, files);
        Totals totals = store.overview().totals(ReportFilter.all());
        assertEquals(SampleData.totals(first.records()), totals);
        SampleData again = SampleData.importInto(store, files);
        assertEquals(0, again.reportsStored);
        assertEquals(totals, store.overview().totals(ReportFilter.all()));
        assertEquals(first.records().size(), storedRecords(store).size());
    }

    @Test
    void abortedReportLeavesNothing() {
        Store store = open(dir);
        try (ImportBatch batch = store.beginImport(KitReports.source("cut.xml"))) {
            assertTrue(batch.beginAggregate(header("r1")));
            AggregateRecord r = records("203.0.113").get(0);
            batch.record(r, KitReports.enrichment(r, null));
            batch.abortAggregate("the message was cut off");
            ImportResult result = batch.commit();
            assertEquals(0, result.aggregateReports());
            assertEquals(1, result.aborted());
        }
        assertEquals(Totals.ZERO, store.overview().totals(ReportFilter.all()));
        assertEquals(0, store.reports().countReports(ReportFilter.all()));
        // Not a duplicate next time: nothing of it was stored.
        assertEquals(1, KitReports.store(store, KitReports.source("whole.xml"), header("r1"), records("203.0.113"),
                null).aggregateReports());
    }

    @Test
    void exportedRowsOfAPartialReportCarryItsReason() {
        Store store = open(dir);
        String cut = "gzip stream truncated after 900 bytes; the XML ends at line 20, column 3: 2 records read";
        try (ImportBatch batch = store.beginImport(KitReports.source("cut.xml.gz"))) {
            assertTrue(batch.beginAggregate(header("cut")));
            for (AggregateRecord r : records("203.0.113").subList(0, 2)) {
                batch.record(r, KitReports.enrichment(r, null));
            }
            assertTrue(batch.endAggregate(List.of(), new Truncation(cut)));
            assertTrue(batch.tls(KitReports.tlsReport("tls-cut", Instant.ofEpochSecond(BEGIN))
                    .truncated(new Truncation("zip member cut off"))));
            batch.commit();
        }
        KitReports.store(store, KitReports.source("whole.xml"), header("whole"), records("198.51.100"), null);
        try (ImportBatch batch = store.beginImport(KitReports.source("tls-whole.json"))) {
            assertTrue(batch.tls(KitReports.tlsReport("tls-whole", Instant.ofEpochSecond(BEGIN))));
            batch.commit();
        }

        List<RecordRow> rows = storedRecords(store);
        assertEquals(5, rows.size());
        for (RecordRow r : rows) {
            assertEquals(r.reportId().equals("cut") ? cut : null, r.partialReason(), r.reportId());
            assertEquals(r.reportId().equals("cut"), r.isPartial());
        }
        List<TlsFailureRow> tls = new ArrayList<>();
        store.tlsReports().exportTlsFailures(ReportFilter.all(), tls::add);
        assertEquals(2, tls.size());
        for (TlsFailureRow t : tls) {
            assertEquals(t.reportId().equals("tls-cut") ? "zip member cut off" : null, t.partialReason(), t.reportId());
        }
        assertEquals(tls, store.tlsReports().tlsFailures(tls.stream().map(TlsFailureRow::id).toList()),
                "the rows read by id (search hits) say the same");
    }

    @Test
    void aFailureReportFromACutContainerIsStoredAsPartial() {
        Store store = open(dir);
        ImportResult result;
        try (ImportBatch batch = store.beginImport(KitReports.source("ruf.eml.gz"))) {
            assertTrue(batch.failure(KitReports.failureReport("192.0.2.66", "cut", "a@example.com", "<cut@x>",
                    Instant.ofEpochSecond(BEGIN)).truncated(new Truncation("gzip stream truncated after 700 bytes"))));
            assertTrue(batch.failure(KitReports.failureReport("192.0.2.67", "whole", "a@example.com", "<whole@x>",
                    Instant.ofEpochSecond(BEGIN))));
            result = batch.commit();
        }
        assertEquals(2, result.failureReports());
        assertEquals(1, result.partial());
        List<FailureRow> rows = new ArrayList<>();
        store.failureReports().exportFailureReports(ReportFilter.all(), rows::add);
        assertEquals(2, rows.size());
        for (FailureRow f : rows) {
            assertEquals(f.subject().equals("cut") ? "gzip stream truncated after 700 bytes" : null, f.partialReason(),
                    f.subject());
            assertEquals(f, store.failureReports().failureReport(f.id()).orElseThrow(), "the detail says the same");
        }
    }

    private static boolean storeGrouped(Store store, String reportId, String ipPrefix, boolean abort) {
        ImportBatch batch = store.beginImport(KitReports.source(reportId + ".xml"), CommitMode.GROUPED);
        if (batch.beginAggregate(header(reportId))) {
            for (AggregateRecord r : records(ipPrefix)) {
                batch.record(r, KitReports.enrichment(r, KitReports.GOOGLE));
            }
            if (abort) {
                batch.abortAggregate("broken in the middle");
            } else {
                batch.endAggregate(List.of());
            }
        }
        return batch.commit().aggregateReports() == 1;
    }

    @Test
    void groupedReportAbortedRollsBackAloneAndTheRestIsCommittedByFlush() throws Exception {
        Store store = open(dir);
        assertTrue(storeGrouped(store, "r1", "203.0.113", false));
        assertFalse(storeGrouped(store, "r2", "198.51.100", true));
        assertTrue(storeGrouped(store, "r3", "192.0.2", false));
        store.flush();
        assertEquals(2 * records("x").size(), storedRecords(store).size(), "r1 and r3 are stored; r2 is not");
        assertEquals(2 * messages(records("x")), store.overview().totals(ReportFilter.all()).messages());
        store.awaitIndexed();
        assertEquals(0, store.search("ip:198.51.100.0/24", 10).totalHits());
        assertEquals(records("x").size(), store.search("ip:192.0.2.0/24", 10).totalHits());
    }

    @Test
    void duplicateInsideAnUncommittedGroupIsRecognised() {
        Store store = open(dir);
        assertTrue(storeGrouped(store, "r1", "203.0.113", false));
        assertFalse(storeGrouped(store, "r1", "203.0.113", false), "same report again before the group commit");
        store.flush();
        assertEquals(records("x").size(), storedRecords(store).size());
    }

    @Test
    void reportOfAnotherImportThatFailsDoesNotTakeTheGroupWithIt() {
        Store store = open(dir);
        assertTrue(storeGrouped(store, "r1", "203.0.113", false));
        // A receiver's import (each report committed) fails while r1 waits for its group commit.
        try (ImportBatch batch = store.beginImport(KitReports.source("smtp.xml"))) {
            assertTrue(batch.beginAggregate(KitReports.header("yahoo.com", "y1", "example.com", BEGIN, BEGIN + 86_399)));
            AggregateRecord r = records("198.51.100").get(0);
            batch.record(r, KitReports.enrichment(r, KitReports.GOOGLE));
            batch.abortAggregate("the message was cut off");
            batch.commit();
        }
        store.flush();
        assertEquals(records("x").size(), storedRecords(store).size(), "r1 survives the other import's rollback");
    }

    @Test
    void closeCommitsWhatFlushDidNotAndSearchCatchesUpAfterReopening() throws Exception {
        Store store = open(dir);
        assertTrue(storeGrouped(store, "r1", "203.0.113", false));
        assertTrue(storeGrouped(store, "r2", "198.51.100", false));
        close(store);
        Store reopened = open(dir);
        assertEquals(2 * records("x").size(), storedRecords(reopened).size());
        reopened.awaitIndexed();
        assertEquals(records("x").size(), reopened.search("ip:198.51.100.0/24", 10).totalHits());
        assertEquals(2 * records("x").size(), reopened.search("ip:0.0.0.0/0", 10).totalHits());
    }
}
