package io.dmarclens.alerts.rules;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One alert rule: a condition checked per policy domain (or once for DMARC Lens itself) against the store's
 * read models, with its thresholds and cooldown. A rule only looks; the engine
 * ({@link io.dmarclens.alerts.state.AlertEngine}) opens, groups and resolves alerts from what it finds.
 */
public interface AlertRule {
    /** Stable id, used in the configuration, the API and the payloads, e.g. {@code new-failing-source}. */
    String id();

    /** Short title for people, e.g. {@code New failing source}. */
    String title();

    /** Why an alert of this rule matters, one or two sentences. */
    String why();

    /** Whether it is checked per policy domain, or once for DMARC Lens itself. */
    Scope scope();

    /** Whether a commit of reports is a reason to check it (else it runs on the schedule only). */
    boolean afterCommits();

    /** How long after an alert of this rule and domain resolved a new one is held back. */
    Duration cooldown();

    /** The thresholds in force, for the Alerts page and the API. */
    List<Threshold> thresholds();

    /**
     * Checks the condition now.
     *
     * @param domain the policy domain, or {@link io.dmarclens.store.alerts.AlertLog#ALL_DOMAINS} for
     *               {@link Scope#SERVICE} rules
     * @return what holds, or empty when the condition does not
     */
    Optional<Condition> check(String domain, RuleContext context);

    /** What a rule is about. */
    enum Scope {
        /** One policy domain's mail and reports. */
        DOMAIN,
        /** DMARC Lens itself (its inbox, quarantine, mailboxes): one alert for all domains. */
        SERVICE
    }

    /**
     * One threshold as configured.
     *
     * @param key         the configuration key, e.g. {@code alerts.spoofing_wave.min_messages}
     * @param value       its value as written, e.g. {@code 500} or {@code 6h}
     * @param description what it means
     */
    record Threshold(String key, String value, String description) {
    }
}
