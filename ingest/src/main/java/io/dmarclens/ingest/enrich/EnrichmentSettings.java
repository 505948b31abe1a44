package io.dmarclens.ingest.enrich;

import java.nio.file.Path;
import java.util.List;

/**
 * How enrichment is set up.
 *
 * @param offline     no DNS at all (reverse DNS names only from the cache)
 * @param dnsServer   the resolver for reverse DNS as {@code host:port}, or null for the system's
 * @param geoipFiles  MMDB files (country and/or ASN); missing files are noted in the log and skipped
 * @param sendersFile the user's sender list merged over ours, or null
 * @param ownSenders  the domain owner's own hosts (domains) and address ranges
 */
public record EnrichmentSettings(boolean offline, String dnsServer, List<Path> geoipFiles, Path sendersFile,
                                 List<String> ownSenders) {
    public static final EnrichmentSettings DEFAULT = new EnrichmentSettings(false, null, List.of(), null, List.of());

    public EnrichmentSettings {
        geoipFiles = geoipFiles == null ? List.of() : List.copyOf(geoipFiles);
        ownSenders = ownSenders == null ? List.of() : List.copyOf(ownSenders);
    }
}
