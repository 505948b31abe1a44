package io.dmarclens.opensearch;

import io.dmarclens.opensearch.testing.DropIndicesAfterClass;
import io.dmarclens.opensearch.testing.OpenSearchTestNode;
import io.dmarclens.store.contract.AlertLogContract;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The alert state contract on a real OpenSearch node: one prefix per test stands for one cluster, and each
 * {@code open} is another connection to it (a node, or the same node after a restart).
 */
@ExtendWith(DropIndicesAfterClass.class)
class OpenSearchAlertsContractTest extends AlertLogContract {
    private OpenSearchSettings settings;

    @BeforeEach
    void prefix(TestInfo test) {
        settings = OpenSearchTestNode.shared().settings(OpenSearchTestNode.prefix(OpenSearchAlertsContractTest.class,
                test.getTestMethod().orElseThrow().getName().toLowerCase(Locale.ROOT) + System.nanoTime()));
    }

    @Override
    protected Opened open(Path dir) {
        OpenSearchAlerts alerts = OpenSearchAlerts.open(settings);
        return new Opened(alerts.log(), alerts.outbox(), alerts);
    }
}
