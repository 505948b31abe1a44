package io.dmarclens.store.alerts;

import java.time.Instant;
import java.util.Objects;

/**
 * One alert: a rule's condition for one policy domain, from the moment it began until it cleared. While it
 * is unresolved, every later evaluation that still finds the condition updates it (grouping: no new alert,
 * no new notice), so that one problem is one alert however long it lasts.
 *
 * @param id             its id
 * @param rule           the rule's id
 * @param domain         policy domain, or {@link AlertLog#ALL_DOMAINS}
 * @param state          open, acknowledged or resolved
 * @param since          when the condition began (as the evidence shows, e.g. the first failing day)
 * @param openedAt       when the alert was raised
 * @param updatedAt      the latest evaluation that found the condition
 * @param resolvedAt     when it cleared, or null
 * @param summary        one line: what happened
 * @param amount         how much, in the rule's unit (messages, sources, points, days)
 * @param evidence       the evidence as a JSON object (what the rule saw)
 * @param evaluations    how many evaluations found the condition while it was open (1 when raised)
 * @param acknowledgedBy the user who acknowledged it, or null
 * @param acknowledgedAt when, or null
 * @param comment        the acknowledgement's comment, or null
 */
public record Alert(long id, String rule, String domain, AlertState state, Instant since, Instant openedAt,
                    Instant updatedAt, Instant resolvedAt, String summary, long amount, String evidence,
                    long evaluations, String acknowledgedBy, Instant acknowledgedAt, String comment) {
    public Alert {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(state, "state");
    }

    /** Whether the condition still holds (open or acknowledged). */
    public boolean unresolved() {
        return state != AlertState.RESOLVED;
    }
}
