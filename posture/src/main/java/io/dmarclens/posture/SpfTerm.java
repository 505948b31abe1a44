package io.dmarclens.posture;

/**
 * One term of an SPF record: a mechanism with its qualifier, or a modifier.
 *
 * @param raw         as written
 * @param qualifier   "+", "-", "~" or "?" for mechanisms ("+" when omitted), null for modifiers
 * @param name        mechanism or modifier name, lower case (all, include, a, mx, ptr, ip4, ip6, exists, redirect, exp, ...)
 * @param value       the argument after ':' or '=', or null
 * @param modifier    true for name=value terms
 * @param dnsLookup   true when evaluating the term costs a DNS lookup against the limit of 10
 */
public record SpfTerm(String raw, String qualifier, String name, String value, boolean modifier, boolean dnsLookup) {
}
