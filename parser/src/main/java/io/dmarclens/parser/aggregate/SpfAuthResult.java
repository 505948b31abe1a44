package io.dmarclens.parser.aggregate;

/**
 * One SPF result from {@code auth_results}.
 *
 * @param domain      the checked domain, empty when missing
 * @param scope       {@code mfrom} or {@code helo}, or null when absent
 * @param result      the normalised result, or null when missing or unreadable
 * @param rawResult   the result word as written (trimmed)
 * @param humanResult the receiver's free-text result (RFC 9990), or null
 */
public record SpfAuthResult(String domain, String scope, AuthResult result, String rawResult,
                            String humanResult) {
}
