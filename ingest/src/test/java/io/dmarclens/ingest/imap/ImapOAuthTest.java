package io.dmarclens.ingest.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.dmarclens.demo.SyntheticReports;
import io.dmarclens.ingest.oauth.AccessTokens;
import io.dmarclens.ingest.oauth.OAuthSettings;
import io.dmarclens.ingest.testing.IngestHarness;
import io.dmarclens.ingest.testing.LoopbackTokenEndpoint;
import io.dmarclens.ingest.testing.ReportIdProcessor;
import io.dmarclens.store.Clocks;
import io.dmarclens.store.ingestlog.IngestStatus;
import jakarta.mail.Session;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OAuth2 logins against a real IMAP server (GreenMail, which checks a SASL XOAUTH2 token like a password:
 * here it accepts exactly the token the loopback token endpoint issued last, and only until it expires).
 * Every login goes through a relay that writes down the token sent and the server's answer.
 */
class ImapOAuthTest {
    private static final String USER = "dmarc@example.com";
    private static final String LOGIN = "dmarc";

    @TempDir
    Path dir;
    private GreenMail greenMail;
    private GreenMailUser user;
    private XoauthRecorder recorder;
    private final Clock clock = Clocks.system();

    @BeforeEach
    void startServer() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_IMAP));
        greenMail.start();
        user = greenMail.setUser(USER, LOGIN, "no-token-yet");
        recorder = new XoauthRecorder(port);
    }

    @AfterEach
    void stopServer() throws Exception {
        recorder.close();
        greenMail.stop();
    }

    private ImapAccount account() {
        return new ImapAccount("oauth", "127.0.0.1", recorder.port(), ImapAccount.Security.NONE, LOGIN, null, null,
                "INBOX", Duration.ofMillis(500), true, 4, ImapAccount.AfterImport.MOVE,
                ImapAccount.ArchiveFolders.defaults(), 1024 * 1024);
    }

    private static OAuthSettings refreshGrant(LoopbackTokenEndpoint endpoint) {
        return new OAuthSettings(OAuthSettings.Provider.REFRESH_TOKEN, null, "dmarc-lens", "client-secret", null, null,
                "refresh-1", endpoint.uri("/token"), null, null);
    }

    /** The mail server accepts the token issued last, until it expires. */
    private void acceptCurrentToken(LoopbackTokenEndpoint endpoint) {
        endpoint.onIssue(token -> {
            synchronized (user) {
                user.setPassword(token);
            }
        });
        endpoint.onExpire(token -> {
            synchronized (user) {
                if (user.getPassword().equals(token)) {
                    user.setPassword("expired " + token);
                }
            }
        });
    }

    private void deliver(String reportId) throws Exception {
        user.deliver(SyntheticReports.aggregateMail(Session.getInstance(new Properties()), USER, reportId, 5));
    }

    @Test
    void keepsStoringMailAcrossManyTokenExpiriesWithoutARestart() throws Exception {
        ReportIdProcessor processor = new ReportIdProcessor();
        try (LoopbackTokenEndpoint endpoint = new LoopbackTokenEndpoint(Duration.ofSeconds(2), "refresh-1");
             IngestHarness ingest = new IngestHarness(dir.resolve("data"), processor)) {
            acceptCurrentToken(endpoint);
            AccessTokens tokens = refreshGrant(endpoint).open(LOGIN, OAuthSettings.Use.IMAP, clock);
            try (ImapPoller poller = new ImapPoller(account(), ingest.intake, Duration.ofSeconds(5), tokens, clock)
                    .start()) {
                // Mail keeps arriving for about five token lifetimes; each is stored while some later token is current.
                int count = 0;
                long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (System.nanoTime() < until) {
                    deliver("oauth-" + count++);
                    Thread.sleep(600);
                }
                int delivered = count;
                await(() -> poller.archived() >= delivered, "every message archived");
                assertEquals(delivered, poller.archived());
                assertEquals(delivered, ingest.settled(IngestStatus.STORED));
                assertTrue(endpoint.issued().size() >= 4, "tokens issued: " + endpoint.issued().size());
                assertTrue(poller.connects() >= 4, "sessions opened again as tokens expired: " + poller.connects());
                assertEquals(0, inboxCount(), "the inbox is empty: every message moved");
            }
            assertEquals(endpoint.issued().size(), Set.copyOf(endpoint.issued().stream()
                    .map(LoopbackTokenEndpoint.Issued::token).toList()).size());
            // Never an expired or refused token twice in a row (by the endpoint's own issue times).
            List<XoauthRecorder.Attempt> attempts = recorder.attempts();
            for (int i = 1; i < attempts.size(); i++) {
                assertFalse(bad(attempts.get(i - 1), endpoint) && bad(attempts.get(i), endpoint),
                        "two bad logins in a row at " + i + ": " + attempts);
            }
            assertTrue(attempts.stream().filter(a -> bad(a, endpoint)).count() <= attempts.size() / 4,
                    "almost every login used a current token: " + attempts);
            assertTrue(endpoint.issued().stream().allMatch(i -> i.grant().equals("refresh_token")
                    && "client-secret".equals(i.form().get("client_secret"))));
        }
        assertTrue(processor.seen.values().stream().allMatch(n -> n.get() == 1), processor.seen.toString());
        assertNoRefusedTokenSentAgain(recorder.attempts());
    }

    @Test
    void aRefusedTokenIsFetchedAgainOnceBeforeTheAccountIsReportedFailing() throws Exception {
        ReportIdProcessor processor = new ReportIdProcessor();
        AtomicInteger issuedCount = new AtomicInteger();
        try (LoopbackTokenEndpoint endpoint = new LoopbackTokenEndpoint(Duration.ofHours(1), "refresh-1");
             IngestHarness ingest = new IngestHarness(dir.resolve("data"), processor)) {
            // The first token is not known to the mail server (revoked as soon as issued); the second is.
            endpoint.onIssue(token -> {
                if (issuedCount.incrementAndGet() == 2) {
                    user.setPassword(token);
                }
            });
            deliver("first");
            AccessTokens tokens = refreshGrant(endpoint).open(LOGIN, OAuthSettings.Use.IMAP, clock);
            try (ImapPoller poller = new ImapPoller(account(), ingest.intake, Duration.ofSeconds(5), tokens, clock)
                    .start()) {
                await(() -> poller.archived() >= 1, "the message archived after the second token");
                assertEquals(1, poller.connects());
                assertFalse(poller.lastFailure().isPresent(), "one refusal is not a failure");
                // The mail client logs in once for the store and once for the folder's connection.
                List<XoauthRecorder.Attempt> first = recorder.attempts();
                assertEquals(Boolean.FALSE, first.get(0).accepted, first.toString());
                assertTrue(first.size() >= 2, first.toString());
                for (XoauthRecorder.Attempt a : first.subList(1, first.size())) {
                    assertEquals(Boolean.TRUE, a.accepted, first.toString());
                    assertEquals(first.get(1).token, a.token);
                }
                assertNotEquals(first.get(0).token, first.get(1).token);
                int before = first.size();

                // Now the mail server refuses every token: the session is cut, each login sends the held token,
                // then one new token, and the account is reported failing; no refused token is sent again.
                user.setPassword("nothing the endpoint issues");
                recorder.dropConnections();
                await(() -> poller.lastFailure().isPresent() && recorder.attempts().size() >= before + 4,
                        "the account reported failing after several rounds");
                assertTrue(poller.lastFailure().orElseThrow().contains("AuthenticationFailedException"),
                        poller.lastFailure().orElseThrow());
            }
        }
        List<XoauthRecorder.Attempt> attempts = recorder.attempts();
        assertNoRefusedTokenSentAgain(attempts);
        for (XoauthRecorder.Attempt a : attempts) {
            assertFalse(a.token.contains("client-secret") || a.token.contains("refresh-1"));
        }
    }

    @Test
    void aReplacedTokenFileIsReadForTheNextConnection() throws Exception {
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, "file-token-1\n");
        user.setPassword("file-token-1");
        ReportIdProcessor processor = new ReportIdProcessor();
        try (IngestHarness ingest = new IngestHarness(dir.resolve("data"), processor)) {
            AccessTokens tokens = OAuthSettings.tokenFile(tokenFile).open(LOGIN, OAuthSettings.Use.IMAP, clock);
            try (ImapPoller poller = new ImapPoller(account(), ingest.intake, Duration.ofSeconds(5), tokens, clock)
                    .start()) {
                deliver("before");
                await(() -> poller.archived() >= 1, "the first message archived");
                // An outside tool renews the token; the server takes only the new one from now on.
                Files.writeString(tokenFile.resolveSibling("token.new"), "file-token-2\n");
                Files.move(tokenFile.resolveSibling("token.new"), tokenFile,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                user.setPassword("file-token-2");
                recorder.dropConnections();
                deliver("after");
                await(() -> poller.archived() >= 2, "the second message archived over a new connection");
                assertTrue(poller.connects() >= 2, "connected again: " + poller.connects());
                assertEquals(2, ingest.settled(IngestStatus.STORED));
            }
        }
        List<XoauthRecorder.Attempt> attempts = recorder.attempts();
        assertEquals("file-token-1", attempts.get(0).token);
        assertEquals(Boolean.TRUE, attempts.get(0).accepted);
        XoauthRecorder.Attempt last = attempts.get(attempts.size() - 1);
        assertEquals("file-token-2", last.token);
        assertEquals(Boolean.TRUE, last.accepted);
        assertTrue(attempts.stream().noneMatch(a -> a.token.equals("file-token-1") && Boolean.FALSE.equals(a.accepted)),
                "the old token was not sent after the file changed: " + attempts);
    }

    /** Refused by the server, or sent once the endpoint's lifetime for it had passed. */
    private static boolean bad(XoauthRecorder.Attempt a, LoopbackTokenEndpoint endpoint) {
        long issued = endpoint.issuedAt(a.token);
        return Boolean.FALSE.equals(a.accepted) || issued < 0 || a.sentNanos - issued >= endpoint.lifetime().toNanos();
    }

    /** A refused token is never sent again, and no two logins in a row are refused without a new token between. */
    private static void assertNoRefusedTokenSentAgain(List<XoauthRecorder.Attempt> attempts) {
        Set<String> refused = new HashSet<>();
        for (int i = 0; i < attempts.size(); i++) {
            XoauthRecorder.Attempt a = attempts.get(i);
            assertFalse(refused.contains(a.token), "a refused token was sent again: " + attempts);
            if (Boolean.FALSE.equals(a.accepted)) {
                refused.add(a.token);
                if (i > 0 && Boolean.FALSE.equals(attempts.get(i - 1).accepted)) {
                    assertNotEquals(attempts.get(i - 1).token, a.token);
                }
            }
        }
    }

    private int inboxCount() throws Exception {
        return greenMail.getManagers().getImapHostManager().getInbox(user).getMessageCount();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }
}
