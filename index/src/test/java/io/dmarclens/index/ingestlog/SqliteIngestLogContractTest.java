package io.dmarclens.index.ingestlog;

import io.dmarclens.store.contract.IngestLogContract;
import io.dmarclens.store.ingestlog.IngestLog;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The ingest log contract on real ingest.db files; two nodes are two connections on one file. */
class SqliteIngestLogContractTest extends IngestLogContract {
    @TempDir
    Path dir;

    @Override
    protected IngestLog open(String name, String node) {
        Path data = dir.resolve(name);
        try {
            java.nio.file.Files.createDirectories(data);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return SqliteIngestLog.open(data, CLOCK, node);
    }
}
