/**
 * Alerts: rules evaluated after each committed run of reports and on a schedule, per policy domain; the
 * alerts they open, update and resolve (state in {@link io.dmarclens.store.alerts.AlertLog}) and the
 * notices they write to the {@link io.dmarclens.store.alerts.Outbox} for delivery. Sub-packages by feature:
 * {@code rules} (what each rule checks) and {@code state} (evaluating, grouping, cooldowns, notices).
 */
package io.dmarclens.alerts;
