package io.dmarclens.ingest.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.ingest.testing.IngestHarness;
import io.dmarclens.ingest.testing.ReportIdProcessor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An account with an OAuth2 access token, against a server that does not offer SASL XOAUTH2: the mail
 * client's fallback would send the token as a LOGIN password. A real socket speaks IMAP here (a few lines
 * of the protocol: greeting, CAPABILITY, NO to everything else) and records every line the poller sends.
 */
class XoauthOnlyImapStoreTest {
    private static final String TOKEN = "ya29.secret-bearer-token";

    @TempDir
    Path dir;

    @Test
    void theTokenIsNeverSentToAServerWithoutXoauth2() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread accept = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket c = server.accept()) {
                        connections.incrementAndGet();
                        converse(c, received);
                    } catch (IOException e) {
                        // closed, or the client hung up
                    }
                }
            });
            accept.setDaemon(true);
            accept.start();
            ImapAccount account = new ImapAccount("no-xoauth2", "127.0.0.1", server.getLocalPort(),
                    ImapAccount.Security.NONE, "dmarc@example.com", null, TOKEN, "INBOX", Duration.ofMillis(300), false,
                    10, ImapAccount.AfterImport.MOVE, ImapAccount.ArchiveFolders.defaults(), 1 << 20);
            String why;
            try (IngestHarness ingest = new IngestHarness(dir.resolve("data"), new ReportIdProcessor());
                 ImapPoller poller = new ImapPoller(account, ingest.intake, Duration.ofSeconds(30)).start()) {
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!(connections.get() >= 2 && poller.lastFailure().isPresent()) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertTrue(poller.lastFailure().isPresent(), "the login was refused");
                assertEquals(0, poller.connects());
                why = poller.lastFailure().orElseThrow();
            }
            assertTrue(why.contains("does not offer SASL XOAUTH2"), why);
            assertTrue(received.stream().anyMatch(l -> l.toUpperCase(Locale.ROOT).contains("CAPABILITY")), received.toString());
            assertTrue(received.stream().noneMatch(l -> l.contains(TOKEN) || l.toUpperCase(Locale.ROOT).matches("\\S+ (LOGIN|AUTHENTICATE).*")),
                    "no credential was sent: " + received);
        }
    }

    private static void converse(Socket c, List<String> received) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.US_ASCII));
        Writer out = new OutputStreamWriter(c.getOutputStream(), StandardCharsets.US_ASCII);
        out.write("* OK fake IMAP server ready\r\n");
        out.flush();
        String line;
        while ((line = in.readLine()) != null) {
            received.add(line);
            String[] parts = line.split(" ", 3);
            String command = parts.length > 1 ? parts[1].toUpperCase(Locale.ROOT) : "";
            switch (command) {
                case "CAPABILITY" -> out.write("* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n" + parts[0] + " OK done\r\n");
                case "LOGOUT" -> {
                    out.write("* BYE\r\n" + parts[0] + " OK bye\r\n");
                    out.flush();
                    return;
                }
                default -> out.write(parts[0] + " NO not here\r\n");
            }
            out.flush();
        }
    }
}
