package io.dmarclens.store.alerts;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The durable state of the alert rules: alerts opened, updated while their condition holds, acknowledged
 * with a comment, resolved; and each rule's memory between evaluations (e.g. the last posture check's
 * errors). Raising and resolving an alert enqueue its notice in the {@link Outbox} in the same transaction:
 * an alert is never opened without its notice being queued, nor its notice queued twice.
 *
 * <p>At most one alert per rule and domain is unresolved at a time. Every method throws
 * {@link io.dmarclens.store.StoreException} when the state cannot be read or written.
 */
public interface AlertLog extends AutoCloseable {
    /** The domain of alerts about DMARC Lens itself rather than one policy domain (the ingest rules). */
    String ALL_DOMAINS = "*";

    /** The unresolved (open or acknowledged) alert of a rule and domain, if any. */
    Optional<Alert> unresolved(String rule, String domain);

    /** The latest alert of a rule and domain in any state (for cooldowns), if any. */
    Optional<Alert> latest(String rule, String domain);

    /**
     * Opens an alert and enqueues its notice in one transaction.
     *
     * @param notice makes the notice from the new alert's id (its payload names the alert)
     * @throws IllegalStateException when the rule and domain already have an unresolved alert
     */
    Alert raise(AlertFinding finding, java.util.function.LongFunction<Notice> notice, Instant at);

    /** Records that an evaluation still finds the condition of unresolved alert {@code id}: no new notice. */
    Alert update(long id, AlertFinding finding, Instant at);

    /**
     * Resolves alert {@code id} and enqueues its notice in one transaction; nothing happens (and empty is
     * returned) when it is resolved already, so that the resolution is said once.
     */
    Optional<Alert> resolve(long id, Notice notice, Instant at);

    /** Acknowledges unresolved alert {@code id} with a comment; empty when there is no such unresolved alert. */
    Optional<Alert> acknowledge(long id, String user, String comment, Instant at);

    Optional<Alert> alert(long id);

    /** Alerts matching the query: unresolved first, then newest first. */
    List<Alert> alerts(AlertQuery query);

    /** Number of alerts in each state (every state present, zeros included). */
    java.util.Map<AlertState, Long> countByState();

    /** A rule's memory under {@code key} (e.g. {@code posture-regression/example.com}), if any. */
    Optional<String> ruleState(String key);

    /** Replaces a rule's memory under {@code key}. */
    void saveRuleState(String key, String value, Instant at);

    @Override
    void close();
}
