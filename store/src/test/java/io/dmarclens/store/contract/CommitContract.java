package io.dmarclens.store.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.store.CommitMark;
import io.dmarclens.store.CommitMode;
import io.dmarclens.store.ImportBatch;
import io.dmarclens.store.Store;
import io.dmarclens.store.StoreCommit;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.ReportFilter;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Commits: listeners (alerts subscribe) hear of each commit that stores reports, of every kind, after it, with
 * the counts and the domains committed;
 * a listener that fails does not fail the import; {@link Store#commitDurably} commits grouped imports and
 * what it returned from survives closing the store.
 */
public abstract class CommitContract extends StoreContract {
    static final long BEGIN = KitReports.epoch(LocalDate.of(2024, 5, 1));

    private static List<AggregateRecord> records(String domain) {
        return List.of(KitReports.passing(0, "203.0.113.5", 10, domain), KitReports.spoofed(1, "192.0.2.66", 4, domain));
    }

    private static void importReport(Store store, String reportId, String domain, CommitMode mode) {
        try (ImportBatch batch = store.beginImport(KitReports.source(reportId + ".xml"), mode)) {
            if (batch.beginAggregate(KitReports.header("google.com", reportId, domain, BEGIN, BEGIN + 86_399))) {
                for (AggregateRecord r : records(domain)) {
                    batch.record(r, KitReports.enrichment(r, null));
                }
                batch.endAggregate(List.of());
            }
            batch.commit();
        }
    }

    /** What listeners heard: the records and domains of every commit, summed. */
    private static long records(List<StoreCommit> heard) {
        return heard.stream().mapToLong(StoreCommit::records).sum();
    }

    private static Set<String> domains(List<StoreCommit> heard) {
        Set<String> out = new HashSet<>();
        heard.forEach(c -> out.addAll(c.policyDomains()));
        return out;
    }

    @Test
    void listenersHearOfEachCommitWithItsPolicyDomains() {
        Store store = open(dir);
        List<StoreCommit> heard = new CopyOnWriteArrayList<>();
        List<Long> messagesWhenHeard = new CopyOnWriteArrayList<>();
        store.addCommitListener(c -> {
            heard.add(c);
            // Called after the commit: what it committed is there to read.
            messagesWhenHeard.add(store.overview().totals(ReportFilter.all()).messages());
        });
        importReport(store, "r1", "example.com", CommitMode.EACH_REPORT);
        assertEquals(records("example.com").size(), records(heard));
        assertEquals(Set.of("example.com"), domains(heard));
        assertEquals(ImportContract.messages(records("x")), messagesWhenHeard.get(messagesWhenHeard.size() - 1));

        heard.clear();
        importReport(store, "r2", "Other.ORG", CommitMode.EACH_REPORT);
        assertEquals(Set.of("other.org"), domains(heard), "policy domains as stored: lower case");

        heard.clear();
        importReport(store, "r2", "other.org", CommitMode.EACH_REPORT);
        assertEquals(0, records(heard), "a duplicate commits no records");
    }

    @Test
    void groupedImportsAreHeardOnceCommitted() {
        Store store = open(dir);
        List<StoreCommit> heard = new CopyOnWriteArrayList<>();
        store.addCommitListener(heard::add);
        CommitMark mark = store.mark();
        importReport(store, "g1", "example.com", CommitMode.GROUPED);
        importReport(store, "g2", "example.org", CommitMode.GROUPED);
        store.commitDurably(mark);
        assertEquals(2L * records("x").size(), records(heard));
        assertEquals(Set.of("example.com", "example.org"), domains(heard));
    }

    @Test
    void everyRecordOfALargeReportIsCounted() {
        // Larger than what a store may keep in memory for its search index: the count must not depend on it.
        int size = 22_000;
        Store store = open(dir);
        List<StoreCommit> heard = new CopyOnWriteArrayList<>();
        store.addCommitListener(heard::add);
        try (ImportBatch batch = store.beginImport(KitReports.source("large.xml"))) {
            batch.beginAggregate(KitReports.header("google.com", "large", "large.example", BEGIN, BEGIN + 86_399));
            for (int i = 0; i < size; i++) {
                AggregateRecord r = KitReports.passing(i, "10." + (i >> 16) + "." + (i >> 8 & 255) + "." + (i & 255), 1,
                        "large.example");
                batch.record(r, KitReports.enrichment(r, null));
            }
            batch.endAggregate(List.of());
            batch.commit();
        }
        assertEquals(size, records(heard));
        assertEquals(Set.of("large.example"), domains(heard));
    }

    @Test
    void aFailingListenerDoesNotFailTheImportNorTheOtherListeners() {
        Store store = open(dir);
        List<StoreCommit> heard = new CopyOnWriteArrayList<>();
        store.addCommitListener(c -> {
            throw new IllegalStateException("the alert mailer is down");
        });
        store.addCommitListener(heard::add);
        importReport(store, "r1", "example.com", CommitMode.EACH_REPORT);
        assertEquals(Set.of("example.com"), domains(heard));
        assertEquals(ImportContract.messages(records("x")), store.overview().totals(ReportFilter.all()).messages());
    }

    @Test
    void failureAndTlsReportsAreHeardWithTheirDomains() {
        Store store = open(dir);
        List<StoreCommit> heard = new CopyOnWriteArrayList<>();
        List<Long> failureReportsWhenHeard = new CopyOnWriteArrayList<>();
        store.addCommitListener(c -> {
            heard.add(c);
            failureReportsWhenHeard.add((long) store.failureReports().failureReports(ReportFilter.all(), Page.first(10)).size());
        });
        try (ImportBatch b = store.beginImport(KitReports.source("ruf.eml"))) {
            b.failure(KitReports.failureReport("192.0.2.66", "s", "a@example.com", "<m@x>", Instant.ofEpochSecond(BEGIN)));
            b.commit();
        }
        assertEquals(1, heard.stream().mapToLong(StoreCommit::failureReports).sum());
        assertEquals(0, records(heard));
        assertEquals(Set.of("example.com"), domains(heard), "a failure report's reported domain");
        assertEquals(1L, failureReportsWhenHeard.get(failureReportsWhenHeard.size() - 1), "heard after the commit");

        heard.clear();
        try (ImportBatch b = store.beginImport(KitReports.source("tls.json"))) {
            b.tls(KitReports.tlsReport("t1", Instant.ofEpochSecond(BEGIN)));
            b.commit();
        }
        assertEquals(1, heard.stream().mapToLong(StoreCommit::tlsReports).sum());
        assertEquals(0, heard.stream().mapToLong(StoreCommit::failureReports).sum());
        assertEquals(Set.of("example.com"), domains(heard), "a TLS report's policy domains");

        heard.clear();
        try (ImportBatch b = store.beginImport(KitReports.source("tls-again.json"))) {
            b.tls(KitReports.tlsReport("t1", Instant.ofEpochSecond(BEGIN)));
            b.commit();
        }
        assertEquals(0, heard.stream().mapToLong(StoreCommit::tlsReports).sum(), "a duplicate commits no report");
    }

    @Test
    void commitDurablyCommitsGroupedImportsForGood() {
        Store store = open(dir);
        CommitMark mark = store.mark();
        importReport(store, "g1", "example.com", CommitMode.GROUPED);
        importReport(store, "g2", "example.com", CommitMode.GROUPED);
        store.commitDurably(mark);
        long messages = 2 * ImportContract.messages(records("x"));
        assertEquals(messages, store.overview().totals(ReportFilter.all()).messages());
        close(store);
        Store reopened = open(dir);
        assertEquals(messages, reopened.overview().totals(ReportFilter.all()).messages());
        assertEquals(2, reopened.reports().countReports(ReportFilter.all()));
        // Nothing to commit is fine too.
        reopened.commitDurably(reopened.mark());
        assertTrue(reopened.reports().countReports(ReportFilter.all()) == 2);
    }
}
