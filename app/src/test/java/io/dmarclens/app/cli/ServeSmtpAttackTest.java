package io.dmarclens.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.demo.SyntheticReports;
import io.dmarclens.store.Clocks;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code serve}, started as docs/operations.md says with the SMTP limits set through the
 * environment, held and trickled by a stranger on 127.0.0.1 while a report from 127.0.0.2 gets through.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ServeSmtpAttackTest {
    @TempDir
    Path dir;

    @Test
    void aStrangerHoldsTwoSlotsIsCutAtTheCommandDeadlineAndAReportStillGetsThrough() throws Exception {
        Path data = dir.resolve("data");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process serve = serve(data, port);
        List<Socket> held = new ArrayList<>();
        try {
            awaitListening(port, serve);
            for (int i = 0; i < 2; i++) {
                Socket s = connect(port);
                held.add(s);
                assertTrue(firstLine(s).startsWith("220"));
            }
            Socket third = connect(port);
            held.add(third);
            String refused = firstLine(third);
            assertTrue(refused.startsWith("421"), refused);

            Properties props = new Properties();
            props.put("mail.smtp.host", "127.0.0.1");
            props.put("mail.smtp.port", Integer.toString(port));
            props.put("mail.smtp.localaddress", "127.0.0.2");
            props.put("mail.smtp.timeout", "20000");
            Session session = Session.getInstance(props);
            try (Transport t = session.getTransport("smtp")) {
                t.connect();
                MimeMessage m = SyntheticReports.aggregateMail(session, "dmarc@reports.example.com", "attack-1", 5);
                t.sendMessage(m, m.getAllRecipients());
            }

            // A held connection trickles a command a byte every 300 ms: cut at the 2 s deadline.
            Socket slow = held.get(0);
            long started = System.nanoTime();
            String cut = trickle(slow, "EHLO slow.example.net\r\n");
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            assertTrue(cut != null && cut.startsWith("421"), "cut with 421: " + cut);
            assertTrue(seconds < 8, "cut after " + seconds + " s");

            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (storedReports(data) < 1 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(1, storedReports(data));
        } finally {
            for (Socket s : held) {
                s.close();
            }
            serve.destroy();
            serve.waitFor(90, TimeUnit.SECONDS);
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        s.setSoTimeout(20_000);
        return s;
    }

    private static String firstLine(Socket s) throws IOException {
        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
    }

    private static String trickle(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
        for (byte b : text.getBytes(StandardCharsets.US_ASCII)) {
            try {
                out.write(b);
                out.flush();
            } catch (IOException closed) {
                break;
            }
            s.setSoTimeout(300);
            try {
                String line = in.readLine();
                if (line != null) {
                    return line;
                }
                return null;
            } catch (SocketTimeoutException stillWaiting) {
                // the server is still waiting for the rest of the line
            } finally {
                s.setSoTimeout(20_000);
            }
        }
        return in.readLine();
    }

    private Process serve(Path data, int port) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m",
                "-D" + Clocks.SHIFT_PROPERTY + "=" + System.getProperty(Clocks.SHIFT_PROPERTY, ""),
                "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "serve", "--data", data.toString(), "--smtp-listen", "127.0.0.1:" + port,
                "--web-listen", "127.0.0.1:0", "--recipients", "reports.example.com", "--offline");
        pb.environment().put("DMARC_LENS_SMTP_MAX_CONNECTIONS_PER_ADDRESS", "2");
        pb.environment().put("DMARC_LENS_SMTP_COMMAND_DEADLINE", "2s");
        File log = dir.resolve("serve.log").toFile();
        pb.redirectErrorStream(true).redirectOutput(log);
        return pb.start();
    }

    // Probes from 127.0.0.3, so that they never take one of the stranger's slots on 127.0.0.1.
    private static void awaitListening(int port, Process process) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            try (Socket s = new Socket()) {
                s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.3"), 0));
                s.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("serve did not start listening");
                }
                Thread.sleep(100);
            }
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
