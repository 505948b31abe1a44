package io.dmarclens.ingest.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.demo.SyntheticReports;
import io.dmarclens.store.ingestlog.IngestLogEntry;
import io.dmarclens.store.ingestlog.IngestStatus;
import io.dmarclens.ingest.testing.IngestHarness;
import io.dmarclens.ingest.testing.ReportIdProcessor;
import io.dmarclens.ingest.testing.SmtpSender;
import io.dmarclens.ingest.testing.TestCertificates;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real SMTP sessions (Jakarta Mail, raw sockets) against the receiver and its durable inbox. */
class SmtpReceiverTest {
    private static final String RCPT = "dmarc@reports.example.com";

    @TempDir
    Path dir;
    private IngestHarness ingest;
    private ReportIdProcessor processor;
    private SmtpReceiver receiver;

    @BeforeEach
    void setUp() throws Exception {
        processor = new ReportIdProcessor();
        ingest = new IngestHarness(dir.resolve("data"), processor);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (receiver != null) {
            receiver.close();
        }
        ingest.close();
    }

    private SmtpReceiver start(SmtpSettings settings) throws Exception {
        receiver = SmtpReceiver.start(settings.withListen("127.0.0.1", 0), ingest.intake);
        return receiver;
    }

    private SmtpSettings settings() {
        return SmtpSettings.defaults().withRecipients(List.of("dmarc@reports.example.com", "tls.example.org"));
    }

    @Test
    void reportsSentOverSmtpAreProcessedOnceEach() throws Exception {
        start(settings());
        try (SmtpSender smtp = new SmtpSender(receiver.port())) {
            for (int i = 0; i < 5; i++) {
                smtp.send(SyntheticReports.aggregateMail(smtp.session(), RCPT, "r" + i, 50));
            }
            smtp.send(SyntheticReports.aggregateMail(smtp.session(), "any@TLS.example.org", "r0", 50));
        }
        assertEquals(5, ingest.settled(IngestStatus.STORED));
        assertEquals(1, ingest.settled(IngestStatus.DUPLICATE));
        assertEquals(5, processor.seen.size());
        IngestLogEntry entry = ingest.log.page(null, 0, 10).entries().get(0);
        assertEquals("127.0.0.1", entry.origin().detail("peer"));
        assertEquals("noreply-dmarc@reporter.example", entry.origin().detail("mail_from"));
        assertEquals("any@TLS.example.org", entry.origin().detail("rcpt_to"));
        assertFalse(entry.origin().detail("helo").isEmpty());
        assertTrue(entry.size() > 1000, "size " + entry.size());
        assertInboxEmpty();
    }

    @Test
    void unknownRecipientGets550AndNothingIsStored() throws Exception {
        start(settings());
        try (SmtpSender smtp = new SmtpSender(receiver.port())) {
            MimeMessage message = SyntheticReports.aggregateMail(smtp.session(), "postmaster@elsewhere.example", "x", 1);
            SendFailedException e = assertThrows(SendFailedException.class, () -> smtp.send(message));
            SMTPAddressFailedException refused = (SMTPAddressFailedException) e.getNextException();
            assertEquals(550, refused.getReturnCode());
        }
        assertEquals(0, ingest.log.page(null, 0, 10).total());
        assertInboxEmpty();
    }

    @Test
    void oversizeMessageGets552WhileTheConnectionStaysUsable() throws Exception {
        start(settings().withMaxMessageSize(64 * 1024));
        try (SmtpSender smtp = new SmtpSender(receiver.port(), props("mail.smtp.ehlo", "false"))) {
            // HELO, not EHLO: the client cannot see SIZE and sends the whole message, so the limit is
            // enforced while streaming DATA.
            MimeMessage big = SyntheticReports.plainMail(smtp.session(), RCPT, "x".repeat(200_000));
            SMTPSendFailedException e = assertThrows(SMTPSendFailedException.class, () -> smtp.send(big));
            assertEquals(552, e.getReturnCode());
            smtp.send(SyntheticReports.aggregateMail(smtp.session(), RCPT, "after-big", 3));
        }
        assertEquals(1, ingest.settled(IngestStatus.STORED));
        assertEquals(1, ingest.log.countByStatus().get(IngestStatus.REJECTED));
        assertInboxEmpty();
    }

    @Test
    void declaredSizeOverTheLimitIsRefusedAtMailFrom() throws Exception {
        start(settings().withMaxMessageSize(64 * 1024));
        try (SmtpSender smtp = new SmtpSender(receiver.port())) {
            MimeMessage big = SyntheticReports.plainMail(smtp.session(), RCPT, "x".repeat(200_000));
            MessagingException e = assertThrows(MessagingException.class, () -> smtp.send(big));
            assertTrue(e.getMessage().startsWith("552") || String.valueOf(e.getNextException()).contains("552"),
                    e.toString());
        }
        assertEquals(0, ingest.settled(IngestStatus.STORED));
    }

    @Test
    void startTlsWithAPemCertificateAndRequiredTls() throws Exception {
        TestCertificates cert = TestCertificates.localhost(dir);
        start(settings().withTls(cert.certificate, cert.key, true));
        Properties tls = props("mail.smtp.starttls.enable", "true");
        tls.put("mail.smtp.starttls.required", "true");
        tls.put("mail.smtp.ssl.trust", "127.0.0.1");
        tls.put("mail.smtp.ssl.checkserveridentity", "false");
        try (SmtpSender smtp = new SmtpSender(receiver.port(), tls)) {
            smtp.send(SyntheticReports.aggregateMail(smtp.session(), RCPT, "over-tls", 5));
        }
        try (SmtpSender plain = new SmtpSender(receiver.port())) {
            MimeMessage message = SyntheticReports.aggregateMail(plain.session(), RCPT, "plain", 5);
            MessagingException e = assertThrows(MessagingException.class, () -> plain.send(message));
            assertTrue(e.toString().contains("530"), e.toString());
        }
        assertEquals(1, ingest.settled(IngestStatus.STORED));
        assertEquals(1, processor.seen.size());
    }

    @Test
    void manyConcurrentClients() throws Exception {
        start(settings());
        int clients = 16;
        int each = 10;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            done.add(pool.submit(() -> {
                try (SmtpSender smtp = new SmtpSender(receiver.port())) {
                    for (int i = 0; i < each; i++) {
                        smtp.send(SyntheticReports.aggregateMail(smtp.session(), RCPT, "c" + client + "-" + i, 20));
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        assertEquals(clients * each, ingest.settled(IngestStatus.STORED));
        assertEquals(clients * each, processor.seen.size());
        assertTrue(processor.seen.values().stream().allMatch(n -> n.get() == 1));
        assertInboxEmpty();
    }

    @Test
    void clientDroppingMidDataLeavesNothingBehind() throws Exception {
        start(settings());
        try (Socket socket = new Socket("127.0.0.1", receiver.port())) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            expect(in, "220");
            command(out, in, "HELO dropper.example", "250");
            command(out, in, "MAIL FROM:<a@dropper.example>", "250");
            command(out, in, "RCPT TO:<" + RCPT + ">", "250");
            command(out, in, "DATA", "354");
            out.write(("Subject: Report-ID: dropped\r\n\r\n" + "half a message\r\n".repeat(5000))
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        // The receiver is still fine, and the dropped message left no trace.
        try (SmtpSender smtp = new SmtpSender(receiver.port())) {
            smtp.send(SyntheticReports.aggregateMail(smtp.session(), RCPT, "complete", 5));
        }
        assertEquals(1, ingest.settled(IngestStatus.STORED));
        assertEquals(1, ingest.log.page(null, 0, 10).total());
        assertFalse(processor.seen.containsKey("dropped"));
        assertInboxEmpty();
    }

    @Test
    void messageWithoutReportIsQuarantinedWithItsReason() throws Exception {
        start(settings());
        try (SmtpSender smtp = new SmtpSender(receiver.port())) {
            smtp.send(SyntheticReports.plainMail(smtp.session(), RCPT, "Hello, is this the DMARC desk?"));
        }
        assertEquals(1, ingest.settled(IngestStatus.QUARANTINED));
        IngestLogEntry entry = ingest.quarantine.list(0, 10).entries().get(0);
        assertEquals("no Report-ID in the subject", entry.detail());
        assertTrue(ingest.quarantine.get(entry.id()).isPresent());
        try (var in = ingest.quarantine.open(entry.id())) {
            assertTrue(new String(in.readAllBytes(), StandardCharsets.UTF_8).contains("DMARC desk"));
        }
    }

    @Test
    void inboxWriteFailureGets451AndTheNextTrySucceeds() throws Exception {
        start(settings());
        Path tmp = ingest.dataDir.resolve("inbox/tmp");
        Files.delete(tmp);
        Files.writeString(tmp, "a file where the inbox directory should be"); // writes fail, even as root
        try (SmtpSender smtp = new SmtpSender(receiver.port())) {
            MimeMessage message = SyntheticReports.aggregateMail(smtp.session(), RCPT, "later", 5);
            SMTPSendFailedException e = assertThrows(SMTPSendFailedException.class, () -> smtp.send(message));
            assertEquals(451, e.getReturnCode());
            Files.delete(tmp);
            Files.createDirectory(tmp);
            smtp.send(message);
        }
        assertEquals(1, ingest.settled(IngestStatus.STORED));
        assertEquals(1, ingest.log.countByStatus().get(IngestStatus.REJECTED));
    }

    private void assertInboxEmpty() throws Exception {
        for (String sub : List.of("inbox/tmp", "inbox/new")) {
            try (Stream<Path> files = Files.list(ingest.dataDir.resolve(sub))) {
                assertEquals(List.of(), files.toList(), sub);
            }
        }
    }

    private static Properties props(String key, String value) {
        Properties p = new Properties();
        p.put(key, value);
        return p;
    }

    private static void command(OutputStream out, BufferedReader in, String line, String code) throws Exception {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        expect(in, code);
    }

    private static void expect(BufferedReader in, String code) throws Exception {
        String line;
        do {
            line = in.readLine();
            assertTrue(line != null && line.startsWith(code), "expected " + code + " but got " + line);
        } while (line.charAt(3) == '-');
    }
}
