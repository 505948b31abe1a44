package io.dmarclens.store.query;

import java.util.List;

/** Policy domains: the published policy over time and what a stricter policy would do. Every store implements it with the same answers (the contract kit checks). */
public interface DomainQueries {
    /**
     * The published policy of a domain over time, oldest first: a new period starts when the policy most
     * reports of a day saw changes.
     */
    default List<PolicyPeriod> policyHistory(String domain) {
        return policyHistory(domain, false);
    }

    /**
     * As {@link #policyHistory(String)}, leaving out reports whose origin is unverified when asked: a forged
     * report must not be able to show a policy the domain never published.
     */
    default List<PolicyPeriod> policyHistory(String domain, boolean excludeUnverified) {
        return policyHistory(domain, excludeUnverified, DomainScope.all());
    }

    /** As {@link #policyHistory(String, boolean)}; empty when {@code domain} is outside {@code scope}. */
    List<PolicyPeriod> policyHistory(String domain, boolean excludeUnverified, DomainScope scope);
    /** Per policy domain: what p=quarantine or p=reject would do to the mail of the filter's range. */
    List<PolicyImpact> policyImpact(ReportFilter filter);
}
