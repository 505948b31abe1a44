package io.dmarclens.index.alerts;

import io.dmarclens.store.contract.AlertLogContract;
import java.nio.file.Path;

/** The alert state contract on a real {@code alerts.db}. */
class SqliteAlertsContractTest extends AlertLogContract {
    @Override
    protected Opened open(Path dir) {
        SqliteAlerts alerts = SqliteAlerts.open(dir);
        return new Opened(alerts.log(), alerts.outbox(), alerts);
    }
}
