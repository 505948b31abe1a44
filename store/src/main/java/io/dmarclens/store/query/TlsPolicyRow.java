package io.dmarclens.store.query;

import java.util.List;

/**
 * One policy of a TLS report with its failure details.
 *
 * @param policyType     sts, tlsa or no-policy-found
 * @param policyString   the policy lines
 * @param policyDomain   recipient domain, or null
 * @param mxHost         MX host patterns
 * @param successfulSessions total-successful-session-count
 * @param failedSessions total-failure-session-count
 * @param failures       failure details
 */
public record TlsPolicyRow(String policyType, List<String> policyString, String policyDomain, List<String> mxHost,
                           long successfulSessions, long failedSessions, List<TlsFailureRow> failures) {
}
