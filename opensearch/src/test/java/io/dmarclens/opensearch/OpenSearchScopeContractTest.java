package io.dmarclens.opensearch;

import io.dmarclens.index.EmbeddedStore;
import io.dmarclens.opensearch.testing.DropIndicesAfterClass;
import io.dmarclens.opensearch.testing.OpenSearchTestNode;
import io.dmarclens.store.Store;
import io.dmarclens.store.contract.ScopeContract;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The store contract on per-domain scope (every read model of a scoped store equals the store of the scope's
 * domains alone), run on a real OpenSearch node; the store of the scope's domains alone is the embedded one.
 */
@ExtendWith(DropIndicesAfterClass.class)
class OpenSearchScopeContractTest extends ScopeContract {
    @Override
    protected Store openStore(Path dir, Clock clock) {
        OpenSearchTestNode node = OpenSearchTestNode.shared();
        return OpenSearchStore.open(node.settings(OpenSearchTestNode.prefix(getClass(), dir)), clock);
    }

    /** The store of the scope's reports alone: the embedded one, which opens in a blink (a second cluster store costs its index creations). */
    @Override
    protected Store openReference(Path dir, Clock clock) {
        return EmbeddedStore.open(dir, clock);
    }

    /** A few samples of each kind: they are foreign to the scope, and each report costs a claim and a refresh here. */
    @Override
    protected List<Path> sampleFiles() {
        return super.sampleFiles().stream().filter(p -> SAMPLES.contains(p.getFileName().toString())).toList();
    }

    private static final Set<String> SAMPLES = Set.of("opendmarc-style.xml", "two-reports.zip", "google-zip-attachment.eml",
            "quirk-multi-day-range.xml", "arf-full-message.eml", "exim-plain-text.eml", "google-sts.json.gz");
}
