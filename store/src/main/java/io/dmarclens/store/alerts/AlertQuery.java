package io.dmarclens.store.alerts;

import java.util.Set;

/**
 * Which alerts to list.
 *
 * @param states states to include, empty for all
 * @param domain one policy domain, or null for all
 * @param rule   one rule id, or null for all
 * @param offset alerts to skip
 * @param limit  alerts to return, 1 to 1,000
 */
public record AlertQuery(Set<AlertState> states, String domain, String rule, int offset, int limit) {
    public AlertQuery {
        states = states == null ? Set.of() : Set.copyOf(states);
        if (offset < 0 || limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("offset must be >= 0 and limit 1 to 1000: " + offset + ", " + limit);
        }
    }

    /** Every alert, newest first, up to {@code limit}. */
    public static AlertQuery all(int limit) {
        return new AlertQuery(Set.of(), null, null, 0, limit);
    }
}
