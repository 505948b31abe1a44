package io.dmarclens.store.query;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The domains a store holds, as it holds them: the policy domains of aggregate reports, the policy domains of
 * TLS report policies and the reported domains of failure reports. A {@link DomainScope} is resolved against
 * them ({@link ResolvedScope#of}), so that a store can query with concrete domain sets.
 */
public final class KnownDomains {
    private final Set<String> aggregate;
    private final Set<String> tls;
    private final Set<String> failure;
    /** The policy domains of aggregate and TLS reports, lower-cased. */
    private final Set<String> policyDomains;

    public KnownDomains(Set<String> aggregate, Set<String> tls, Set<String> failure) {
        this.aggregate = Set.copyOf(aggregate);
        this.tls = Set.copyOf(tls);
        this.failure = Set.copyOf(failure);
        Set<String> policies = new java.util.HashSet<>();
        this.aggregate.forEach(d -> policies.add(strip(d)));
        this.tls.forEach(d -> policies.add(strip(d)));
        policies.remove("");
        this.policyDomains = Set.copyOf(policies);
    }

    /** Policy domains of aggregate reports, as stored. */
    public Set<String> aggregate() {
        return aggregate;
    }

    /** Policy domains of TLS report policies, as stored. */
    public Set<String> tls() {
        return tls;
    }

    /** Reported domains of failure reports, as stored. */
    public Set<String> failure() {
        return failure;
    }

    /**
     * The policy domain a failure report's reported domain counts under: the longest policy domain of a stored
     * aggregate or TLS report that equals it or is a parent of it, else the reported domain itself ("subdomain
     * reports count under the domain that published the policy"). Lower-cased.
     */
    public String policyDomainOf(String reportedDomain) {
        String r = strip(reportedDomain);
        Set<String> policies = policyDomains;
        // the domain itself, then each parent, the longest first: the first one held is the policy domain
        for (String d = r; !d.isEmpty(); d = d.indexOf('.') < 0 ? "" : d.substring(d.indexOf('.') + 1)) {
            if (policies.contains(d)) {
                return d;
            }
        }
        return r;
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
