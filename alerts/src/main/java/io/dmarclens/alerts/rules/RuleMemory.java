package io.dmarclens.alerts.rules;

import java.util.Optional;

/** What a rule remembers between evaluations (e.g. the errors of the last posture check), kept durably. */
public interface RuleMemory {
    Optional<String> get(String key);

    void put(String key, String value);
}
