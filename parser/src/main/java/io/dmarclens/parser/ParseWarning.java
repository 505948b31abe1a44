package io.dmarclens.parser;

/**
 * Something in a report that could not be read as written, and what was done instead.
 *
 * @param location where, e.g. {@code "record 3 auth_results/spf/result"} or {@code "policy_published/sp"}
 * @param message  what was wrong and how it was read, e.g. {@code "legacy result word 'hardfail' read as fail"}
 */
public record ParseWarning(String location, String message) {
    @Override
    public String toString() {
        return location == null || location.isEmpty() ? message : location + ": " + message;
    }
}
