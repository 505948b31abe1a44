package io.dmarclens.opensearch;

import io.dmarclens.opensearch.testing.DropIndicesAfterClass;
import io.dmarclens.opensearch.testing.OpenSearchTestNode;
import io.dmarclens.store.audit.AuditLog;
import io.dmarclens.store.contract.AuditLogContract;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/** The audit log contract on a real OpenSearch node: every node of a cluster writes to and reads one log. */
@ExtendWith(DropIndicesAfterClass.class)
class OpenSearchAuditLogContractTest extends AuditLogContract {
    private OpenSearchSettings settings;

    @BeforeEach
    void prefix(TestInfo test) {
        settings = OpenSearchTestNode.shared().settings(OpenSearchTestNode.prefix(OpenSearchAuditLogContractTest.class,
                test.getTestMethod().orElseThrow().getName().toLowerCase(java.util.Locale.ROOT) + System.nanoTime()));
    }

    @Override
    protected AuditLog open() {
        return OpenSearchAuditLog.open(settings);
    }
}
