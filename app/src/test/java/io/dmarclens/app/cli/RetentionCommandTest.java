package io.dmarclens.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.index.EmbeddedStore;
import io.dmarclens.index.audit.SqliteAuditLog;
import io.dmarclens.opensearch.OpenSearchSettings;
import io.dmarclens.opensearch.OpenSearchStore;
import io.dmarclens.opensearch.testing.DropIndicesAfterClass;
import io.dmarclens.opensearch.testing.OpenSearchTestNode;
import io.dmarclens.store.Clocks;
import io.dmarclens.store.Store;
import io.dmarclens.store.audit.AuditEntry;
import io.dmarclens.store.audit.AuditQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dmarc-lens retention} on both stores: with the policy of a configuration file or of its flags it deletes
 * the reports older than the policy (the totals drop by exactly their messages), says what it removed, and notes the
 * run in the audit log; without a policy it removes nothing and says so; an age that is a typo is refused.
 */
@ExtendWith(DropIndicesAfterClass.class)
class RetentionCommandTest {
    @TempDir
    Path dir;

    @Test
    void onTheEmbeddedStoreWithTheConfiguredPolicy() throws Exception {
        Clock clock = Clocks.system();
        Path data = dir.resolve("data");
        RetentionWorld.Stored stored = RetentionWorld.fillEmbedded(data, clock);
        DataDirCommandsTest.Run none = DataDirCommandsTest.run("retention", "--data", data.toString());
        assertEquals(0, none.status(), none.err());
        assertTrue(none.out().startsWith("nothing to remove: reports and raw sources are kept forever"), none.out());

        DataDirCommandsTest.Run typo = DataDirCommandsTest.run("retention", "--data", data.toString(),
                "--reports", "13m");
        assertEquals(2, typo.status(), typo.out() + typo.err());
        assertTrue(typo.err().contains("retention.reports must be at least 1d"), typo.err());

        Path config = dir.resolve("lens.yaml");
        Files.writeString(config, "retention:\n  reports: 400d\n");
        DataDirCommandsTest.Run r = DataDirCommandsTest.run("retention", "--config", config.toString(),
                "--data", data.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("retention (reports 400d, raw sources forever): removed " + stored.oldReports()
                + " aggregate reports ("), r.out());
        try (EmbeddedStore store = EmbeddedStore.open(data, clock)) {
            RetentionWorld.assertOnlyRecentLeft(store, stored);
        }
        try (SqliteAuditLog audit = SqliteAuditLog.open(data)) {
            List<AuditEntry> runs = audit.find(new AuditQuery(Optional.empty(), Optional.of(RetentionJob.ACTION),
                    Optional.empty(), Optional.empty(), 10));
            assertEquals(1, runs.size(), runs.toString());
            assertEquals("cli", runs.get(0).user());
        }
        DataDirCommandsTest.Run again = DataDirCommandsTest.run("retention", "--data", data.toString(),
                "--reports", "400d", "--raw-sources", "forever");
        assertEquals(0, again.status(), again.err());
        assertTrue(again.out().startsWith("retention (reports 400d, raw sources forever): removed 0 aggregate reports"),
                again.out());
    }

    @Test
    void onOpenSearchWithTheFlags() throws Exception {
        OpenSearchTestNode node = OpenSearchTestNode.shared();
        String prefix = OpenSearchTestNode.prefix(getClass(), dir);
        Clock clock = Clocks.system();
        OpenSearchSettings settings = OpenSearchSettings.local(node.url(), prefix);
        RetentionWorld.Stored stored = RetentionWorld.fillOpenSearch(settings, clock);
        // The index prefix comes from the configuration file; the cluster from --opensearch.
        Path config = dir.resolve("lens.yaml");
        Files.writeString(config, "store:\n  opensearch:\n    index_prefix: " + prefix + "\n    replicas: 0\n");
        DataDirCommandsTest.Run r = DataDirCommandsTest.run("retention", "--config", config.toString(),
                "--opensearch", node.url().toString(), "--reports", "400d");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("retention (reports 400d, raw sources forever): removed " + stored.oldReports()
                + " aggregate reports ("), r.out());
        try (Store store = OpenSearchStore.open(settings, clock)) {
            RetentionWorld.assertOnlyRecentLeft(store, stored);
        }
    }
}
