package io.dmarclens.ingest.e2e;

import io.dmarclens.index.ingestlog.SqliteIngestLog;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.dmarclens.demo.SyntheticReports;
import io.dmarclens.index.EmbeddedStore;
import io.dmarclens.ingest.IngestService;
import io.dmarclens.ingest.IngestSettings;
import io.dmarclens.ingest.PipelineProcessor;
import io.dmarclens.ingest.enrich.EnrichmentSettings;
import io.dmarclens.ingest.imap.ImapAccount;
import io.dmarclens.ingest.imap.ImapPoller;
import io.dmarclens.store.ingestlog.IngestStatus;
import io.dmarclens.ingest.pipeline.PipelineSetup;
import io.dmarclens.ingest.smtp.SmtpSettings;
import io.dmarclens.ingest.testing.SmtpSender;
import io.dmarclens.parser.ReportParser;
import io.dmarclens.store.CommitMode;
import io.dmarclens.store.Store;
import io.dmarclens.testkit.Corpus;
import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.dmarclens.store.Clocks;

/**
 * The whole receive path with the real parser, pipeline and store: the sample reports sent over SMTP
 * (twice) and read from an IMAP mailbox end up in the store exactly once, just as when imported directly.
 */
class EndToEndTest {
    private static final String RCPT = "dmarc@reports.example.com";
    private static final EnrichmentSettings OFFLINE = new EnrichmentSettings(true, null, List.of(), null, List.of());

    @TempDir
    Path dir;

    @Test
    void sampleReportsSentOverSmtpTwiceAreStoredOnceLikeADirectImport() throws Exception {
        List<Path> samples = samples();
        Map<String, Long> expected = importDirectly(samples, dir.resolve("direct"));
        assertTrue(expected.get("aggregate_report") > 10, expected.toString());

        Path data = dir.resolve("smtp");
        try (Running r = Running.start(data, SmtpSettings.defaults().withListen("127.0.0.1", 0)
                .withRecipients(List.of(RCPT)), List.of())) {
            int port = r.ingest.smtp().orElseThrow().port();
            // The same bytes twice, as an MTA retrying a delivery sends them: the mails are built (and
            // their Message-ID fixed) once.
            Session session = Session.getInstance(new Properties());
            List<MimeMessage> mails = new java.util.ArrayList<>();
            for (Path sample : samples) {
                MimeMessage m = asMail(session, sample);
                m.saveChanges();
                mails.add(m);
            }
            for (int round = 0; round < 2; round++) {
                try (SmtpSender smtp = new SmtpSender(port)) {
                    for (MimeMessage m : mails) {
                        smtp.send(m);
                    }
                }
            }
            assertTrue(r.ingest.awaitIdle(Duration.ofSeconds(60)));
            Map<IngestStatus, Long> statuses = r.ingest.log().countByStatus();
            assertEquals(2L * samples.size(), statuses.get(IngestStatus.STORED) + statuses.get(IngestStatus.DUPLICATE)
                    + statuses.get(IngestStatus.QUARANTINED), statuses.toString());
            // The second round finds every report stored already.
            var secondRound = r.ingest.log().page(null, 0, samples.size()).entries();
            for (var e : secondRound) {
                assertTrue(e.status() != IngestStatus.STORED || e.reports() == 0,
                        "stored again: " + e + " of " + secondRound);
            }
        }
        assertEquals(expected, counts(data.resolve("dmarc-lens.db")));
        // #14: the source the dashboard shows is the message id, never the server's path of the inbox file
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("dmarc-lens.db"));
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name FROM source_file")) {
            int names = 0;
            while (rs.next()) {
                String name = rs.getString(1);
                assertFalse(name.contains("/") || name.contains("inbox") || name.contains(dir.toString()), name);
                names++;
            }
            assertTrue(names > 10, names + " sources");
        }
    }

    @Test
    void anImapMailboxIsEmptiedIntoTheStoreAndArchived() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        GreenMail greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_IMAP));
        greenMail.start();
        try {
            GreenMailUser user = greenMail.setUser(RCPT, "dmarc", "secret");
            Session session = Session.getInstance(new Properties());
            for (int i = 0; i < 20; i++) {
                user.deliver(SyntheticReports.aggregateMail(session, RCPT, "imap-e2e-" + i, 50));
            }
            for (Path sample : samples()) {
                user.deliver(asMail(session, sample));
            }
            user.deliver(SyntheticReports.plainMail(session, RCPT, "not a report"));
            ImapAccount account = new ImapAccount("e2e", "127.0.0.1", port, ImapAccount.Security.NONE, "dmarc", "secret",
                    null, "INBOX", Duration.ofSeconds(1), true, 10, ImapAccount.AfterImport.MOVE,
                    ImapAccount.ArchiveFolders.defaults(), 50L << 20);
            Path data = dir.resolve("imap");
            int total = 20 + samples().size() + 1;
            try (Running r = Running.start(data, disabledSmtp(), List.of(account))) {
                ImapPoller poller = r.ingest.imapPollers().get(0);
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (poller.archived() < total && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertEquals(total, poller.archived());
                assertTrue(r.ingest.quarantine().list(0, 100).total() >= 1);
            }
            Map<String, Long> counts = counts(data.resolve("dmarc-lens.db"));
            Map<String, Long> direct = importDirectly(samples(), dir.resolve("direct"));
            assertEquals(direct.get("aggregate_report") + 20, counts.get("aggregate_report"));
            assertEquals(direct.get("failure_report"), counts.get("failure_report"));
            assertEquals(direct.get("tls_report"), counts.get("tls_report"));
        } finally {
            greenMail.stop();
        }
    }

    /** The store, pipeline and ingest side as {@code serve} wires them. */
    private record Running(Store store, PipelineSetup pipeline, IngestService ingest) implements AutoCloseable {
        static Running start(Path data, SmtpSettings smtp, List<ImapAccount> imap) throws Exception {
            Files.createDirectories(data);
            Store store = EmbeddedStore.open(data);
            PipelineSetup pipeline = PipelineSetup.open(store, new ReportParser()::parse, OFFLINE, CommitMode.GROUPED,
                    Clocks.system());
            IngestService ingest = IngestService.start(data, SqliteIngestLog.open(data), new IngestSettings(2, smtp, imap),
                    PipelineProcessor.grouped(pipeline.pipeline(), store));
            return new Running(store, pipeline, ingest);
        }

        @Override
        public void close() throws Exception {
            ingest.close();
            pipeline.close();
            store.close();
        }
    }

    private static SmtpSettings disabledSmtp() {
        SmtpSettings d = SmtpSettings.defaults();
        return new SmtpSettings(false, d.host(), d.port(), d.hostName(), d.recipients(), d.maxMessageSize(),
                d.maxConnections(), d.readTimeout(), null, null, false, d.limits());
    }

    private static Map<String, Long> importDirectly(List<Path> samples, Path data) throws Exception {
        Files.createDirectories(data);
        try (Store store = EmbeddedStore.open(data);
             PipelineSetup pipeline = PipelineSetup.open(store, new ReportParser()::parse, OFFLINE,
                     CommitMode.EACH_REPORT, Clocks.system())) {
            for (Path sample : samples) {
                pipeline.pipeline().importFile("file:" + sample.getFileName(), sample);
            }
        }
        return counts(data.resolve("dmarc-lens.db"));
    }

    private static List<Path> samples() throws Exception {
        try (Stream<Path> files = Files.walk(Corpus.sampleReports())) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> Stream.of("aggregate", "failure", "tls")
                            .anyMatch(k -> p.getParent().getFileName().toString().equals(k)))
                    .sorted().toList();
        }
    }

    /** A sample as a report sender would mail it: .eml files as they are, other files attached. */
    private static MimeMessage asMail(Session session, Path sample) throws Exception {
        if (sample.toString().endsWith(".eml")) {
            try (InputStream in = Files.newInputStream(sample)) {
                MimeMessage m = new MimeMessage(session, in);
                m.setRecipient(Message.RecipientType.TO, new InternetAddress(RCPT));
                return m;
            }
        }
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress("noreply@reporter.example"));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(RCPT));
        m.setSubject("Report " + sample.getFileName());
        MimeBodyPart part = new MimeBodyPart();
        part.setDataHandler(new DataHandler(new ByteArrayDataSource(Files.readAllBytes(sample), "application/octet-stream")));
        part.setFileName(sample.getFileName().toString());
        m.setContent(new MimeMultipart(part));
        m.saveChanges();
        return m;
    }

    private static Map<String, Long> counts(Path db) throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            for (String table : List.of("aggregate_report", "aggregate_record", "failure_report", "tls_report")) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
                    rs.next();
                    counts.put(table, rs.getLong(1));
                }
            }
        }
        return counts;
    }
}
