package io.dmarclens.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.demo.SyntheticReports;
import io.dmarclens.store.Clocks;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.io.File;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dmarc-lens serve} as a real process: receives reports over SMTP, stops gracefully on SIGTERM
 * right after a burst, and processes at the next start whatever it accepted and had not processed.
 */
class ServeCommandTest {
    private static final int MESSAGES = 30;

    @TempDir
    Path dir;

    @Test
    void sigtermRightAfterABurstLosesNothing() throws Exception {
        Path data = dir.resolve("data");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process serve = serve(data, port, "first");
        awaitListening(port, serve);
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", Integer.toString(port));
        Session session = Session.getInstance(props);
        try (Transport t = session.getTransport("smtp")) {
            t.connect();
            for (int i = 0; i < MESSAGES; i++) {
                MimeMessage m = SyntheticReports.aggregateMail(session, "dmarc@reports.example.com", "serve-" + i, 20);
                t.sendMessage(m, m.getAllRecipients());
            }
        }
        serve.destroy(); // SIGTERM
        assertTrue(serve.waitFor(90, TimeUnit.SECONDS), "serve stops on SIGTERM");
        // A message stored just before the stop may still wait in the inbox for its deletion (the inbox
        // cleaner runs behind the workers); the next start finds it stored. So stored and waiting may overlap.
        long stored = storedReports(data);
        assertTrue(stored <= MESSAGES, "nothing stored twice: " + stored);
        assertTrue(stored + waiting(data) >= MESSAGES, "every acknowledged message is stored or waiting: "
                + stored + " stored, " + waiting(data) + " waiting");

        Process again = serve(data, port, "second");
        awaitListening(port, again);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (waiting(data) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        again.destroy();
        assertTrue(again.waitFor(90, TimeUnit.SECONDS));
        assertEquals(MESSAGES, storedReports(data));
    }

    private Process serve(Path data, int port, String name) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // The child runs on the same (possibly shifted) clock as this test.
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m",
                "-D" + Clocks.SHIFT_PROPERTY + "=" + System.getProperty(Clocks.SHIFT_PROPERTY, ""),
                "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "serve", "--data", data.toString(), "--smtp-listen", "127.0.0.1:" + port, "--web-listen", "127.0.0.1:0",
                "--recipients", "reports.example.com", "--offline");
        File log = dir.resolve("serve-" + name + ".log").toFile();
        pb.redirectErrorStream(true).redirectOutput(log);
        return pb.start();
    }

    private void awaitListening(int port, Process process) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (java.io.IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("serve did not start listening");
                }
                Thread.sleep(50);
            }
        }
    }

    private static long waiting(Path data) throws Exception {
        try (Stream<Path> files = Files.list(data.resolve("inbox/new"))) {
            return files.filter(p -> p.toString().endsWith(".msg")).count();
        }
    }

    private static long storedReports(Path data) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("dmarc-lens.db"));
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM aggregate_report")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
