package io.dmarclens.ingest.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.demo.SyntheticReports;
import io.dmarclens.store.Clocks;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code kill -9} of the receiver's JVM in the middle of a burst of 500 messages sent over SMTP:
 * after a restart, every message that was answered 250 is stored exactly once.
 */
class FaultTest {
    static final String RCPT = "dmarc@reports.example.com";
    private static final int MESSAGES = 500;
    private static final int CLIENTS = 8;
    private static final int KILL_AFTER = 150;

    @TempDir
    Path dir;

    @Test
    void killDashNineMidBurstLosesNothingAcknowledgedAndStoresNothingTwice() throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        long t0 = System.nanoTime();
        Process receiver = startReceiver(data, "first");
        int port = awaitPort(data.resolve("port-first"), receiver);

        System.out.printf("fault test: receiver up after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            Thread t = new Thread(() -> sendUntilDone(port, next, acknowledged, refused));
            t.start();
            clients.add(t);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (acknowledged.size() < KILL_AFTER && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        receiver.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, nothing graceful
        receiver.waitFor(10, TimeUnit.SECONDS);
        for (Thread t : clients) {
            t.join(TimeUnit.SECONDS.toMillis(60));
        }
        assertTrue(acknowledged.size() >= KILL_AFTER, "acknowledged before the kill: " + acknowledged.size());
        assertTrue(refused.get() > 0, "the kill happened mid-burst");

        System.out.printf("fault test: %d acknowledged, %d refused, killed at %d ms%n", acknowledged.size(),
                refused.get(), (System.nanoTime() - t0) / 1_000_000);
        Process restarted = startReceiver(data, "second");
        awaitPort(data.resolve("port-second"), restarted);
        awaitEmpty(data.resolve("inbox/new"));
        System.out.printf("fault test: inbox drained after restart at %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        restarted.destroy(); // SIGTERM: graceful
        assertTrue(restarted.waitFor(60, TimeUnit.SECONDS));

        Map<String, Integer> stored = storedReportIds(data.resolve("dmarc-lens.db"));
        for (String id : acknowledged) {
            assertEquals(1, stored.getOrDefault(id, 0), "report " + id + " answered 250 must be stored once");
        }
        assertTrue(stored.values().stream().allMatch(n -> n == 1), "no report stored twice");
        assertTrue(stored.size() <= acknowledged.size() + CLIENTS,
                "at most the messages in flight at the kill are stored without their 250: " + stored.size());
    }

    private static void sendUntilDone(int port, AtomicInteger next, Set<String> acknowledged, AtomicInteger refused) {
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", Integer.toString(port));
        props.put("mail.smtp.connectiontimeout", "5000");
        props.put("mail.smtp.timeout", "20000");
        Session session = Session.getInstance(props);
        Transport transport = null;
        int i;
        while ((i = next.getAndIncrement()) < MESSAGES) {
            String id = "burst-" + i;
            try {
                if (transport == null || !transport.isConnected()) {
                    transport = session.getTransport("smtp");
                    transport.connect();
                }
                MimeMessage message = SyntheticReports.aggregateMail(session, RCPT, id, 5);
                transport.sendMessage(message, message.getAllRecipients());
                acknowledged.add(id); // sendMessage returned: the server answered 250 to DATA
            } catch (Exception e) {
                refused.incrementAndGet();
                transport = null;
            }
        }
        try {
            if (transport != null) {
                transport.close();
            }
        } catch (Exception ignored) {
            // the server may be gone
        }
    }

    private Process startReceiver(Path data, String name) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // The child runs on the same (possibly shifted) clock as this test.
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m",
                "-D" + Clocks.SHIFT_PROPERTY + "=" + System.getProperty(Clocks.SHIFT_PROPERTY, ""),
                "-cp", System.getProperty("java.class.path"),
                ReceiverProcess.class.getName(), data.toString(), data.resolve("port-" + name).toString());
        File log = dir.resolve("receiver-" + name + ".log").toFile();
        pb.redirectErrorStream(true).redirectOutput(log);
        return pb.start();
    }

    private int awaitPort(Path portFile, Process process) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.exists(portFile)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("receiver did not start: " + Files.readString(dir.resolve(
                        portFile.getFileName().toString().replace("port-", "receiver-") + ".log")));
            }
            Thread.sleep(20);
        }
        return Integer.parseInt(Files.readString(portFile).trim());
    }

    private static void awaitEmpty(Path inbox) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try (Stream<Path> files = Files.list(inbox)) {
                if (files.noneMatch(p -> p.toString().endsWith(".msg"))) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the restarted receiver did not process its inbox");
            }
            Thread.sleep(50);
        }
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
