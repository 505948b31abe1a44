package io.dmarclens.store;

import java.util.Set;

/**
 * What one commit stored, as far as listeners need to know.
 *
 * @param records       aggregate records committed
 * @param policyDomains the policy domains of those records (empty for commits of failure and TLS reports only)
 */
public record StoreCommit(long records, Set<String> policyDomains) {
    public StoreCommit {
        policyDomains = Set.copyOf(policyDomains);
    }
}
