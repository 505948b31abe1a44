package io.dmarclens.ingest.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.dmarclens.store.enrichment.SenderInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Country and ASN from MMDB files written by the test in the MaxMind, DB-IP and ip-location-db layouts. */
class GeoLookupTest {
    @TempDir
    Path dir;

    private Path maxmindCountry() throws Exception {
        Path file = dir.resolve("GeoLite2-Country.mmdb");
        new MmdbWriter("GeoLite2-Country")
                .insert("192.0.2.0/24", Map.of("country", Map.of("iso_code", "DE", "names", Map.of("en", "Germany")),
                        "continent", Map.of("code", "EU")))
                .insert("203.0.113.0/25", Map.of("registered_country", Map.of("iso_code", "nl")))
                .write(file);
        return file;
    }

    private Path maxmindAsn() throws Exception {
        Path file = dir.resolve("GeoLite2-ASN.mmdb");
        new MmdbWriter("GeoLite2-ASN")
                .insert("192.0.2.0/24", Map.of("autonomous_system_number", 64500L,
                        "autonomous_system_organization", "Example Networks"))
                .insert("209.85.128.0/17", Map.of("autonomous_system_number", 15169L,
                        "autonomous_system_organization", "GOOGLE"))
                .write(file);
        return file;
    }

    private Path ipLocationDbCountry() throws Exception {
        Path file = dir.resolve("geolite2-country-ipv4.mmdb");
        new MmdbWriter("ip-location-db country").insert("198.51.100.0/24", Map.of("country_code", "FR")).write(file);
        return file;
    }

    @Test
    void readsCountryAndAsnFromEachLayout() throws Exception {
        try (GeoLookup geo = GeoLookup.open(List.of(maxmindCountry(), maxmindAsn(), ipLocationDbCountry()))) {
            assertEquals(3, geo.databases());
            assertEquals(new GeoLookup.Geo("DE", 64500L, "Example Networks"), geo.lookup("192.0.2.77"));
            assertEquals(new GeoLookup.Geo("NL", null, null), geo.lookup("203.0.113.5"));
            assertEquals(new GeoLookup.Geo("FR", null, null), geo.lookup("198.51.100.200"));
            assertEquals(GeoLookup.Geo.UNKNOWN, geo.lookup("203.0.113.200"), "outside the /25");
            assertEquals(GeoLookup.Geo.UNKNOWN, geo.lookup("not an address"));
        }
    }

    @Test
    void anAsnNamesAKnownSenderWhenThePtrNameIsUnknown() throws Exception {
        try (GeoLookup geo = GeoLookup.open(List.of(maxmindAsn()))) {
            Enricher enricher = new Enricher(SenderDirectory.builtIn(), geo, OwnSenders.NONE);
            SenderInfo sender = enricher.sender("209.85.220.41", null);
            assertEquals(15169L, sender.asn());
            assertEquals("GOOGLE", sender.asName());
            assertEquals("Google", sender.senderName());
            assertNull(sender.reverseDns());
        }
    }

    @Test
    void missingOrInvalidFilesMeanNoGeoDataNotAnError() throws Exception {
        Path garbage = dir.resolve("broken.mmdb");
        Files.writeString(garbage, "this is not a MaxMind database");
        try (GeoLookup geo = GeoLookup.open(List.of(dir.resolve("absent.mmdb"), garbage))) {
            assertEquals(0, geo.databases());
            assertEquals(GeoLookup.Geo.UNKNOWN, geo.lookup("192.0.2.1"));
        }
    }
}
