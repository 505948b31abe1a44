package io.dmarclens.ingest.imap;

import io.dmarclens.testing.LoopbackPorts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.dmarclens.demo.SyntheticReports;
import io.dmarclens.store.ingestlog.IngestStatus;
import io.dmarclens.ingest.testing.IngestHarness;
import io.dmarclens.ingest.testing.ReportIdProcessor;
import io.dmarclens.ingest.testing.TcpProxy;
import io.dmarclens.ingest.testing.TestCertificates;
import io.dmarclens.ingest.testing.TlsFront;
import jakarta.mail.Folder;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The poller's TLS and OAuth2 logins against a real IMAP server (GreenMail) behind real TLS: IMAPS,
 * STARTTLS, and SASL XOAUTH2, with the server's certificate trusted through the account's own PEM file
 * (no global trust change), and refused when it is not trusted or does not name the host.
 */
class ImapPollerTlsTest {
    private static final String LOGIN = "dmarc";
    private static final String PASSWORD = "secret";
    private static final String TOKEN = "ya29.test-access-token";
    private static final int REPORTS = 3;

    @TempDir
    Path dir;
    private int imapPort;
    private GreenMail greenMail;
    private GreenMailUser user;
    private TestCertificates certificate;

    @BeforeEach
    void start() throws Exception {
        imapPort = LoopbackPorts.free();
        greenMail = new GreenMail(new ServerSetup(imapPort, "127.0.0.1", ServerSetup.PROTOCOL_IMAP));
        greenMail.start();
        certificate = TestCertificates.localhost(dir);
    }

    @AfterEach
    void stop() {
        greenMail.stop();
    }

    private void mailbox(String secret) throws Exception {
        user = greenMail.setUser("dmarc@example.com", LOGIN, secret);
        Session session = Session.getInstance(new Properties());
        for (int i = 0; i < REPORTS; i++) {
            user.deliver(SyntheticReports.aggregateMail(session, "dmarc@example.com", "tls-" + i, 5));
        }
    }

    private static ImapAccount account(String host, int port, ImapAccount.Security security) {
        return new ImapAccount("tls", host, port, security, LOGIN, PASSWORD, null, "INBOX", Duration.ofMillis(500),
                true, 10, ImapAccount.AfterImport.MOVE, ImapAccount.ArchiveFolders.defaults(), 1024 * 1024);
    }

    @Test
    void imapsWithTheAccountsTrustedCertificateEmptiesTheMailbox() throws Exception {
        mailbox(PASSWORD);
        try (TlsFront front = new TlsFront(TlsFront.Mode.IMPLICIT_TLS, certificate.serverContext(), imapPort)) {
            ImapAccount account = account("localhost", front.port(), ImapAccount.Security.IMAPS)
                    .withTrustedCertificates(certificate.certificate);
            assertEmptied(account);
            assertTrue(front.handshakes() >= 1);
            assertTrue(front.sentInsideTls().contains(" LOGIN " + LOGIN + " " + PASSWORD), "logged in inside TLS");
        }
    }

    @Test
    void starttlsUpgradesBeforeTheLoginAndEmptiesTheMailbox() throws Exception {
        mailbox(PASSWORD);
        try (TlsFront front = new TlsFront(TlsFront.Mode.STARTTLS, certificate.serverContext(), imapPort)) {
            ImapAccount account = account("localhost", front.port(), ImapAccount.Security.STARTTLS)
                    .withTrustedCertificates(certificate.certificate);
            assertEmptied(account);
            assertTrue(front.handshakes() >= 1);
            // In the clear the poller only asked for TLS: no credentials before the handshake.
            assertFalse(front.linesBeforeTls().isEmpty());
            assertTrue(front.linesBeforeTls().stream().allMatch(l -> l.matches("\\S+ (STARTTLS|CAPABILITY)")),
                    front.linesBeforeTls().toString());
            assertTrue(front.sentInsideTls().contains(" LOGIN " + LOGIN + " " + PASSWORD), "logged in inside TLS");
        }
    }

    @Test
    void anAccessTokenLogsInWithSaslXoauth2() throws Exception {
        mailbox(TOKEN); // GreenMail checks an XOAUTH2 bearer token as the user's password
        try (TlsFront front = new TlsFront(TlsFront.Mode.IMPLICIT_TLS, certificate.serverContext(), imapPort)) {
            ImapAccount account = account("localhost", front.port(), ImapAccount.Security.IMAPS)
                    .withTrustedCertificates(certificate.certificate).withAccessToken(TOKEN);
            assertEmptied(account);
            String sent = front.sentInsideTls();
            Matcher m = Pattern.compile("AUTHENTICATE XOAUTH2(?: |\\r\\n)([A-Za-z0-9+/=]+)\\r\\n").matcher(sent);
            assertTrue(m.find(), "an AUTHENTICATE XOAUTH2 command: " + sent);
            // RFC 7628 / Google's XOAUTH2: user=<login>^Aauth=Bearer <token>^A^A
            assertEquals("user=" + LOGIN + "\u0001auth=Bearer " + TOKEN + "\u0001\u0001",
                    new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.UTF_8));
            assertFalse(sent.contains(" LOGIN "), "the token is never sent as a LOGIN password");
        }
    }

    @Test
    void aWrongAccessTokenIsRefusedAndNothingIsRead() throws Exception {
        mailbox(TOKEN);
        try (TlsFront front = new TlsFront(TlsFront.Mode.IMPLICIT_TLS, certificate.serverContext(), imapPort)) {
            ImapAccount account = account("localhost", front.port(), ImapAccount.Security.IMAPS)
                    .withTrustedCertificates(certificate.certificate).withAccessToken("ya29.expired");
            // A fixed token cannot be renewed: once refused it is not sent again (the account reports why).
            ReportIdProcessor processor = new ReportIdProcessor();
            String why;
            try (IngestHarness ingest = new IngestHarness(dir.resolve("data"), processor);
                 ImapPoller poller = new ImapPoller(account, ingest.intake, Duration.ofSeconds(30)).start()) {
                await(() -> poller.lastFailure().orElse("").contains("no way to get another"),
                        "a later round that did not send the refused token again");
                assertEquals(0, poller.connects());
                assertEquals(0, poller.archived());
                why = poller.lastFailure().orElseThrow();
            }
            assertEquals(1, front.connections(), "one login with the token, none after its refusal");
            assertTrue(why.contains("refused"), why);
            assertTrue(processor.seen.isEmpty());
            assertEquals(REPORTS, count("INBOX"), "the mailbox is untouched");
            assertTrue(front.sentInsideTls().contains("AUTHENTICATE XOAUTH2"), "it tried XOAUTH2");
        }
    }

    @Test
    void aCertificateTheAccountDoesNotTrustIsRefused() throws Exception {
        mailbox(PASSWORD);
        try (TlsFront front = new TlsFront(TlsFront.Mode.IMPLICIT_TLS, certificate.serverContext(), imapPort)) {
            // No trusted certificates configured: the JVM's authorities do not know the test certificate.
            String why = assertRefused(account("localhost", front.port(), ImapAccount.Security.IMAPS), front::connections);
            assertTrue(why.contains("unable to find valid certification path"), why);
            assertEquals("", front.sentInsideTls(), "no password sent");
        }
    }

    @Test
    void aTrustedCertificateForAnotherHostIsRefused() throws Exception {
        mailbox(PASSWORD);
        try (TlsFront front = new TlsFront(TlsFront.Mode.STARTTLS, certificate.serverContext(), imapPort)) {
            // The certificate names localhost; the account connects to 127.0.0.1.
            ImapAccount account = account("127.0.0.1", front.port(), ImapAccount.Security.STARTTLS)
                    .withTrustedCertificates(certificate.certificate);
            String why = assertRefused(account, front::connections);
            assertTrue(why.matches(".*No (subject alternative names|name) matching.*"), why);
            assertFalse(front.sentInsideTls().contains("LOGIN"), "no password sent");
        }
    }

    @Test
    void greenMailsOwnImapsCertificateNamesNoHostSoItIsRefusedEvenWhenTrusted() throws Exception {
        // GreenMail's IMAPS presents its built-in certificate (CN "GreenMail selfsigned Test Certificate",
        // no subjectAltName). Trusting it is not enough: the poller checks that it names the host.
        int imapsPort = LoopbackPorts.free();
        GreenMail imaps = new GreenMail(new ServerSetup(imapsPort, "127.0.0.1", ServerSetup.PROTOCOL_IMAPS));
        imaps.start();
        try (TcpProxy counter = new TcpProxy(imapsPort)) {
            imaps.setUser("dmarc@example.com", LOGIN, PASSWORD);
            Path pem = dir.resolve("greenmail.pem");
            Files.writeString(pem, greenMailCertificatePem());
            ImapAccount account = account("localhost", counter.port(), ImapAccount.Security.IMAPS)
                    .withTrustedCertificates(pem);
            String why = assertRefused(account, counter::connections);
            assertTrue(why.matches(".*No (subject alternative names|name) matching.*"), why);
        } finally {
            imaps.stop();
        }
    }

    @Test
    void aSelfSignedImapsServerIsOneLogLineNamingTheAccountTheServerAndTrustedCertificates() throws Exception {
        // GreenMail's IMAPS with its self-signed certificate, and an account that does not trust it.
        int imapsPort = LoopbackPorts.free();
        GreenMail imaps = new GreenMail(new ServerSetup(imapsPort, "127.0.0.1", ServerSetup.PROTOCOL_IMAPS));
        imaps.start();
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(ImapPoller.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log =
                new ch.qos.logback.core.read.ListAppender<>();
        log.start();
        logger.addAppender(log);
        ch.qos.logback.classic.Level level = logger.getLevel();
        logger.setLevel(ch.qos.logback.classic.Level.INFO);
        try (TcpProxy counter = new TcpProxy(imapsPort)) {
            imaps.setUser("dmarc@example.com", LOGIN, PASSWORD);
            assertRefused(account("localhost", counter.port(), ImapAccount.Security.IMAPS), counter::connections);
            java.util.List<String> warnings = log.list.stream()
                    .filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
                    .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList();
            assertTrue(warnings.size() >= 1, warnings.toString());
            String first = warnings.get(0).replaceFirst("in \\d+ s$", "");
            assertTrue(warnings.stream().allMatch(w -> w.replaceFirst("in \\d+ s$", "").equals(first)),
                    "the same one line at each attempt: " + warnings);
            assertEquals("IMAP tls: the TLS certificate of localhost:" + counter.port() + " is not trusted (unable to"
                    + " find valid certification path to requested target); if the server uses its own CA or a"
                    + " self-signed certificate, set trusted_certificates of this account to its PEM file;"
                    + " reconnecting in 1 s", warnings.get(0));
            assertTrue(log.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.INFO))
                    .allMatch(e -> e.getThrowableProxy() == null), "no stack trace outside the debug log");
        } finally {
            logger.detachAppender(log);
            logger.setLevel(level);
            imaps.stop();
        }
    }

    @Test
    void anUnreadableTrustFileIsAClearError() {
        ImapAccount account = account("localhost", 993, ImapAccount.Security.IMAPS)
                .withTrustedCertificates(dir.resolve("missing.pem"));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new ImapPoller(account, null, Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("missing.pem"), e.getMessage());
    }

    /** The poller empties the mailbox: every report stored once, INBOX empty, all in the archive. */
    private void assertEmptied(ImapAccount account) throws Exception {
        ReportIdProcessor processor = new ReportIdProcessor();
        try (IngestHarness ingest = new IngestHarness(dir.resolve("data"), processor);
             ImapPoller poller = new ImapPoller(account, ingest.intake, Duration.ofSeconds(30)).start()) {
            await(() -> poller.archived() >= REPORTS, "every message archived");
            assertEquals(REPORTS, ingest.settled(IngestStatus.STORED));
            assertEquals(1, poller.connects());
        }
        assertEquals(REPORTS, processor.seen.size());
        assertEquals(0, count("INBOX"));
        assertEquals(REPORTS, count("Archive.Aggregate"));
    }

    /** The poller tries at least twice, never gets in, reads nothing; returns why it failed. */
    private String assertRefused(ImapAccount account, IntSupplier attempts) throws Exception {
        ReportIdProcessor processor = new ReportIdProcessor();
        String why;
        try (IngestHarness ingest = new IngestHarness(dir.resolve("data"), processor);
             ImapPoller poller = new ImapPoller(account, ingest.intake, Duration.ofSeconds(30)).start()) {
            await(() -> attempts.getAsInt() >= 2 && poller.lastFailure().isPresent(),
                    "a second connection attempt (after the first was refused)");
            assertEquals(0, poller.connects());
            assertEquals(0, poller.archived());
            why = poller.lastFailure().orElseThrow();
        }
        assertTrue(processor.seen.isEmpty());
        if (user != null) {
            assertEquals(REPORTS, count("INBOX"), "the mailbox is untouched");
        }
        return why;
    }

    private int count(String folderName) throws Exception {
        try (Store store = Session.getInstance(new Properties()).getStore("imap")) {
            store.connect("127.0.0.1", imapPort, LOGIN, user == null ? PASSWORD : user.getPassword());
            Folder folder = store.getFolder(folderName);
            if (!folder.exists()) {
                return 0;
            }
            folder.open(Folder.READ_ONLY);
            try {
                return folder.getMessageCount();
            } finally {
                folder.close(false);
            }
        }
    }

    private static String greenMailCertificatePem() throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = GreenMail.class.getResourceAsStream("/greenmail.p12")) {
            keys.load(in, "changeit".toCharArray());
        }
        Certificate cert = keys.getCertificate(keys.aliases().nextElement());
        return "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }


    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }
}
