package io.dmarclens.web.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.index.users.SqliteAccounts;
import io.dmarclens.store.users.ApiToken;
import io.dmarclens.store.users.Role;
import io.dmarclens.web.TestClock;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * API tokens at the gate, by real HTTP requests to a server whose one route answers with the caller's user and
 * effective scope, over a real {@code web.db} and a clock moved by hand: a token carries its user's scope narrowed
 * by its own, stops at its expiry, at its revocation and with its user, and never posts.
 */
class TokenGateTest {
    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(T0);
    private UserStore users;
    private Javalin server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        users = new UserStore(SqliteAccounts.open(dir), 4, clock);
        users.addOrReplace("root", "a long password".toCharArray());
        users.create("carol", "a long password".toCharArray(), Role.VIEWER);
        users.setScope("carol", "example.com,example.org,*.example.net");
        AuthGate gate = new AuthGate(new Sessions(users.sessionStore(), Duration.ofHours(8), Duration.ofHours(12), clock), users);
        server = Javalin.create(config -> {
            config.routes.before(gate::before);
            config.routes.get("/api/whoami", ctx -> ctx.result(AuthGate.principal(ctx).user() + " "
                    + AuthGate.principal(ctx).scope()));
            config.routes.post("/account/tokens", ctx -> ctx.result("made"));
        }).start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.stop();
        users.close();
    }

    private HttpResponse<String> get(String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/whoami"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aNarrowedTokenSeesTheUsersScopeNarrowedByItsOwn() throws Exception {
        String whole = users.issueToken("carol");
        assertEquals("carol *.example.net,example.com,example.org", get(whole).body());
        String narrowed = users.issueToken("carol", "grafana", "example.com, a.example.net", Optional.empty());
        HttpResponse<String> r = get(narrowed);
        assertEquals(200, r.statusCode());
        assertEquals("carol *.example.net,example.com,example.org & a.example.net,example.com", r.body());
        // A narrowing takes hold when the user's scope changes too: the token never sees more than its user.
        users.setScope("carol", "example.com");
        assertEquals("carol example.com & a.example.net,example.com", get(narrowed).body());
    }

    @Test
    void aTokenCannotBeWiderThanItsUser() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> users.issueToken("carol", "", "example.com,other.test", Optional.empty()));
        assertTrue(e.getMessage().contains("within its user's scope"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> users.issueToken("carol", "", "*.example.com", Optional.empty()),
                "a pattern over an exact domain of the user's");
        assertThrows(IllegalArgumentException.class, () -> users.issueToken("carol", "", "*.net", Optional.empty()),
                "a wider pattern");
        users.issueToken("carol", "", "all", Optional.empty());
        users.issueToken("carol", "", "*.b.example.net,*.example.net,example.org", Optional.empty());
        users.issueToken("root", "", "*.anything.test", Optional.empty());
        assertEquals(java.util.Set.of("all", "*.b.example.net,*.example.net,example.org"),
                java.util.Set.copyOf(users.tokens("carol").stream().map(ApiToken::scope).toList()),
                "only tokens within the scope were made");
    }

    @Test
    void aTokenStopsAtItsExpiryAtOnceWhenRevokedAndWithItsUser() throws Exception {
        String expiring = users.issueToken("carol", "cron", null, Optional.of(users.expiry("P30D")));
        String revoked = users.issueToken("carol", "", null, Optional.empty());
        String rootToken = users.issueToken("root");
        assertEquals(200, get(expiring).statusCode());
        assertEquals(200, get(revoked).statusCode());

        ApiToken listed = users.tokens("carol").stream().filter(t -> t.id().equals(UserStore.tokenId(expiring)))
                .findFirst().orElseThrow();
        assertEquals("cron", listed.label());
        assertEquals(T0.plus(Duration.ofDays(30)), listed.expiresAt().orElseThrow());
        assertEquals(Optional.of(T0), listed.lastUsedAt());

        assertTrue(users.revokeToken("carol", UserStore.tokenId(revoked)));
        assertEquals(401, get(revoked).statusCode(), "refused at the next request");

        clock.advance(Duration.ofDays(30).minusSeconds(1));
        assertEquals(200, get(expiring).statusCode());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(401, get(expiring).statusCode(), "refused from the instant it expires");
        assertEquals(1, users.tokens("carol").size(), "an expired token stays listed until revoked");

        assertEquals(200, get(rootToken).statusCode());
        users.addOrReplace("root2", "a long password".toCharArray());
        users.remove("root");
        assertEquals(401, get(rootToken).statusCode(), "a removed user's token");
    }

    @Test
    void aTokenCannotPostSoCannotMakeTokens() throws Exception {
        String token = users.issueToken("root");
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                        + "/account/tokens")).header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString("label=x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, r.statusCode());
        assertEquals(1, users.tokens("root").size());
    }

    @Test
    void expiriesAreAPeriodOrADayInTheFuture() {
        assertEquals(T0.plus(Duration.ofDays(30)), users.expiry("P30D"));
        assertEquals(T0.plus(Duration.ofHours(12)), users.expiry("PT12H"));
        assertEquals(Instant.parse("2027-02-01T00:00:00Z"), users.expiry("2027-01-31"), "works through that day");
        assertThrows(IllegalArgumentException.class, () -> users.expiry("2026-11-29"));
        assertThrows(IllegalArgumentException.class, () -> users.expiry("soon"));
    }

    @Test
    void theLastAdminCanBeNeitherDemotedNorRemoved() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> users.remove("root"));
        assertTrue(e.getMessage().contains("last admin"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> users.setRole("root", Role.ANALYST));
        users.setRole("carol", Role.ADMIN);
        users.setRole("root", Role.ANALYST);
        assertThrows(IllegalArgumentException.class, () -> users.remove("carol"));
        assertTrue(users.remove("root"));
    }
}
