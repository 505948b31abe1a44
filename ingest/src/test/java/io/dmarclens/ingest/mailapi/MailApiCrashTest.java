package io.dmarclens.ingest.mailapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.ingest.testing.LoopbackTokenEndpoint;
import io.dmarclens.store.Clocks;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A real {@code kill -9} of the JVM reading a Graph or Gmail mailbox in the middle of emptying it: after a
 * restart every report is stored exactly once and every message moved exactly once.
 */
class MailApiCrashTest {
    private static final int MESSAGES = 40;
    private static final int KILL_AFTER_MOVES = 8;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(MailApiAccount.Api.class)
    void killDashNineMidMailboxLosesNothingAndStoresNothingTwice(MailApiAccount.Api api) throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        try (LoopbackTokenEndpoint endpoint = new LoopbackTokenEndpoint(Duration.ofSeconds(2), "refresh-1");
             LoopbackMailApiServer server = new LoopbackMailApiServer(MailApiReaderTest.USER,
                     MailApiReaderTest.validTokens(endpoint))) {
            for (int i = 0; i < MESSAGES; i++) {
                server.deliver(MailApiReaderTest.report("crash-" + i));
            }
            String apiEndpoint = (api == MailApiAccount.Api.GRAPH ? server.graphEndpoint() : server.gmailEndpoint())
                    .toString();
            Process first = start(data, api, apiEndpoint, endpoint, "first");
            MailApiReaderTest.await(() -> moved(server) >= KILL_AFTER_MOVES || !first.isAlive(), "a first batch moved");
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
            assertTrue(first.waitFor(30, TimeUnit.SECONDS));
            int movedAtKill = moved(server);
            assertTrue(movedAtKill < MESSAGES, "killed in the middle: " + movedAtKill + " moved");
            System.out.printf("mail API crash test (%s): killed with %d of %d moved, %d fetched%n", api, movedAtKill,
                    MESSAGES, server.rawFetches.get());

            Process second = start(data, api, apiEndpoint, endpoint, "second");
            MailApiReaderTest.await(() -> moved(server) >= MESSAGES || !second.isAlive(), "every message moved");
            second.destroy(); // SIGTERM: graceful
            assertTrue(second.waitFor(60, TimeUnit.SECONDS));
            assertTrue(server.moves.values().stream().allMatch(n -> n.get() == 1),
                    "each message moved once: " + server.moves.values());
            assertEquals(MESSAGES, moved(server));
        }
        Map<String, Integer> stored = storedReportIds(data.resolve("dmarc-lens.db"));
        assertEquals(MESSAGES, stored.size(), stored.toString());
        assertTrue(stored.values().stream().allMatch(n -> n == 1), "no report stored twice: " + stored);
    }

    private static int moved(LoopbackMailApiServer server) {
        return (int) server.moves.values().stream().filter(n -> n.get() > 0).count();
    }

    private Process start(Path data, MailApiAccount.Api api, String apiEndpoint, LoopbackTokenEndpoint endpoint,
                          String name) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path running = dir.resolve("running-" + name);
        // The child runs on the same (possibly shifted) clock as this test.
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m",
                "-D" + Clocks.SHIFT_PROPERTY + "=" + System.getProperty(Clocks.SHIFT_PROPERTY, ""),
                "-cp", System.getProperty("java.class.path"), MailApiReaderProcess.class.getName(), data.toString(),
                api.name(), apiEndpoint, endpoint.uri("/token").toString(), running.toString());
        File log = dir.resolve("reader-" + name + ".log").toFile();
        pb.redirectErrorStream(true).redirectOutput(log);
        Process p = pb.start();
        MailApiReaderTest.await(() -> Files.exists(running) || !p.isAlive(), "the reader process running");
        assertTrue(p.isAlive(), () -> {
            try {
                return "the reader process died: " + Files.readString(log.toPath());
            } catch (java.io.IOException e) {
                return "the reader process died";
            }
        });
        return p;
    }

    private static Map<String, Integer> storedReportIds(Path db) throws Exception {
        Map<String, Integer> ids = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT report_id, count(*) FROM aggregate_report GROUP BY report_id")) {
            while (rs.next()) {
                ids.put(rs.getString(1), rs.getInt(2));
            }
        }
        return ids;
    }
}
