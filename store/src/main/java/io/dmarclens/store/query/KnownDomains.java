package io.dmarclens.store.query;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The domains a store holds, as it holds them: the policy domains of aggregate reports, the policy domains of
 * TLS report policies and the reported domains of failure reports. A {@link DomainScope} is resolved against
 * them ({@link ResolvedScope#of}), so that a store can query with concrete domain sets.
 *
 * @param aggregate policy domains of aggregate reports
 * @param tls       policy domains of TLS report policies
 * @param failure   reported domains of failure reports
 */
public record KnownDomains(Set<String> aggregate, Set<String> tls, Set<String> failure) {
    public KnownDomains {
        aggregate = Set.copyOf(aggregate);
        tls = Set.copyOf(tls);
        failure = Set.copyOf(failure);
    }

    /**
     * The policy domain a failure report's reported domain counts under: the longest policy domain of a stored
     * aggregate or TLS report that equals it or is a parent of it, else the reported domain itself ("subdomain
     * reports count under the domain that published the policy"). Lower-cased.
     */
    public String policyDomainOf(String reportedDomain) {
        String r = strip(reportedDomain);
        String best = null;
        for (Set<String> set : java.util.List.of(aggregate, tls)) {
            for (String known : set) {
                String k = strip(known);
                if (!k.isEmpty() && (r.equals(k) || r.endsWith("." + k)) && (best == null || k.length() > best.length())) {
                    best = k;
                }
            }
        }
        return best == null ? r : best;
    }

    /** Every domain name held, lower-cased and sorted. */
    public Set<String> names() {
        Set<String> all = new TreeSet<>();
        for (Set<String> set : java.util.List.of(aggregate, tls, failure)) {
            set.forEach(d -> all.add(strip(d)));
        }
        return all;
    }

    static String strip(String d) {
        if (d == null) {
            return "";
        }
        String s = d.strip().toLowerCase(Locale.ROOT);
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
