package io.dmarclens.opensearch.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Drops every index a test class made on the shared node ({@link OpenSearchTestNode#dropIndicesOf}) once the
 * class is done: the node is one per test JVM and refuses new indices past 1,000 open shards, which the whole
 * contract kit (a few stores per test, 2 shards per index) passes long before the last class runs.
 *
 * <pre>{@code @ExtendWith(DropIndicesAfterClass.class) class MyStoreTest { ... }}</pre>
 */
public final class DropIndicesAfterClass implements AfterAllCallback {
    @Override
    public void afterAll(ExtensionContext context) {
        OpenSearchTestNode.shared().dropIndicesOf(context.getRequiredTestClass());
    }
}
