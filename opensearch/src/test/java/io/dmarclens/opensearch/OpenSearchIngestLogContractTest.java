package io.dmarclens.opensearch;

import io.dmarclens.opensearch.testing.DropIndicesAfterClass;
import io.dmarclens.opensearch.testing.OpenSearchTestNode;
import io.dmarclens.store.contract.IngestLogContract;
import io.dmarclens.store.ingestlog.IngestLog;
import org.junit.jupiter.api.extension.ExtendWith;

/** The ingest log contract on a real node: two connections on one index prefix stand for two nodes. */
@ExtendWith(DropIndicesAfterClass.class)
class OpenSearchIngestLogContractTest extends IngestLogContract {
    private final long run = System.nanoTime();

    @Override
    protected IngestLog open(String name, String node) {
        return OpenSearchIngestLog.open(OpenSearchTestNode.shared().settings(
                OpenSearchTestNode.prefix(OpenSearchIngestLogContractTest.class, name + run)), CLOCK, node);
    }
}
