package io.dmarclens.ingest.mailapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.demo.SyntheticReports;
import io.dmarclens.ingest.imap.ImapAccount;
import io.dmarclens.ingest.oauth.AccessTokens;
import io.dmarclens.ingest.oauth.OAuthSettings;
import io.dmarclens.ingest.testing.IngestHarness;
import io.dmarclens.ingest.testing.LoopbackTokenEndpoint;
import io.dmarclens.ingest.testing.ReportIdProcessor;
import io.dmarclens.store.Clocks;
import io.dmarclens.store.ingestlog.IngestStatus;
import jakarta.mail.Session;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Graph and Gmail readers against their APIs' documented shapes on loopback, with tokens from a real
 * token endpoint that expire after two seconds: pages of three, 429 with Retry-After, a revoked token
 * (401). Each message is stored once and moved once, to the folder or label of its outcome.
 */
class MailApiReaderTest {
    static final String USER = "dmarc@example.com";

    @TempDir
    Path dir;
    private final Clock clock = Clocks.system();

    static Session session() {
        return Session.getInstance(new Properties());
    }

    static byte[] report(String id) throws Exception {
        return SyntheticReports.bytes(SyntheticReports.aggregateMail(session(), USER, id, 5));
    }

    static OAuthSettings refreshGrant(LoopbackTokenEndpoint endpoint) {
        return new OAuthSettings(OAuthSettings.Provider.REFRESH_TOKEN, null, "dmarc-lens", null, null, null,
                "refresh-1", endpoint.uri("/token"), null, null);
    }

    /** The endpoint's tokens, each until it expires. */
    static java.util.function.Predicate<String> validTokens(LoopbackTokenEndpoint endpoint) {
        return token -> {
            long issued = endpoint.issuedAt(token);
            return issued >= 0 && System.nanoTime() - issued < endpoint.lifetime().toNanos();
        };
    }

    @ParameterizedTest
    @EnumSource(MailApiAccount.Api.class)
    void storesEachMessageOnceAndMovesItOnceThroughPagesThrottlingAndExpiredTokens(MailApiAccount.Api api)
            throws Exception {
        ReportIdProcessor processor = new ReportIdProcessor();
        try (LoopbackTokenEndpoint endpoint = new LoopbackTokenEndpoint(Duration.ofSeconds(2), "refresh-1");
             LoopbackMailApiServer server = new LoopbackMailApiServer(USER, validTokens(endpoint));
             IngestHarness ingest = new IngestHarness(dir.resolve("data"), processor)) {
            for (int i = 0; i < 10; i++) {
                server.deliver(report(api + "-" + i));
            }
            server.deliver(SyntheticReports.bytes(SyntheticReports.plainMail(session(), USER, "not a report")));
            server.throttleEvery(5);
            MailApiAccount account = new MailApiAccount("api", api, USER, null,
                    api == MailApiAccount.Api.GRAPH ? server.graphEndpoint() : server.gmailEndpoint(),
                    Duration.ofMillis(300), 4, null, 1024 * 1024);
            AccessTokens tokens = refreshGrant(endpoint).open(USER, OAuthSettings.Use.GRAPH, clock);
            int delivered = 11;
            try (MailApiReader reader = new MailApiReader(account, tokens, ingest.intake, Duration.ofSeconds(5), clock)
                    .start()) {
                await(() -> reader.archived() >= 4, "a first batch moved");
                server.revokeNextToken();
                // More mail over about three token lifetimes.
                long until = System.nanoTime() + Duration.ofSeconds(6).toNanos();
                while (System.nanoTime() < until) {
                    server.deliver(report(api + "-late-" + delivered++));
                    Thread.sleep(500);
                }
                int total = delivered;
                await(() -> reader.archived() >= total, "every message moved");
                assertEquals(total, reader.archived());
                assertEquals(total - 1, ingest.settled(IngestStatus.STORED));
                assertEquals(1, ingest.settled(IngestStatus.QUARANTINED));
                assertFalse(reader.lastFailure().isPresent(), reader.lastFailure().orElse(""));
            }
            assertTrue(server.moves.values().stream().allMatch(n -> n.get() == 1), "each message moved once");
            assertEquals(delivered, server.rawFetches.get(), "each message fetched once");
            Map<String, Integer> places = server.placeCounts(api == MailApiAccount.Api.GMAIL);
            assertEquals(delivered - 1, places.get("Archive/Aggregate"), places.toString());
            assertEquals(1, places.get("Archive/Invalid"), places.toString());
            assertEquals(null, places.get(api == MailApiAccount.Api.GMAIL ? "INBOX" : "Inbox"), places.toString());
            assertTrue(server.throttled.get() >= 3, "throttled: " + server.throttled.get());
            assertTrue(endpoint.issued().size() >= 3, "tokens renewed: " + endpoint.issued().size());
            // The revoked token was refused once and never sent again; no expired token was ever sent.
            assertEquals(1, server.unauthorized.get());
        }
        assertEquals(delivered(processor), processor.seen.size());
        assertTrue(processor.seen.values().stream().allMatch(n -> n.get() == 1), processor.seen.toString());
    }

    private static int delivered(ReportIdProcessor processor) {
        Set<String> ids = new HashSet<>(processor.seen.keySet());
        return ids.size();
    }

    @ParameterizedTest
    @EnumSource(MailApiAccount.Api.class)
    void archiveFoldersOfAnyNameAreCreatedOnceAndReused(MailApiAccount.Api api) throws Exception {
        ReportIdProcessor processor = new ReportIdProcessor();
        try (LoopbackTokenEndpoint endpoint = new LoopbackTokenEndpoint(Duration.ofHours(1), "refresh-1");
             LoopbackMailApiServer server = new LoopbackMailApiServer(USER, validTokens(endpoint));
             IngestHarness ingest = new IngestHarness(dir.resolve("data"), processor)) {
            for (int i = 0; i < 5; i++) {
                server.deliver(report("named-" + i));
            }
            ImapAccount.ArchiveFolders archive = new ImapAccount.ArchiveFolders("DMARC/Done/Aggregate", "DMARC/Failure",
                    "DMARC/TLS", "DMARC/Bad");
            MailApiAccount account = new MailApiAccount("named", api, USER, null,
                    api == MailApiAccount.Api.GRAPH ? server.graphEndpoint() : server.gmailEndpoint(),
                    Duration.ofMillis(300), 2, archive, 1024 * 1024);
            AccessTokens tokens = refreshGrant(endpoint).open(USER, OAuthSettings.Use.GMAIL, clock);
            try (MailApiReader reader = new MailApiReader(account, tokens, ingest.intake, Duration.ofSeconds(5), clock)
                    .start()) {
                await(() -> reader.archived() >= 5, "all moved");
            }
            assertEquals(5, server.placeCounts(api == MailApiAccount.Api.GMAIL).get("DMARC/Done/Aggregate"));
            long created = server.folders.values().stream().filter(f -> !f[1].equalsIgnoreCase("inbox")).count();
            assertEquals(api == MailApiAccount.Api.GRAPH ? 3 : 1, created, "folders created once each");
            assertEquals(List.of(1, 1, 1, 1, 1), server.moves.values().stream().map(n -> n.get()).toList());
        }
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }
}
