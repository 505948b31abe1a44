package io.dmarclens.ingest.dkim;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.apache.james.jdkim.api.PublicKeyRecordRetriever;
import org.apache.james.jdkim.exceptions.PermFailException;
import org.apache.james.jdkim.exceptions.TempFailException;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * DKIM public keys ({@code selector._domainkey.domain} TXT records) from the resolver the rest of DMARC Lens
 * uses, cached per selector and domain for the record's TTL (at least {@link #MIN_TTL}, at most
 * {@link #MAX_TTL}), so a reporter that signs every mail with the same key costs one lookup per TTL, not
 * one per mail. Missing keys are cached too ({@link #NEGATIVE_TTL}), and so are temporary failures for
 * {@link #FAILURE_TTL}: a stranger whose name server never answers is asked once a minute, not at every
 * mail that names it.
 *
 * <p>Thread-safe.
 */
public final class DkimKeys implements PublicKeyRecordRetriever {
    static final Duration MIN_TTL = Duration.ofMinutes(1);
    static final Duration MAX_TTL = Duration.ofHours(6);
    static final Duration NEGATIVE_TTL = Duration.ofMinutes(5);
    static final Duration FAILURE_TTL = Duration.ofMinutes(1);

    /** Records found, or why there are none (temporarily or for good), until {@code expires}. */
    private record Entry(List<String> records, String missing, boolean temporary, Instant expires) {
    }

    private final Resolver resolver;
    private final Clock clock;
    private final Cache<String, Entry> cache = CacheBuilder.newBuilder().maximumSize(10_000).build();

    /**
     * @param resolver the DNS resolver ({@code enrichment.dns_server} or the system's)
     * @param clock    for the cache's expiry
     */
    public DkimKeys(Resolver resolver, Clock clock) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public List<String> getRecords(CharSequence methodAndOptions, CharSequence selector, CharSequence token)
            throws TempFailException, PermFailException {
        if (!"dns/txt".equalsIgnoreCase(methodAndOptions.toString())) {
            throw new PermFailException("unsupported key query method " + methodAndOptions);
        }
        String fqdn = (selector + "._domainkey." + token).toLowerCase(Locale.ROOT);
        Instant now = clock.instant();
        Entry cached = cache.getIfPresent(fqdn);
        if (cached == null || !now.isBefore(cached.expires())) {
            cached = lookUp(fqdn, now);
            cache.put(fqdn, cached);
        }
        if (cached.records() == null) {
            if (cached.temporary()) {
                throw new TempFailException(cached.missing());
            }
            throw new PermFailException(cached.missing());
        }
        return cached.records();
    }

    private Entry lookUp(String fqdn, Instant now) {
        Name name;
        try {
            name = Name.fromString(fqdn.endsWith(".") ? fqdn : fqdn + ".");
        } catch (TextParseException e) {
            return new Entry(null, "not a DNS name: " + fqdn, false, now.plus(NEGATIVE_TTL));
        }
        Lookup lookup = new Lookup(name, Type.TXT);
        lookup.setResolver(resolver);
        lookup.setCache(null);
        Record[] answers = lookup.run();
        switch (lookup.getResult()) {
            case Lookup.SUCCESSFUL -> {
                List<String> records = new ArrayList<>();
                long ttl = MAX_TTL.toSeconds();
                for (Record r : answers) {
                    if (r instanceof TXTRecord txt) {
                        records.add(String.join("", txt.getStrings()));
                        ttl = Math.min(ttl, r.getTTL());
                    }
                }
                ttl = Math.max(ttl, MIN_TTL.toSeconds());
                return new Entry(List.copyOf(records), null, false, now.plusSeconds(ttl));
            }
            case Lookup.HOST_NOT_FOUND, Lookup.TYPE_NOT_FOUND -> {
                return new Entry(null, "no DKIM key at " + fqdn, false, now.plus(NEGATIVE_TTL));
            }
            default -> {
                return new Entry(null, "DNS lookup of " + fqdn + " failed: " + lookup.getErrorString(), true,
                        now.plus(FAILURE_TTL));
            }
        }
    }
}
