package io.dmarclens.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dmarclens.index.EmbeddedStore;
import io.dmarclens.index.ingestlog.SqliteIngestLog;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench smtp} on a real receiver, inbox and store, small: every client stands for another MTA but
 * all share the loopback address, so no per-address limit (connections, the junk allowance that counts
 * every waiting message) may refuse any of the burst.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SmtpBenchmarkTest {
    @TempDir
    Path dir;

    @Test
    void aBurstFromOneAddressIsAcceptedWhole() throws Exception {
        SmtpBenchmark.Result r = new SmtpBenchmark(EmbeddedStore::open, SqliteIngestLog::open, 8, 300, 5, 2)
                .run(dir.resolve("data"));
        assertEquals(0, r.failed(), "refused or failed sends");
        assertEquals(300, r.accepted());
        assertEquals(300, r.stored());
    }
}
