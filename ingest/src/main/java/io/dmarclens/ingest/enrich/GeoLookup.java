package io.dmarclens.ingest.enrich;

import com.maxmind.db.CHMCache;
import com.maxmind.db.Reader;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Country and autonomous system of an address, from MMDB files: MaxMind GeoLite2-Country/City and
 * GeoLite2-ASN, DB-IP lite, and ip-location-db (sapics) files are all read; each configured file
 * answers what it holds. A missing or unreadable file means no such data and a note in the log.
 */
public final class GeoLookup implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(GeoLookup.class);
    public static final GeoLookup NONE = new GeoLookup(List.of());

    /** What the files say about one address; every field may be null. */
    public record Geo(String country, Long asn, String asName) {
        public static final Geo UNKNOWN = new Geo(null, null, null);
    }

    private final List<Reader> readers;

    private GeoLookup(List<Reader> readers) {
        this.readers = readers;
    }

    /** Opens those of the files that exist and are MMDB databases; logs the others. */
    public static GeoLookup open(List<Path> files) {
        List<Reader> readers = new ArrayList<>();
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                LOG.info("GeoIP database {} not found: no country/ASN data from it", file);
                continue;
            }
            try {
                readers.add(new Reader(file.toFile(), new CHMCache()));
            } catch (IOException | RuntimeException e) {
                LOG.warn("GeoIP database {} is not a readable MMDB file ({}): no country/ASN data from it",
                        file, e.getMessage());
            }
        }
        return new GeoLookup(List.copyOf(readers));
    }

    /** Number of databases in use. */
    public int databases() {
        return readers.size();
    }

    public Geo lookup(String ip) {
        if (readers.isEmpty() || !OwnSenders.isAddress(ip)) {
            return Geo.UNKNOWN;
        }
        String country = null;
        Long asn = null;
        String asName = null;
        for (Reader reader : readers) {
            Map<?, ?> data;
            try {
                data = reader.get(OwnSenders.address(ip), Map.class);
            } catch (IOException | RuntimeException e) {
                LOG.debug("GeoIP lookup of {} failed: {}", ip, e.getMessage());
                continue;
            }
            if (data == null) {
                continue;
            }
            Geo geo = fromRecord(data);
            country = country != null ? country : geo.country();
            asn = asn != null ? asn : geo.asn();
            asName = asName != null ? asName : geo.asName();
        }
        return new Geo(country, asn, asName);
    }

    /**
     * Reads one MMDB record in any of the supported layouts: MaxMind and DB-IP
     * ({@code country.iso_code}, falling back to {@code registered_country.iso_code};
     * {@code autonomous_system_number}, {@code autonomous_system_organization}) and ip-location-db
     * ({@code country_code}).
     */
    static Geo fromRecord(Map<?, ?> data) {
        String country = isoCode(data.get("country"));
        if (country == null) {
            country = isoCode(data.get("registered_country"));
        }
        if (country == null && data.get("country_code") instanceof String code && !code.isBlank()) {
            country = code.strip();
        }
        Long asn = data.get("autonomous_system_number") instanceof Number n ? n.longValue() : null;
        String asName = data.get("autonomous_system_organization") instanceof String s && !s.isBlank() ? s : null;
        return new Geo(country == null ? null : country.toUpperCase(java.util.Locale.ROOT), asn, asName);
    }

    private static String isoCode(Object country) {
        if (country instanceof Map<?, ?> map && map.get("iso_code") instanceof String code && !code.isBlank()) {
            return code.strip();
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        for (Reader reader : readers) {
            reader.close();
        }
    }
}
