package io.dmarclens.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.app.config.ConfigLoader;
import io.dmarclens.app.config.ConfigOverrides;
import io.dmarclens.app.config.ServeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code node.roles}: serve starts the parts a node is given and no others; alone, a node holds the jobs' lease. */
class NodeRolesTest {
    @TempDir
    Path dir;

    private ServeConfig config(String roles, String name) {
        return new ConfigLoader(Map.of("DMARC_LENS_NODE_ROLES", roles, "DMARC_LENS_NODE_NAME", name))
                .load(null, new ConfigOverrides(dir.resolve(name), "127.0.0.1:0", "127.0.0.1:0",
                        List.of("reports.example.com"), true));
    }

    @Test
    void aReceiverWithoutDashboardAndADashboardWithoutReceiver() throws Exception {
        try (ServeRuntime mx = ServeRuntime.start(config("smtp,inbox", "mx1"))) {
            assertTrue(mx.ingest().smtp().isPresent(), "smtp runs");
            assertNull(mx.web(), "no dashboard without web");
            assertEquals("mx1", mx.nodeName());
            assertEquals(List.of(), mx.heldLeases(), "no jobs lease without jobs");
        }
        try (ServeRuntime web = ServeRuntime.start(config("web,jobs", "dash1"))) {
            assertTrue(web.ingest().smtp().isEmpty(), "no SMTP without smtp");
            assertNotNull(web.web(), "the dashboard runs");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!web.heldLeases().contains("jobs") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(List.of("jobs"), web.heldLeases(), "alone on its store, it holds the jobs' lease");
        }
    }
}
