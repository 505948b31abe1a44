package io.dmarclens.parser.aggregate;

/**
 * One DKIM signature's result from {@code auth_results}.
 *
 * @param domain      the signing domain (d=), empty when the element was missing or empty
 * @param selector    the selector (s=), or null when absent
 * @param result      the normalised result, or null when missing or unreadable
 * @param rawResult   the result word as written (trimmed)
 * @param humanResult the receiver's free-text result, or null
 */
public record DkimAuthResult(String domain, String selector, AuthResult result, String rawResult,
                             String humanResult) {
}
