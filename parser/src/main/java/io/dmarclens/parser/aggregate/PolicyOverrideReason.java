package io.dmarclens.parser.aggregate;

/**
 * One {@code <reason>} of {@code policy_evaluated}.
 *
 * @param type    the override type, or null when the element was empty or held an unknown word
 * @param rawType the word as written (trimmed), empty when absent
 * @param comment the receiver's comment, or null
 */
public record PolicyOverrideReason(PolicyOverride type, String rawType, String comment) {
}
