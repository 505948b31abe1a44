package io.dmarclens.parser.tlsrpt;

import java.util.List;

/**
 * One {@code policies[]} entry: the policy applied to a recipient domain and its session counts.
 *
 * @param policyType                {@code sts}, {@code tlsa} or {@code no-policy-found}
 * @param policyString              the policy lines, empty when absent
 * @param policyDomain              the recipient domain, or null when the reporter omitted it
 * @param mxHost                    MX host patterns (the reporter may send a string or a list)
 * @param totalSuccessfulSessionCount summary total-successful-session-count
 * @param totalFailureSessionCount  summary total-failure-session-count
 * @param failureDetails            failure-details entries
 */
public record TlsPolicyResult(String policyType, List<String> policyString, String policyDomain,
                              List<String> mxHost, long totalSuccessfulSessionCount, long totalFailureSessionCount,
                              List<TlsFailureDetail> failureDetails) {
    public TlsPolicyResult {
        policyString = List.copyOf(policyString);
        mxHost = List.copyOf(mxHost);
        failureDetails = List.copyOf(failureDetails);
    }
}
