package io.dmarclens.store.alerts;

import java.time.Instant;
import java.util.Objects;

/**
 * What an evaluation found, to raise a new alert or update the unresolved one.
 *
 * @param rule     the rule's id
 * @param domain   policy domain, or {@link AlertLog#ALL_DOMAINS}
 * @param since    when the condition began
 * @param summary  one line: what happened
 * @param amount   how much, in the rule's unit
 * @param evidence the evidence as a JSON object
 */
public record AlertFinding(String rule, String domain, Instant since, String summary, long amount, String evidence) {
    public AlertFinding {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(evidence, "evidence");
    }
}
