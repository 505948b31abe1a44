package io.dmarclens.web;

import io.dmarclens.alerts.rules.AlertRule;
import io.dmarclens.store.alerts.AlertLog;
import io.dmarclens.store.alerts.Outbox;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the Alerts page shows and changes: the alerts, their notices, the rules in force.
 *
 * @param log           the alerts (acknowledged from the page)
 * @param outbox        the notices and their delivery state
 * @param rules         the rules in force
 * @param evaluateEvery how often the schedule evaluates every rule
 */
public record AlertsConsole(AlertLog log, Outbox outbox, List<AlertRule> rules, Duration evaluateEvery) {
    public AlertsConsole {
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(outbox, "outbox");
        rules = List.copyOf(rules);
    }
}
