package io.dmarclens.posture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.index.EmbeddedStore;
import io.dmarclens.parser.ReportSource;
import io.dmarclens.parser.aggregate.AggregateHeader;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.aggregate.Alignment;
import io.dmarclens.parser.aggregate.AuthResult;
import io.dmarclens.parser.aggregate.DateRange;
import io.dmarclens.parser.aggregate.Disposition;
import io.dmarclens.parser.aggregate.DkimAuthResult;
import io.dmarclens.parser.aggregate.DmarcResult;
import io.dmarclens.parser.aggregate.PolicyPublished;
import io.dmarclens.parser.aggregate.ReportMetadata;
import io.dmarclens.parser.aggregate.SpfAuthResult;
import io.dmarclens.store.ImportBatch;
import io.dmarclens.store.SourceFile;
import io.dmarclens.store.Store;
import io.dmarclens.store.enrichment.Classification;
import io.dmarclens.store.enrichment.RecordEnrichment;
import io.dmarclens.store.enrichment.SenderInfo;
import io.dmarclens.testdns.LoopbackDnsServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readiness and selectors read from a real SQLite store, checked against a real DNS server. */
class StorePostureDataTest {
    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

    @TempDir
    Path data;

    @Test
    void readinessAndSelectorsComeFromStoredReports() throws Exception {
        long day = NOW.getEpochSecond() / 86_400 - 3;
        try (Store store = EmbeddedStore.open(data)) {
            store(store, "r1", day, List.of(
                    record(0, "192.0.2.10", 900, true, "s2026", "compliant"),
                    record(1, "198.51.100.7", 80, false, "sendgrid1", "misconfigured"),
                    record(2, "203.0.113.66", 20, false, null, "threat")));
            // An older report (outside the 30 days) whose selector must not count.
            store(store, "r0", day - 60, List.of(record(0, "192.0.2.10", 10, true, "s2024", "compliant")));
            StorePostureData postureData = new StorePostureData(store.sources());
            LocalDate today = LocalDate.ofInstant(NOW, ZoneOffset.UTC);
            assertEquals(java.util.Set.of("s2026", "sendgrid1"), postureData.dkimSelectors("example.com", today.minusDays(30), today));
            List<PostureData.SourceVolume> sources = postureData.sources("example.com", today.minusDays(30), today);
            assertEquals(3, sources.size());
            assertEquals(1000, sources.stream().mapToLong(PostureData.SourceVolume::messages).sum());

            try (LoopbackDnsServer dns = new LoopbackDnsServer()) {
                dns.txt("_dmarc.example.com", "v=DMARC1; p=none; rua=mailto:d@example.com");
                dns.txt("s2026._domainkey.example.com", "v=DKIM1; p=");
                PostureReport report = new PostureChecker(new DnsClient(dns.address(), Duration.ofMillis(700)), postureData,
                        Clock.fixed(NOW, ZoneOffset.UTC)).check("example.com", List.of());
                Readiness r = report.readiness();
                assertEquals(1000, r.messages());
                assertEquals(900, r.compliant());
                assertEquals("Fix SendGrid DKIM (sign with d=example.com) before p=quarantine", r.nextStep());
                assertEquals("198.51.100.7", r.atRisk().get(0).sourceIp());
                assertEquals(2, report.dkim().size());
                assertTrue(report.dkim().stream().allMatch(DkimKey::seenInReports));
            }
        }
    }

    @Test
    void readinessLeavesForgedReportsOutWhenUnverifiedReportsAreExcluded() {
        long day = NOW.getEpochSecond() / 86_400 - 3;
        try (Store store = EmbeddedStore.open(data)) {
            store(store, "genuine", day, List.of(record(0, "192.0.2.10", 900, true, "s2026", "compliant")));
            store(store, "forged", day, List.of(record(0, "203.0.113.66", 100_000, false, null, "threat")),
                    io.dmarclens.store.Authenticity.unverified("no DKIM signature"));
            LocalDate today = LocalDate.ofInstant(NOW, ZoneOffset.UTC);
            assertEquals(100_900, new StorePostureData(store.sources()).sources("example.com", today.minusDays(30), today)
                    .stream().mapToLong(PostureData.SourceVolume::messages).sum());
            List<PostureData.SourceVolume> trusted = new StorePostureData(store.sources(), true)
                    .sources("example.com", today.minusDays(30), today);
            assertEquals(List.of("192.0.2.10"), trusted.stream().map(PostureData.SourceVolume::sourceIp).toList());
            assertEquals(900, trusted.get(0).messages());
        }
    }

    private static void store(Store store, String id, long day, List<AggregateRecord> records) {
        store(store, id, day, records, null);
    }

    private static void store(Store store, String id, long day, List<AggregateRecord> records,
                              io.dmarclens.store.Authenticity authenticity) {
        SourceFile source = SourceFile.of(id + ".xml", "test", ("<feedback>" + id + "</feedback>").getBytes(StandardCharsets.UTF_8));
        ReportMetadata meta = new ReportMetadata("google.com", "noreply@google.com", null, id,
                new DateRange(day * 86_400, day * 86_400 + 86_399), List.of(), null);
        PolicyPublished policy = new PolicyPublished("example.com", Disposition.NONE, Disposition.NONE, Disposition.NONE,
                Alignment.RELAXED, Alignment.RELAXED, 100, "0", "n", null);
        try (ImportBatch batch = store.beginImport(source)) {
            AggregateHeader header = new AggregateHeader(ReportSource.of(id), null, "", meta, policy);
            assertTrue(authenticity == null ? batch.beginAggregate(header) : batch.beginAggregate(header, authenticity));
            for (AggregateRecord r : records) {
                boolean pass = r.dkim() == DmarcResult.PASS;
                String classification = r.dkim() == DmarcResult.PASS ? "compliant" : r.sourceIp().startsWith("198") ? "misconfigured" : "threat";
                SenderInfo sender = r.sourceIp().startsWith("198")
                        ? new SenderInfo(null, null, null, null, null, "SendGrid", "ESP") : SenderInfo.UNKNOWN;
                batch.record(r, new RecordEnrichment(sender, pass, false, pass, false,
                        Classification.valueOf(classification.toUpperCase(java.util.Locale.ROOT)), classification));
            }
            batch.endAggregate(List.of());
            batch.commit();
        }
    }

    private static AggregateRecord record(int index, String ip, long count, boolean dkimPass, String selector, String unused) {
        List<DkimAuthResult> dkim = selector == null ? List.of()
                : List.of(new DkimAuthResult("example.com", selector, dkimPass ? AuthResult.PASS : AuthResult.FAIL,
                dkimPass ? "pass" : "fail", null));
        return new AggregateRecord(index, ip, count, Disposition.NONE, dkimPass ? DmarcResult.PASS : DmarcResult.FAIL,
                DmarcResult.FAIL, List.of(), "example.com", "example.com", null, dkim,
                List.of(new SpfAuthResult("example.com", "mfrom", AuthResult.SOFTFAIL, "softfail", null)));
    }
}
