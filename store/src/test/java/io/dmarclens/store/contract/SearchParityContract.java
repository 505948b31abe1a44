package io.dmarclens.store.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.parser.failure.FailureReport;
import io.dmarclens.parser.tlsrpt.TlsFailureDetail;
import io.dmarclens.parser.tlsrpt.TlsPolicyResult;
import io.dmarclens.parser.tlsrpt.TlsReport;
import io.dmarclens.store.Authenticity;
import io.dmarclens.store.ImportBatch;
import io.dmarclens.store.Store;
import io.dmarclens.store.enrichment.Classification;
import io.dmarclens.store.enrichment.RecordEnrichment;
import io.dmarclens.store.enrichment.SenderInfo;
import io.dmarclens.store.search.SearchHit;
import io.dmarclens.store.search.SearchResults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Search on a store against a reference store (the embedded one) with the same imports: every report of
 * {@code sample-reports/} in both, then the same queries (generic ones and ones built from the failure and
 * TLS reports stored) must find as many hits of each kind, with the same dates, newest first. Hits are
 * compared by kind and date rather than by id, since each store numbers its rows its own way.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SearchParityContract {
    private Store store;
    private Store reference;
    private SampleData data;

    /** Opens the store under test in an empty {@code dir}. */
    protected abstract Store openStore(Path dir, Clock clock);

    /** Opens the store whose answers are right by definition (the embedded store) in an empty {@code dir}. */
    protected abstract Store openReference(Path dir, Clock clock);

    @BeforeAll
    void fill(@TempDir Path dir) throws Exception {
        // One fixed clock: a failure report without an Arrival-Date is dated when it was imported.
        Clock clock = Clock.fixed(java.time.Instant.parse("2024-06-01T12:00:00Z"), java.time.ZoneOffset.UTC);
        store = openStore(Files.createDirectories(dir.resolve("store")), clock);
        reference = openReference(Files.createDirectories(dir.resolve("reference")), clock);
        data = SampleData.importInto(store);
        SampleData.importInto(reference);
        store.awaitIndexed();
        reference.awaitIndexed();
    }

    @AfterAll
    void close() {
        if (store != null) {
            store.close();
        }
        if (reference != null) {
            reference.close();
        }
    }

    @Test
    void failureAndTlsHitsAreTheReferenceStoresHits() throws Exception {
        assertTrue(!data.failures.isEmpty() && !data.tls.isEmpty(), "sample-reports has failure and TLS reports");
        Set<String> queries = new LinkedHashSet<>(List.of("kind:failure", "kind:tls", "kind:record", "date:[* TO *]",
                "ip:0.0.0.0/0", "ip:\"::/0\"", "ip:[* TO *]", "from:*", "to:*", "msgid:*", "subject:*", "authfailure:*",
                "envfrom:*", "envto:*", "dkimdomain:*", "selector:*", "result:*", "mx:*", "policytype:*", "reporter:*",
                "detail:*", "reason:*", "domain:*", "class:threat", "dkim:fail", "-kind:record", "kind:failure -ip:0.0.0.0/0",
                "(kind:failure OR kind:tls) AND NOT domain:example.com", "*.com", "mail", "google", "failure",
                "starttls", "sts", "\"dmarc failure\""));
        for (FailureReport f : data.failures) {
            if (f.sourceIp() != null) {
                queries.add("ip:\"" + f.sourceIp().strip() + "\"");
            }
            f.reportedDomain().forEach(d -> queries.add("domain:\"" + d + "\""));
            f.authFailure().forEach(a -> queries.add("authfailure:\"" + a + "\""));
            if (f.original() != null && f.original().subject() != null) {
                queries.add("subject:\"" + f.original().subject().replace("\"", "").replace("\\", "") + "\"");
            }
        }
        for (TlsReport t : data.tls) {
            queries.add("reporter:\"" + t.organizationName().replace("\"", "") + "\"");
            for (TlsPolicyResult p : t.policies()) {
                queries.add("policytype:\"" + p.policyType() + "\"");
                for (TlsFailureDetail d : p.failureDetails()) {
                    queries.add("result:\"" + d.resultType() + "\"");
                    if (d.sendingMtaIp() != null) {
                        queries.add("ip:\"" + d.sendingMtaIp().strip() + "\"");
                        queries.add("\"" + d.sendingMtaIp().strip() + "\"");
                    }
                }
            }
        }
        int withFailureOrTls = 0;
        for (String q : queries) {
            SearchResults expected = reference.search(q, 10_000);
            SearchResults actual = store.search(q, 10_000);
            assertEquals(expected.totalHits(), actual.totalHits(), "hits of " + q);
            assertEquals(kindsAndDates(expected), kindsAndDates(actual), "hits of " + q);
            assertEquals(dates(expected), dates(actual), "newest first: " + q);
            withFailureOrTls += expected.hits().stream().anyMatch(h -> h.kind() != SearchHit.Kind.RECORD) ? 1 : 0;
        }
        assertTrue(withFailureOrTls >= 20, "queries finding failure or TLS reports: " + withFailureOrTls);
    }

    /** What becomes known about a source later, and classifying its records again, reach search alike. */
    @Test
    void senderUpdatesAndReclassificationReachSearchAlike() throws Exception {
        String recordIp = data.aggregates.get(0).report().records().get(0).sourceIp();
        String failureIp = data.failures.stream().map(FailureReport::sourceIp).filter(ip -> ip != null && !ip.isBlank())
                .findFirst().orElseThrow();
        SenderInfo parity = new SenderInfo("mail.parity.example", "parity.example", "ZZ", 64500L, "Parity Networks",
                "Parity Mail", "ESP");
        for (Store s : List.of(store, reference)) {
            s.updateSender(recordIp, parity);
            s.updateSender(failureIp, parity);
            s.updateSender(failureIp, new SenderInfo(null, null, "YY", null, null, null, null));
            s.reclassify(recordIp, facts -> new RecordEnrichment(facts.sender(), facts.current().dkimAligned(),
                    facts.current().spfAligned(), facts.current().dmarcPass(), false, Classification.MISCONFIGURED,
                    "parity check of " + facts.sender().reverseDns()));
            s.awaitIndexed();
        }
        for (String q : List.of("ptr:mail.parity.example", "base:parity.example", "country:zz", "country:yy",
                "asn:AS64500", "asname:\"parity networks\"", "sender:parity", "type:esp", "kind:failure ptr:*",
                "class:misconfigured", "reason:\"parity check\"", "parity")) {
            SearchResults expected = reference.search(q, 10_000);
            SearchResults actual = store.search(q, 10_000);
            assertEquals(expected.totalHits(), actual.totalHits(), "hits of " + q);
            assertEquals(kindsAndDates(expected), kindsAndDates(actual), "hits of " + q);
        }
        assertTrue(reference.search("kind:failure country:yy", 10).totalHits() > 0, "the failure report's source was updated");
        assertTrue(reference.search("class:misconfigured reason:parity", 10).totalHits() > 0, "records re-classified");
    }

    /** Reports of each origin: {@code origin:} and leaving unverified reports out find the same in both stores. */
    @Test
    void unverifiedReportsAreLeftOutAlike() throws Exception {
        long d = KitReports.epoch(java.time.LocalDate.of(2024, 5, 1));
        for (Store s : List.of(store, reference)) {
            try (ImportBatch batch = s.beginImport(KitReports.source("origins.eml"))) {
                batch.beginAggregate(KitReports.header("google.com", "genuine", "parity.example", d, d + 86_399),
                        Authenticity.verified("DKIM signature of google.com"));
                batch.record(KitReports.passing(0, "192.0.2.90", 3, "parity.example"),
                        KitReports.enrichment(KitReports.passing(0, "192.0.2.90", 3, "parity.example"), null));
                batch.endAggregate(List.of());
                batch.beginAggregate(KitReports.header("google.com", "forged", "parity.example", d, d + 86_399),
                        Authenticity.unverified("no DKIM signature"));
                batch.record(KitReports.passing(0, "192.0.2.91", 9, "parity.example"),
                        KitReports.enrichment(KitReports.passing(0, "192.0.2.91", 9, "parity.example"), null));
                batch.endAggregate(List.of());
                batch.failure(KitReports.failureReport("192.0.2.92", "forged", "b@parity.example", "<2@parity.example>",
                        java.time.Instant.ofEpochSecond(d + 3_600)), Authenticity.unverified("no DKIM signature"));
                batch.tls(KitReports.tlsReport("tls-forged", java.time.Instant.ofEpochSecond(d)),
                        Authenticity.unverified("no DKIM signature"));
                batch.commit();
            }
            s.awaitIndexed();
        }
        for (String q : List.of("ip:192.0.2.90 OR ip:192.0.2.91", "ip:192.0.2.92", "result:certificate-expired",
                "origin:unverified", "origin:verified", "verdict:imported", "authenticity:*", "domain:parity.example")) {
            for (boolean exclude : new boolean[] {false, true}) {
                SearchResults expected = reference.search(q, 10_000, exclude);
                SearchResults actual = store.search(q, 10_000, exclude);
                assertEquals(expected.totalHits(), actual.totalHits(), "hits of " + q + ", unverified left out: " + exclude);
                assertEquals(kindsAndDates(expected), kindsAndDates(actual), "hits of " + q);
            }
        }
        assertEquals(1, reference.search("ip:192.0.2.90 OR ip:192.0.2.91", 10, true).totalHits());
        assertEquals(0, reference.search("ip:192.0.2.92", 10, true).totalHits());
    }

    private static List<String> kindsAndDates(SearchResults r) {
        List<String> out = new ArrayList<>();
        for (SearchHit h : r.hits()) {
            out.add(h.kind() + "@" + h.date());
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    private static List<java.time.Instant> dates(SearchResults r) {
        return r.hits().stream().map(SearchHit::date).toList();
    }
}
