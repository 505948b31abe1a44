package io.dmarclens.web;

import io.dmarclens.opensearch.OpenSearchStore;
import io.dmarclens.opensearch.testing.DropIndicesAfterClass;
import io.dmarclens.opensearch.testing.OpenSearchTestNode;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * web's {@link BrowserTest}, every step of it, once more with the dashboard on a real OpenSearch node
 * (issue #9: "the browser tests run once against a server on OpenSearch too"). It lives in app, the one
 * module that may see both stores; web's tests stay on the embedded store.
 */
@ExtendWith(DropIndicesAfterClass.class)
class BrowserOnOpenSearchTest extends BrowserTest {
    @Override
    TestApp open(Path dir) throws Exception {
        OpenSearchTestNode node = OpenSearchTestNode.shared();
        return TestApp.withInbox(dir, (data, clock) -> OpenSearchStore.open(
                node.settings(OpenSearchTestNode.prefix(BrowserOnOpenSearchTest.class, dir)), clock));
    }
}
