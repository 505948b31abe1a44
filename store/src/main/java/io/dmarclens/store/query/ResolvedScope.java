package io.dmarclens.store.query;

import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A {@link DomainScope} resolved against the domains a store holds ({@link KnownDomains}): the concrete,
 * lower-cased domain sets each kind of report may show, for queries with bound parameters or terms filters.
 * What counts as a report's policy domain (docs/security.md "Scope"):
 * <ul>
 *   <li>aggregate report: its {@code policy_published} domain;</li>
 *   <li>failure report: each of its reported domains counts under {@link KnownDomains#policyDomainOf}; the
 *       report is in scope when every one of them is (and it names at least one);</li>
 *   <li>TLS report: the policy domain of each of its policies; the report is in scope when every one is; a TLS
 *       failure detail is in scope when its own policy's domain is.</li>
 * </ul>
 * An empty set means nothing, never everything: {@link #aggregateFilter} turns it into a domain that no report
 * has ({@link #NOTHING}), so that a query that forgets to check still finds nothing.
 */
public final class ResolvedScope {
    /** A domain no report can have (reports cannot carry NUL): what an empty scope filters by. */
    public static final String NOTHING = "\u0000nothing-in-scope";
    private static final ResolvedScope ALL = new ResolvedScope(true, Set.of(), Set.of(), Set.of(), Set.of(), Set.of());

    private final boolean all;
    private final SortedSet<String> aggregate;
    private final SortedSet<String> tlsIn;
    private final SortedSet<String> tlsOut;
    private final SortedSet<String> failureIn;
    private final SortedSet<String> failureOut;

    private ResolvedScope(boolean all, Set<String> aggregate, Set<String> tlsIn, Set<String> tlsOut,
                          Set<String> failureIn, Set<String> failureOut) {
        this.all = all;
        this.aggregate = Collections.unmodifiableSortedSet(new TreeSet<>(aggregate));
        this.tlsIn = Collections.unmodifiableSortedSet(new TreeSet<>(tlsIn));
        this.tlsOut = Collections.unmodifiableSortedSet(new TreeSet<>(tlsOut));
        this.failureIn = Collections.unmodifiableSortedSet(new TreeSet<>(failureIn));
        this.failureOut = Collections.unmodifiableSortedSet(new TreeSet<>(failureOut));
    }

    /** Every domain: no condition at all. */
    public static ResolvedScope all() {
        return ALL;
    }

    /** Resolves {@code scope} against what a store holds. */
    public static ResolvedScope of(DomainScope scope, KnownDomains known) {
        if (scope.isAll()) {
            return ALL;
        }
        Set<String> aggregate = new TreeSet<>();
        known.aggregate().forEach(d -> add(scope, KnownDomains.strip(d), aggregate, null));
        Set<String> tlsIn = new TreeSet<>();
        Set<String> tlsOut = new TreeSet<>();
        known.tls().forEach(d -> add(scope, KnownDomains.strip(d), tlsIn, tlsOut));
        Set<String> failureIn = new TreeSet<>();
        Set<String> failureOut = new TreeSet<>();
        for (String d : known.failure()) {
            String r = KnownDomains.strip(d);
            if (!r.isEmpty() && scope.permits(known.policyDomainOf(r))) {
                failureIn.add(r);
            } else {
                failureOut.add(r);
            }
        }
        return new ResolvedScope(false, aggregate, tlsIn, tlsOut, failureIn, failureOut);
    }

    private static void add(DomainScope scope, String d, Set<String> in, Set<String> out) {
        if (!d.isEmpty() && scope.permits(d)) {
            in.add(d);
        } else if (out != null) {
            out.add(d);
        }
    }

    /** Whether this is every domain (no condition to add). */
    public boolean isAll() {
        return all;
    }

    /**
     * The filter for reads of aggregate data (rollups, reports, records, sources): its domains narrowed to the
     * policy domains in scope ({@link #NOTHING} when none are), its scope dropped since the domains now carry it.
     */
    public ReportFilter aggregateFilter(ReportFilter f) {
        if (all) {
            return f.withScope(DomainScope.all());
        }
        Set<String> domains = new TreeSet<>();
        if (f.domains().isEmpty()) {
            domains.addAll(aggregate);
        } else {
            for (String d : f.domains()) {
                if (aggregate.contains(KnownDomains.strip(d))) {
                    domains.add(d);
                }
            }
        }
        if (domains.isEmpty()) {
            domains.add(NOTHING);
        }
        return f.withDomains(domains).withScope(DomainScope.all());
    }

    /** Policy domains of aggregate reports in scope (empty: none, unless {@link #isAll()}). */
    public SortedSet<String> aggregateDomains() {
        return aggregate;
    }

    /** Reported domains of failure reports that count under a domain in scope. */
    public SortedSet<String> failureDomainsIn() {
        return failureIn;
    }

    /** Reported domains held that count under a domain outside scope. */
    public SortedSet<String> failureDomainsOut() {
        return failureOut;
    }

    /** Policy domains of TLS policies in scope. */
    public SortedSet<String> tlsDomainsIn() {
        return tlsIn;
    }

    /** Policy domains of TLS policies held outside scope. */
    public SortedSet<String> tlsDomainsOut() {
        return tlsOut;
    }

    /** Whether an aggregate report of this policy domain is in scope. */
    public boolean permitsAggregate(String policyDomain) {
        return all || aggregate.contains(KnownDomains.strip(policyDomain));
    }

    /** Whether a failure report with these reported domains is in scope: every one counts under the scope. */
    public boolean permitsFailure(Collection<String> reportedDomains) {
        return all || allIn(reportedDomains, failureIn);
    }

    /** Whether a TLS report with policies of these domains is in scope: every one is. */
    public boolean permitsTlsReport(Collection<String> policyDomains) {
        return all || allIn(policyDomains, tlsIn);
    }

    /** Whether a TLS failure detail of a policy of this domain is in scope. */
    public boolean permitsTlsPolicy(String policyDomain) {
        return all || tlsIn.contains(KnownDomains.strip(policyDomain));
    }

    private static boolean allIn(Collection<String> values, Set<String> in) {
        if (values == null || values.isEmpty()) {
            return false;
        }
        for (String v : values) {
            if (!in.contains(KnownDomains.strip(v))) {
                return false;
            }
        }
        return true;
    }
}
