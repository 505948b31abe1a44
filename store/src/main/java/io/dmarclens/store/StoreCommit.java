package io.dmarclens.store;

import java.util.Set;

/**
 * What one commit stored, as far as listeners need to know. Every commit that stores reports is told,
 * whatever their kind: aggregate reports (grouped or one by one), failure reports and TLS reports.
 *
 * @param records        aggregate records committed
 * @param failureReports failure (ruf) reports committed
 * @param tlsReports     SMTP TLS reports committed
 * @param policyDomains  the domains the committed reports are about, lower case: the policy domain of each
 *                       aggregate report, the reported domains of each failure report and the policy domains
 *                       of each TLS report
 */
public record StoreCommit(long records, long failureReports, long tlsReports, Set<String> policyDomains) {
    public StoreCommit {
        policyDomains = Set.copyOf(policyDomains);
    }

    /** Whether the commit stored nothing a listener counts (no record, failure report nor TLS report). */
    public boolean isEmpty() {
        return records == 0 && failureReports == 0 && tlsReports == 0 && policyDomains.isEmpty();
    }
}
