package io.dmarclens.ingest.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.dmarclens.demo.SyntheticReports;
import io.dmarclens.ingest.testing.IngestHarness;
import io.dmarclens.ingest.testing.ReportIdProcessor;
import io.dmarclens.store.ingestlog.IngestLogEntry;
import io.dmarclens.store.ingestlog.IngestStatus;
import jakarta.mail.Session;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * #14, a stranger on port 25 floods RCPT TO over a real SMTP session: 1,200 unknown recipients log a few
 * lines and one summary, not 1,200; 900 copies of an accepted recipient (and many addresses of an accepted
 * domain) make one message whose origin stays a short line.
 */
@Timeout(120)
class RecipientFloodAttackTest {
    private static final String RCPT = "dmarc@reports.example.com";

    @TempDir
    Path dir;
    private IngestHarness ingest;
    private SmtpReceiver receiver;
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger handlerLog = (Logger) LoggerFactory.getLogger(InboxMessageHandler.class);
    private Level before;

    @BeforeEach
    void setUp() throws Exception {
        ingest = new IngestHarness(dir.resolve("data"), new ReportIdProcessor());
        receiver = SmtpReceiver.start(SmtpSettings.defaults().withRecipients(List.of(RCPT, "tls.example.org"))
                .withListen("127.0.0.1", 0), ingest.intake);
        before = handlerLog.getLevel();
        handlerLog.setLevel(Level.INFO);
        logged.start();
        handlerLog.addAppender(logged);
    }

    @AfterEach
    void tearDown() throws Exception {
        handlerLog.detachAppender(logged);
        handlerLog.setLevel(before);
        receiver.close();
        ingest.close();
    }

    @Test
    void twelveHundredUnknownRecipientsLogAFewLines() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", receiver.port())) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            expect(in, "220");
            command(out, in, "HELO flood.example", "250");
            command(out, in, "MAIL FROM:<a@flood.example>", "250");
            for (int i = 0; i < 1_200; i++) {
                out.write(("RCPT TO:<nobody" + i + "@elsewhere.example\u0007>\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String reply = in.readLine();
                assertTrue(reply.startsWith("550") || reply.startsWith("452"), reply);
                assertTrue(reply.indexOf('\u0007') < 0, "a control character echoed: " + reply);
            }
            command(out, in, "QUIT", "221");
        }
        // the summary is logged when the session ends, on the receiver's thread
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (lines().stream().noneMatch(l -> l.contains("more recipients")) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        List<String> lines = lines();
        assertTrue(lines.size() <= InboxMessageHandler.MAX_REFUSALS_LOGGED + 1, lines.size() + " lines: " + lines);
        assertTrue(lines.get(lines.size() - 1).contains("more recipients"), lines.toString());
        assertTrue(lines.stream().noneMatch(l -> l.indexOf('\u0007') >= 0), "a control character in the log");
        assertEquals(0, ingest.log.page(null, 0, 10).total(), "nothing was stored");
    }

    @Test
    void nineHundredCopiesOfARecipientMakeOneShortOrigin() throws Exception {
        ByteArrayOutputStream mail = new ByteArrayOutputStream();
        SyntheticReports.aggregateMail(Session.getInstance(new Properties()), RCPT, "flooded", 3).writeTo(mail);
        try (Socket socket = new Socket("127.0.0.1", receiver.port())) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            expect(in, "220");
            command(out, in, "HELO flood.example", "250");
            command(out, in, "MAIL FROM:<a@flood.example>", "250");
            // 900 + 100 = the 1,000 recipients a transaction may have
            for (int i = 0; i < 900; i++) {
                command(out, in, "RCPT TO:<" + (i % 2 == 0 ? RCPT : RCPT.toUpperCase(java.util.Locale.ROOT)) + ">", "250");
            }
            for (int i = 0; i < 100; i++) {
                command(out, in, "RCPT TO:<r" + i + "@tls.example.org>", "250");
            }
            command(out, in, "DATA", "354");
            out.write(mail.toByteArray());
            command(out, in, "\r\n.", "250");
            command(out, in, "QUIT", "221");
        }
        assertEquals(1, ingest.settled(IngestStatus.STORED));
        IngestLogEntry entry = ingest.log.page(null, 0, 10).entries().get(0);
        String rcpts = entry.origin().detail("rcpt_to");
        assertTrue(rcpts.startsWith(RCPT + ",r0@tls.example.org"), rcpts);
        assertTrue(rcpts.endsWith("(+81 more)"), rcpts);
        assertTrue(entry.origin().describe().length() < 1_000, entry.origin().describe().length() + " characters");
        assertTrue(lines().stream().allMatch(l -> l.length() < 1_000), lines().toString());
    }

    private List<String> lines() {
        return List.copyOf(logged.list).stream().map(ILoggingEvent::getFormattedMessage).toList();
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
