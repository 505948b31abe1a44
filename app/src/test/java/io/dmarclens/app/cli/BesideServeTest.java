package io.dmarclens.app.cli;

import io.dmarclens.testing.LoopbackPorts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.demo.SyntheticReports;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.io.File;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code export}, {@code search} and {@code reindex} on the data directory of a {@code serve} running as
 * its own process: the reading commands answer as they do without the server, and see a report the
 * server receives meanwhile (export at once, search after the server's next index commit); reindex says
 * in one line to stop the server.
 */
class BesideServeTest {
    private static final String QUERY = "dkim:fail";
    private static final String NEW_REPORT_QUERY = "ip:192.0.2.0/24 AND date:2025-11-28";

    @TempDir
    Path dir;

    @Test
    void readingCommandsWorkBesideARunningServeAndReindexSaysToStopIt() throws Exception {
        Path data = dir.resolve("data");
        DataDirCommandsTest.Run imported = DataDirCommandsTest.run("import", "--offline", "--dns-wait", "0",
                "--data", data.toString(), Path.of("..", "sample-reports").toString());
        assertEquals(0, imported.status(), imported.err());
        DataDirCommandsTest.Run searchAlone = search(QUERY, data);
        DataDirCommandsTest.Run exportAlone = export(data);
        assertEquals(0, searchAlone.status(), searchAlone.err());
        assertTrue(searchAlone.err().matches("(?s)[1-9]\\d* of [1-9]\\d* hits\n"), searchAlone.err());
        assertTrue(exportAlone.out().lines().count() > 10, exportAlone.out());

        int smtpPort = LoopbackPorts.free();
        Process serve = serve(data, smtpPort);
        try {
            awaitListening(smtpPort, serve);

            DataDirCommandsTest.Run search = search(QUERY, data);
            assertEquals(0, search.status(), search.err());
            assertEquals(searchAlone.out(), search.out());
            assertEquals(searchAlone.err(), search.err());
            DataDirCommandsTest.Run export = export(data);
            assertEquals(0, export.status(), export.err());
            assertEquals(exportAlone.out(), export.out());

            DataDirCommandsTest.Run reindex = DataDirCommandsTest.run("reindex", "--data", data.toString());
            assertEquals(1, reindex.status());
            assertEquals("dmarc-lens reindex: the data directory " + data.toAbsolutePath() + " is in use by another"
                    + " DMARC Lens process (a running serve or import): stop it first\n", reindex.err());
            assertEquals("", reindex.out());

            // A report arriving meanwhile: exported as soon as stored, found once the server commits its index.
            assertEquals("0 of 0 hits\n", search(NEW_REPORT_QUERY, data).err());
            send(smtpPort, "beside-1", 5);
            awaitTrue(() -> export(data).out().contains("reporter.example,beside-1,"), "the new report is exported");
            awaitTrue(() -> search(NEW_REPORT_QUERY, data).err().startsWith("5 of 5 hits\n"),
                    "the new report's 5 records are found after the server's index commit");
        } finally {
            serve.destroy();
            assertTrue(serve.waitFor(90, TimeUnit.SECONDS), "serve stops on SIGTERM");
        }
        DataDirCommandsTest.Run reindex = DataDirCommandsTest.run("reindex", "--data", data.toString());
        assertEquals(0, reindex.status(), reindex.err());
        assertTrue(reindex.out().startsWith("reindexed "), reindex.out());
    }

    private static DataDirCommandsTest.Run search(String query, Path data) {
        return DataDirCommandsTest.run("search", "--data", data.toString(), "--limit", "1000", query);
    }

    private static DataDirCommandsTest.Run export(Path data) {
        return DataDirCommandsTest.run("export", "--data", data.toString(), "--format", "csv", "records");
    }

    private static void send(int port, String reportId, int records) throws Exception {
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", Integer.toString(port));
        Session session = Session.getInstance(props);
        try (Transport t = session.getTransport("smtp")) {
            t.connect();
            MimeMessage m = SyntheticReports.aggregateMail(session, "dmarc@reports.example.com", reportId, records);
            t.sendMessage(m, m.getAllRecipients());
        }
    }

    private Process serve(Path data, int smtpPort) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "serve", "--data", data.toString(), "--smtp-listen", "127.0.0.1:" + smtpPort,
                "--web-listen", "127.0.0.1:0", "--recipients", "reports.example.com", "--offline");
        File log = dir.resolve("serve.log").toFile();
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
                    throw new AssertionError("serve did not start listening: "
                            + Files.readString(dir.resolve("serve.log")));
                }
                Thread.sleep(50);
            }
        }
    }

    private static void awaitTrue(Supplier<Boolean> condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(250);
        }
    }

}
