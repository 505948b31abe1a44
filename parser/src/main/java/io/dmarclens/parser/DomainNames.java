package io.dmarclens.parser;

import com.google.common.cache.CacheBuilder;
import com.google.common.cache.CacheLoader;
import com.google.common.cache.LoadingCache;
import com.google.common.net.InternetDomainName;
import java.util.Locale;

/**
 * Organisational domains by the public suffix list (Guava's copy), as DMARC relaxed alignment uses
 * them. Lookups are memoised because the same few domains recur in millions of records.
 */
public final class DomainNames {
    private final LoadingCache<String, String> organisational = CacheBuilder.newBuilder()
            .maximumSize(50_000)
            .build(CacheLoader.from(DomainNames::computeOrganisational));

    /** Lower case, trimmed, without a trailing dot; null for null or blank. */
    public static String normalise(String domain) {
        if (domain == null) {
            return null;
        }
        String d = domain.trim().toLowerCase(Locale.ROOT);
        while (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        return d.isEmpty() ? null : d;
    }

    /**
     * The organisational domain (registrable domain) of a name, e.g. {@code mail.example.co.uk ->
     * example.co.uk}; a name that is itself a public suffix is returned as is; a name under no known
     * suffix falls back to its last two labels (the PSL's implicit "*" rule). Null for null or blank.
     */
    public String organisational(String domain) {
        String d = normalise(domain);
        return d == null ? null : organisational.getUnchecked(d);
    }

    private static String computeOrganisational(String d) {
        try {
            InternetDomainName name = InternetDomainName.from(d);
            if (name.isUnderPublicSuffix()) {
                return name.topPrivateDomain().toString();
            }
            if (name.isPublicSuffix()) {
                return d;
            }
        } catch (IllegalArgumentException | IllegalStateException notADomainName) {
            return d;
        }
        int last = d.lastIndexOf('.');
        int previous = last <= 0 ? -1 : d.lastIndexOf('.', last - 1);
        return previous < 0 ? d : d.substring(previous + 1);
    }

    /**
     * Whether two domains are aligned in the given mode: strict means equal, relaxed means the same
     * organisational domain. Case and a trailing dot are ignored; a missing domain never aligns.
     */
    public boolean aligned(String a, String b, boolean strict) {
        String x = normalise(a);
        String y = normalise(b);
        if (x == null || y == null) {
            return false;
        }
        if (x.equals(y)) {
            return true;
        }
        return !strict && organisational(x).equals(organisational(y));
    }
}
