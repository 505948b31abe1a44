package io.dmarclens.ingest.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.demo.SyntheticReports;
import io.dmarclens.ingest.testing.Dovecot;
import io.dmarclens.ingest.testing.IngestHarness;
import io.dmarclens.ingest.testing.ReportIdProcessor;
import io.dmarclens.ingest.testing.TestCertificates;
import io.dmarclens.store.ingestlog.IngestStatus;
import jakarta.mail.Message;
import jakarta.mail.Session;
import io.dmarclens.ingest.inbox.MessageProcessor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The poller against Debian's Dovecot in its default configuration (see {@link Dovecot}), as a new user
 * would run it: the default archive folders on Dovecot's "." separator, STARTTLS and IMAPS, a restart of
 * Dovecot in the middle of a batch, and a folder the server refuses. Skipped when Dovecot is not installed.
 */
class DovecotPollerTest {
    @TempDir
    Path dir;
    private TestCertificates certificate;
    private Dovecot dovecot;

    @BeforeAll
    static void dovecotInstalled() {
        Dovecot.assumeInstalled();
    }

    @BeforeEach
    void start() throws Exception {
        certificate = TestCertificates.localhost(dir);
    }

    @AfterEach
    void stop() throws Exception {
        if (dovecot != null) {
            dovecot.close();
        }
    }

    private ImapAccount account(int port, ImapAccount.Security security, int batch) {
        // No name: the default must read well for a user that is an address.
        return new ImapAccount(null, "localhost", port, security, Dovecot.USER, Dovecot.PASSWORD, null, "INBOX",
                Duration.ofMillis(500), true, batch, ImapAccount.AfterImport.MOVE, ImapAccount.ArchiveFolders.defaults(),
                1024 * 1024).withTrustedCertificates(certificate.certificate);
    }

    private void deliverReports(String prefix, int count) throws Exception {
        Session session = Session.getInstance(new Properties());
        Message[] mails = new Message[count];
        for (int i = 0; i < count; i++) {
            mails[i] = SyntheticReports.aggregateMail(session, Dovecot.USER, prefix + i, 5);
        }
        dovecot.deliver("INBOX", mails);
    }

    @Test
    void starttlsWithTheDefaultArchiveFoldersOnDovecotsSeparator() throws Exception {
        dovecot = Dovecot.start(certificate);
        deliverReports("starttls-", 5);
        dovecot.deliver("INBOX", SyntheticReports.plainMail(Session.getInstance(new Properties()), Dovecot.USER,
                "not a report"));
        ReportIdProcessor processor = new ReportIdProcessor();
        ImapAccount account = account(dovecot.imapPort(), ImapAccount.Security.STARTTLS, 10);
        assertEquals("dmarc@localhost", account.name());
        try (IngestHarness ingest = new IngestHarness(dir.resolve("data"), processor);
             ImapPoller poller = new ImapPoller(account, ingest.intake, Duration.ofSeconds(10)).start()) {
            await(() -> poller.archived() >= 6, "all six mails archived", poller);
            assertEquals(5, ingest.settled(IngestStatus.STORED));
            assertEquals(1, ingest.settled(IngestStatus.QUARANTINED));
            assertEquals(1, poller.connects(), poller.lastFailure().orElse(""));
        }
        var folders = dovecot.folderCounts();
        assertEquals(0, folders.get("INBOX"), folders.toString());
        assertEquals(5, folders.get("Archive.Aggregate"), folders.toString());
        assertEquals(5, folders.get("Archive.Aggregate seen"), "archived mail is seen: " + folders);
        assertEquals(1, folders.get("Archive.Invalid"), folders.toString());
        assertEquals(1, folders.get("Archive.Invalid seen"), folders.toString());
        assertEquals(5, processor.seen.size());
    }

    @Test
    void mboxAsDebianKeepsItWithItsSlashSeparatorAndATooLargeMailReadAgainOnceTheLimitIsRaised() throws Exception {
        dovecot = Dovecot.start(certificate, Dovecot.Storage.MBOX);
        Session session = Session.getInstance(new Properties());
        jakarta.mail.internet.MimeMessage large = SyntheticReports.aggregateMail(session, Dovecot.USER, "large", 400);
        jakarta.mail.internet.MimeMessage small = SyntheticReports.aggregateMail(session, Dovecot.USER, "small", 2);
        long limit = (size(large) + size(small)) / 2;
        assertTrue(size(small) < limit && limit < size(large));
        dovecot.deliver("INBOX", large, small);
        ReportIdProcessor processor = new ReportIdProcessor();
        ImapAccount account = account(dovecot.imapPort(), ImapAccount.Security.STARTTLS, 10).withMaxMessageSize(limit);
        try (IngestHarness ingest = new IngestHarness(dir.resolve("data"), processor)) {
            try (ImapPoller poller = new ImapPoller(account, ingest.intake, Duration.ofSeconds(10)).start()) {
                await(() -> poller.archived() >= 2, "both mails archived", poller);
            }
            var folders = dovecot.folderCounts();
            assertEquals(1, folders.get("Archive/Aggregate"), folders.toString());
            assertEquals(1, folders.get("Archive/Invalid"), folders.toString());
            assertEquals(1, ingest.settled(IngestStatus.QUARANTINED));
            try (ImapPoller poller = new ImapPoller(account.withMaxMessageSize(1 << 20), ingest.intake,
                    Duration.ofSeconds(10)).start()) {
                await(() -> processor.seen.containsKey("large") && poller.archived() >= 1, "the large mail read", poller);
            }
            assertEquals(2, ingest.settled(IngestStatus.STORED));
        }
        var folders = dovecot.folderCounts();
        assertEquals(0, folders.get("INBOX"), folders.toString());
        assertEquals(2, folders.get("Archive/Aggregate"), folders.toString());
        assertEquals(2, folders.get("Archive/Aggregate seen"), folders.toString());
        assertEquals(0, folders.get("Archive/Invalid"), folders.toString());
    }

    @Test
    void imapsThroughARestartOfDovecotInTheMiddleOfABatch() throws Exception {
        dovecot = Dovecot.start(certificate);
        deliverReports("restart-", 24);
        ReportIdProcessor processor = new ReportIdProcessor();
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch gate = new CountDownLatch(1);
        // The third batch (restart-8 to restart-11) is read and waits for restart-8 to be stored: mid-batch.
        MessageProcessor held = (m, data) -> {
            if (Files.readString(data, StandardCharsets.ISO_8859_1).matches("(?s).*Report-ID:\\s+restart-8\\s.*")) {
                reached.countDown();
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.IOException(e);
                }
            }
            return processor.process(m, data);
        };
        try (IngestHarness ingest = new IngestHarness(dir.resolve("data"), held);
             ImapPoller poller = new ImapPoller(account(dovecot.imapsPort(), ImapAccount.Security.IMAPS, 4),
                     ingest.intake, Duration.ofSeconds(10)).start()) {
            assertTrue(reached.await(60, TimeUnit.SECONDS), "the third batch was read");
            dovecot.stop(); // every session ends while the poller waits to archive its batch
            gate.countDown();
            dovecot.start();
            await(() -> poller.archived() >= 24 && processor.seen.size() >= 24, "every mail archived", poller);
            assertEquals(24, ingest.settled(IngestStatus.STORED));
            assertTrue(poller.connects() >= 2, "reconnected after the restart");
        }
        assertTrue(processor.seen.values().stream().allMatch(n -> n.get() == 1), "each stored once: " + processor.seen);
        var folders = dovecot.folderCounts();
        assertEquals(0, folders.get("INBOX"), folders.toString());
        assertEquals(24, folders.get("Archive.Aggregate"), "each archived once: " + folders);
    }

    @Test
    void aFolderTheServerRefusesIsLoggedWithItsReasonAndTheReconnectsBackOff() throws Exception {
        dovecot = Dovecot.start(certificate);
        deliverReports("refused-", 2);
        ReportIdProcessor processor = new ReportIdProcessor();
        ImapAccount.ArchiveFolders refused = new ImapAccount.ArchiveFolders("~Reports", "Archive/Failure",
                "Archive/TLS", "Archive/Invalid");
        ImapAccount base = account(dovecot.imapPort(), ImapAccount.Security.STARTTLS, 10);
        ImapAccount account = new ImapAccount(base.name(), base.host(), base.port(), base.security(), base.user(),
                base.password(), null, "INBOX", base.pollInterval(), true, 10, ImapAccount.AfterImport.MOVE, refused,
                base.maxMessageSize(), base.trustedCertificates());
        long loginsBefore = dovecot.logins();
        try (IngestHarness ingest = new IngestHarness(dir.resolve("data"), processor);
             ImapPoller poller = new ImapPoller(account, ingest.intake, Duration.ofSeconds(10)).start()) {
            await(() -> poller.lastFailure().isPresent(), "the first cycle failed", poller);
            String why = poller.lastFailure().orElseThrow();
            assertTrue(why.contains("refused to create the archive folder ~Reports: [CANNOT] Invalid mailbox name"),
                    "the server's own reason: " + why);
            long firstFailure = System.nanoTime();
            Thread.sleep(6000);
            // Back-off 1 s, 2 s, 4 s: at most four logins in these six seconds (it was one or two a second).
            long logins = poller.connects();
            assertTrue(logins <= 4, logins + " logins in " + (System.nanoTime() - firstFailure) / 1_000_000 + " ms");
            assertEquals(2, ingest.settled(IngestStatus.STORED));
        }
        assertTrue(dovecot.logins() - loginsBefore <= 4, dovecot.log());
        assertEquals(2, dovecot.folderCounts().get("INBOX"), "nothing archived, nothing lost");
        assertTrue(processor.seen.values().stream().allMatch(n -> n.get() == 1), processor.seen.toString());
    }

    @Test
    void killDashNineOfDmarcLensInTheMiddleOfABatchStoresAndArchivesEveryReportOnce() throws Exception {
        dovecot = Dovecot.start(certificate);
        int reports = 120; // 15 batches: room to try again when a kill lands between two
        long t0 = System.nanoTime();
        deliverReports("kill-", reports);
        Path data = dir.resolve("data");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Map<String, Integer> folders = dovecot.folderCounts();
        // Batches of 8: killed once a batch is archived and the next is being read (in the ingest log). The kill can
        // land just after that batch was archived too: then the reader is started again and killed in a later batch.
        for (int attempt = 1; ; attempt++) {
            String name = "first" + attempt;
            Process first = reader(data, name);
            int archivedBefore = folders.getOrDefault("Archive.Aggregate", 0);
            int archivedFirst = attempt == 1 ? 8 : archivedBefore + 1;
            while (folders.getOrDefault("Archive.Aggregate", 0) < archivedFirst
                    || read(data) <= folders.getOrDefault("Archive.Aggregate", 0)) {
                assertTrue(first.isAlive() && System.nanoTime() < deadline, "a batch archived: " + log(name));
                Thread.sleep(5);
                folders = dovecot.folderCounts();
            }
            System.out.printf("dovecot kill test: batch archived at %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            first.destroyForcibly(); // SIGKILL: no shutdown hook, nothing graceful
            assertTrue(first.waitFor(10, TimeUnit.SECONDS));
            folders = dovecot.folderCounts();
            assertTrue(folders.get("INBOX") > 0, "killed before the mailbox was empty: " + folders);
            int archivedAtKill = folders.get("Archive.Aggregate");
            int readAtKill = read(data);
            System.out.printf("dovecot kill test: killed with %d mails read, %d archived%n", readAtKill, archivedAtKill);
            if (readAtKill > archivedAtKill) {
                break;
            }
            assertTrue(attempt < 5, "killed in the middle of a batch in 5 tries");
        }

        Process second = reader(data, "second");
        try {
            while (folders.get("INBOX") > 0 || folders.getOrDefault("Archive.Aggregate", 0) < reports) {
                assertTrue(second.isAlive() && System.nanoTime() < deadline + Duration.ofSeconds(60).toNanos(),
                        "the restarted reader emptied the mailbox: " + folders + "\n" + log("second"));
                Thread.sleep(50);
                folders = dovecot.folderCounts();
            }
            System.out.printf("dovecot kill test: mailbox emptied at %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        } finally {
            second.destroy(); // SIGTERM: graceful
            assertTrue(second.waitFor(60, TimeUnit.SECONDS));
            System.out.printf("dovecot kill test: reader stopped at %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        }
        assertEquals(reports, folders.get("Archive.Aggregate"), "each archived once: " + folders);
        assertEquals(reports, folders.get("Archive.Aggregate seen"), folders.toString());
        Map<String, Integer> stored = new java.util.HashMap<>();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + data.resolve("dmarc-lens.db"));
             java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT report_id, count(*) FROM aggregate_report GROUP BY report_id")) {
            while (rs.next()) {
                stored.put(rs.getString(1), rs.getInt(2));
            }
        }
        assertEquals(reports, stored.size(), "every report stored: " + stored.keySet());
        assertTrue(stored.values().stream().allMatch(n -> n == 1), "no report stored twice: " + stored);
    }

    /** Mails the reader has taken into its inbox (each has an ingest log entry). */
    private static int read(Path data) throws java.sql.SQLException {
        return count(data.resolve("ingest.db"), "SELECT count(DISTINCT source_key) FROM ingest_log");
    }

    private static int count(Path db, String sql) throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
             java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private Process reader(Path data, String name) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m",
                "-D" + io.dmarclens.store.Clocks.SHIFT_PROPERTY + "="
                        + System.getProperty(io.dmarclens.store.Clocks.SHIFT_PROPERTY, ""),
                "-cp", System.getProperty("java.class.path"), ImapReaderProcess.class.getName(), data.toString(),
                Integer.toString(dovecot.imapsPort()), certificate.certificate.toString(), Dovecot.USER,
                Dovecot.PASSWORD, "8");
        pb.redirectErrorStream(true).redirectOutput(dir.resolve("reader-" + name + ".log").toFile());
        return pb.start();
    }

    private String log(String name) {
        try {
            return Files.readString(dir.resolve("reader-" + name + ".log"));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private static long size(jakarta.mail.internet.MimeMessage m) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        m.writeTo(out);
        return out.size();
    }

    private static void await(BooleanSupplier condition, String what, ImapPoller poller) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what + "; last failure: "
                        + poller.lastFailure().orElse("none"));
            }
            Thread.sleep(20);
        }
    }
}
