package io.dmarclens.ingest.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.index.EmbeddedStore;
import io.dmarclens.ingest.enrich.EnrichmentSettings;
import io.dmarclens.parser.ReportParser;
import io.dmarclens.store.Store;
import io.dmarclens.testdns.LoopbackDnsServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import io.dmarclens.store.PtrCacheEntry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.ReverseMap;
import io.dmarclens.store.Clocks;
import io.dmarclens.store.CommitMode;

/** A report is stored at once; the source's reverse DNS name fills in afterwards and re-classifies it. */
class ReverseDnsFillInTest {
    private static final String REPORT = """
            <?xml version="1.0"?>
            <feedback>
              <report_metadata><org_name>google.com</org_name><email>noreply-dmarc-support@google.com</email>
                <report_id>fill-in-1</report_id><date_range><begin>1767225600</begin><end>1767311999</end></date_range>
              </report_metadata>
              <policy_published><domain>example.com</domain><adkim>r</adkim><aspf>r</aspf><p>reject</p></policy_published>
              <record>
                <row><source_ip>192.0.2.10</source_ip><count>4</count>
                  <policy_evaluated><disposition>none</disposition><dkim>pass</dkim><spf>fail</spf></policy_evaluated></row>
                <identifiers><header_from>example.com</header_from></identifiers>
                <auth_results><dkim><domain>example.com</domain><selector>s1</selector><result>pass</result></dkim>
                  <spf><domain>example.com</domain><result>fail</result></spf></auth_results>
              </record>
            </feedback>
            """;

    @Test
    void theNameArrivesAfterTheImportAndTheRecordIsClassifiedAgain(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        try (LoopbackDnsServer dns = new LoopbackDnsServer()) {
            dns.add(new PTRRecord(ReverseMap.fromAddress("192.0.2.10"), DClass.IN, 300, Name.fromString("mx1.example.com.")));
            EnrichmentSettings settings = new EnrichmentSettings(false, dns.hostPort(), List.of(), null, List.of());
            try (Store store = EmbeddedStore.open(data); PipelineSetup setup = PipelineSetup.open(store, new ReportParser()::parse, settings,
                    CommitMode.EACH_REPORT, Clocks.system())) {
                ImportOutcome outcome = setup.pipeline().importBytes("smtp:<r1@example>", "report.xml",
                        REPORT.getBytes(StandardCharsets.UTF_8));
                assertEquals(1, outcome.records());

                setup.awaitLookups(Duration.ofSeconds(10));

                assertEquals("mx1.example.com", store.sources().sender("192.0.2.10").reverseDns());
                assertEquals("example.com", store.sources().sender("192.0.2.10").baseDomain());
            }
        }
        assertEquals(1, Database.count(data,
                "SELECT COUNT(*) FROM aggregate_record WHERE source_ip = '192.0.2.10' AND classification = 'compliant'"),
                "the domain's own host with an aligned DKIM pass is compliant, no longer forwarded");
        assertEquals(1, Database.count(data, "SELECT COUNT(*) FROM ptr_cache WHERE ip = '192.0.2.10'"),
                "the answer is cached in the database");
    }

    @Test
    void theCachedNameExpiresOnTheStoresClock(@TempDir Path tmp) throws Exception {
        // A clock far from the real one: an expiry computed on another clock would read as long past (or far off).
        Clock clock = Clock.fixed(Instant.parse("2200-01-01T00:00:00Z"), ZoneOffset.UTC);
        try (LoopbackDnsServer dns = new LoopbackDnsServer()) {
            dns.add(new PTRRecord(ReverseMap.fromAddress("192.0.2.10"), DClass.IN, 300, Name.fromString("mx1.example.com.")));
            EnrichmentSettings settings = new EnrichmentSettings(false, dns.hostPort(), List.of(), null, List.of());
            try (Store store = EmbeddedStore.open(tmp.resolve("data"), clock);
                 PipelineSetup setup = PipelineSetup.open(store, new ReportParser()::parse, settings,
                         CommitMode.EACH_REPORT, clock)) {
                setup.pipeline().importBytes("smtp:<r1@example>", "report.xml", REPORT.getBytes(StandardCharsets.UTF_8));
                setup.awaitLookups(Duration.ofSeconds(10));

                PtrCacheEntry cached = store.cachedPtr("192.0.2.10").orElseThrow(
                        () -> new AssertionError("the answer just cached reads as expired on the store's clock"));
                assertEquals("mx1.example.com", cached.name());
                assertTrue(cached.expiresAt().isAfter(clock.instant()), "expires after the store's now");
                assertTrue(cached.expiresAt().isBefore(clock.instant().plus(Duration.ofDays(8))),
                        "expires a TTL after the store's now, not after some other clock's");
            }
        }
    }
}
