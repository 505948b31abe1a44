package io.dmarclens.parser.tlsrpt;

/**
 * One {@code failure-details[]} entry. Every field but {@code resultType} is optional in practice.
 *
 * @param resultType             e.g. {@code certificate-expired}, {@code starttls-not-supported}, {@code sts-policy-fetch-error}
 * @param sendingMtaIp           sending-mta-ip, or null
 * @param receivingMxHostname    receiving-mx-hostname, or null
 * @param receivingMxHelo        receiving-mx-helo, or null
 * @param receivingIp            receiving-ip, or null
 * @param failedSessionCount     failed-session-count
 * @param additionalInformation  additional-information, or null
 * @param failureReasonCode      failure-reason-code, or null
 */
public record TlsFailureDetail(String resultType, String sendingMtaIp, String receivingMxHostname,
                               String receivingMxHelo, String receivingIp, long failedSessionCount,
                               String additionalInformation, String failureReasonCode) {
}
