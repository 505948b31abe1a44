package io.dmarclens.ingest.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmarclens.ingest.imap.TrustedCertificates;
import io.dmarclens.ingest.testing.LoopbackTokenEndpoint;
import io.dmarclens.ingest.testing.TestCertificates;
import io.dmarclens.store.Clocks;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each token supply against a real token endpoint on loopback: what it sends (grant, client, scope, the
 * user a service account acts as), when it asks again (on a clock the test moves), and what it does with
 * a refusal.
 */
class TokenProvidersTest {
    private static final Instant T0 = Instant.parse("2031-05-06T07:08:09Z");

    @TempDir
    Path dir;

    /** A clock the test sets. */
    private static final class SetClock extends Clock {
        volatile Instant now = T0;

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aTokenIsKeptUntilAQuarterOfItsLifeIsLeftAndARefusedOneIsNeverHandedOutAgain() throws Exception {
        SetClock clock = new SetClock();
        try (LoopbackTokenEndpoint endpoint = new LoopbackTokenEndpoint(Duration.ofHours(1), "refresh-1")) {
            RenewingTokens tokens = new RenewingTokens(new RefreshTokenGrant(HttpClient.newHttpClient(),
                    endpoint.uri("/token"), "client", null, "refresh-1", "scope-a", clock), clock);
            AccessToken first = tokens.current();
            assertEquals(T0.plus(Duration.ofHours(1)), first.expiresAt());
            clock.now = T0.plus(Duration.ofMinutes(54));
            assertSame(first, tokens.current(), "kept while more than five minutes are left");
            clock.now = T0.plus(Duration.ofMinutes(55));
            AccessToken second = tokens.current();
            assertNotEquals(first.value(), second.value(), "renewed five minutes before it expires");
            assertEquals(2, endpoint.issued().size());
            assertEquals("scope-a", endpoint.issued().get(0).form().get("scope"));
            assertFalse(endpoint.issued().get(0).form().containsKey("client_secret"), "a public client sends none");

            tokens.refused(first); // an old token refused: the current one stays
            assertSame(second, tokens.current());
            tokens.refused(second);
            AccessToken third = tokens.current();
            assertNotEquals(second.value(), third.value());
            assertEquals(3, endpoint.issued().size());
            assertFalse(third.toString().contains(third.value()), "toString never shows the token");
        }
    }

    @Test
    void shortTokensAreRenewedAQuarterOfTheirLifeEarly() throws Exception {
        SetClock clock = new SetClock();
        try (LoopbackTokenEndpoint endpoint = new LoopbackTokenEndpoint(Duration.ofSeconds(2), "refresh-1")) {
            RenewingTokens tokens = new RenewingTokens(new RefreshTokenGrant(HttpClient.newHttpClient(),
                    endpoint.uri("/token"), "client", "secret", "refresh-1", null, clock), clock);
            AccessToken first = tokens.current();
            clock.now = T0.plusMillis(1499);
            assertSame(first, tokens.current());
            clock.now = T0.plusMillis(1500);
            assertNotEquals(first.value(), tokens.current().value());
        }
    }

    @Test
    void aRefusingEndpointIsReportedWithItsReasonAndNoSecret() throws Exception {
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        try (LoopbackTokenEndpoint endpoint = new LoopbackTokenEndpoint(Duration.ofHours(1), "refresh-1")) {
            RenewingTokens tokens = new RenewingTokens(new RefreshTokenGrant(HttpClient.newHttpClient(),
                    endpoint.uri("/token"), "client", "very-secret", "wrong-refresh-token", null, clock), clock);
            TokenException e = assertThrows(TokenException.class, tokens::current);
            assertTrue(e.getMessage().contains("invalid_grant") && e.getMessage().contains("400"), e.getMessage());
            assertFalse(e.getMessage().contains("very-secret") || e.getMessage().contains("wrong-refresh-token"));
        }
    }

    @Test
    void microsoftClientCredentialsWithASecretThroughMsal() throws Exception {
        TestCertificates tls = TestCertificates.localhost(dir);
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        try (LoopbackTokenEndpoint endpoint = new LoopbackTokenEndpoint(Duration.ofHours(1), "unused",
                tls.serverContext())) {
            MicrosoftClientCredentials source = new MicrosoftClientCredentials(endpoint.uri("/"), "contoso.example",
                    "app-id", MicrosoftClientCredentials.secret("app-secret"),
                    OAuthSettings.defaultScope(OAuthSettings.Provider.MICROSOFT, OAuthSettings.Use.IMAP),
                    TrustedCertificates.socketFactory(tls.certificate), clock, Clocks.libraries());
            AccessToken token = source.fetch();
            assertEquals(endpoint.issued().get(0).token(), token.value());
            assertLivesAnHourFromT0(token);
            LoopbackTokenEndpoint.Issued asked = endpoint.issued().get(0);
            assertEquals("client_credentials", asked.grant());
            assertEquals("app-id", asked.form().get("client_id"));
            assertEquals("app-secret", asked.form().get("client_secret"));
            assertTrue(asked.form().get("scope").contains("https://outlook.office365.com/.default"),
                    asked.form().toString());
            // Asked again (the cache is skipped): a refused token is really replaced.
            assertNotEquals(token.value(), source.fetch().value());
        }
    }

    @Test
    void microsoftClientCredentialsWithACertificateSendASignedAssertion() throws Exception {
        TestCertificates tls = TestCertificates.localhost(dir);
        Path pem = dir.resolve("app.pem");
        Files.writeString(pem, Files.readString(tls.key) + Files.readString(tls.certificate));
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        try (LoopbackTokenEndpoint endpoint = new LoopbackTokenEndpoint(Duration.ofHours(1), "unused",
                tls.serverContext())) {
            MicrosoftClientCredentials source = new MicrosoftClientCredentials(endpoint.uri("/"), "contoso.example",
                    "app-id", MicrosoftClientCredentials.certificate(pem),
                    OAuthSettings.defaultScope(OAuthSettings.Provider.MICROSOFT, OAuthSettings.Use.GRAPH),
                    TrustedCertificates.socketFactory(tls.certificate), clock, Clocks.libraries());
            source.fetch();
            Map<String, String> form = endpoint.issued().get(0).form();
            assertEquals("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", form.get("client_assertion_type"));
            String[] jwt = form.get("client_assertion").split("\\.");
            assertEquals(3, jwt.length);
            Map<?, ?> claims = new ObjectMapper().readValue(Base64.getUrlDecoder().decode(jwt[1]), Map.class);
            assertEquals("app-id", claims.get("sub"));
            assertTrue(form.get("scope").contains("https://graph.microsoft.com/.default"), form.toString());
        }
        Path keyOnly = dir.resolve("key-only.pem");
        Files.copy(tls.key, keyOnly);
        TokenException e = assertThrows(TokenException.class, () -> MicrosoftClientCredentials.certificate(keyOnly));
        assertTrue(e.getMessage().contains("private key and the certificate"), e.getMessage());
    }

    @Test
    void aGoogleServiceAccountActsAsTheMailboxUser() throws Exception {
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        try (LoopbackTokenEndpoint endpoint = new LoopbackTokenEndpoint(Duration.ofHours(1), "unused")) {
            Path key = serviceAccountKey(endpoint.uri("/token").toString());
            OAuthSettings settings = new OAuthSettings(OAuthSettings.Provider.GOOGLE, null, null, null, null, key, null,
                    null, null, null);
            AccessTokens tokens = settings.open("dmarc@example.org", OAuthSettings.Use.IMAP, clock);
            AccessToken token = tokens.current();
            assertEquals(endpoint.issued().get(0).token(), token.value());
            LoopbackTokenEndpoint.Issued asked = endpoint.issued().get(0);
            assertEquals("urn:ietf:params:oauth:grant-type:jwt-bearer", asked.grant());
            String assertion = asked.form().get("assertion");
            assertEquals("dmarc@example.org", LoopbackTokenEndpoint.jwtSubject(assertion));
            Map<?, ?> claims = new ObjectMapper().readValue(Base64.getUrlDecoder().decode(assertion.split("\\.")[1]),
                    Map.class);
            assertEquals("https://mail.google.com/", claims.get("scope"));
            assertEquals("dmarc-lens@project.iam.gserviceaccount.com", claims.get("iss"));
            assertLivesAnHourFromT0(token);
        }
    }

    /** Issued for an hour, counted from the injected clock (the libraries count by the system clock). */
    private static void assertLivesAnHourFromT0(AccessToken token) {
        Duration life = Duration.between(T0, token.expiresAt());
        assertTrue(life.compareTo(Duration.ofMinutes(59)) > 0 && life.compareTo(Duration.ofMinutes(60)) <= 0,
                life.toString());
    }

    @Test
    void aTokenFileIsReadEachTimeAndARefusedTokenWaitsForANewFile() throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "one\n");
        TokenFile tokens = new TokenFile(file, Clock.fixed(T0, ZoneOffset.UTC));
        AccessToken one = tokens.current();
        assertEquals("one", one.value());
        Files.writeString(file, "two\n");
        assertEquals("two", tokens.current().value());
        tokens.refused(tokens.current());
        TokenException refused = assertThrows(TokenException.class, tokens::current);
        assertTrue(refused.getMessage().contains("refused"), refused.getMessage());
        Files.writeString(file, "three");
        assertEquals("three", tokens.current().value());
        Files.delete(file);
        assertTrue(assertThrows(TokenException.class, tokens::current).getMessage().contains("does not exist"));
    }

    private Path serviceAccountKey(String tokenUri) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(pem)) {
            w.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(pair.getPrivate(), null));
        }
        Map<String, String> json = new LinkedHashMap<>();
        json.put("type", "service_account");
        json.put("project_id", "project");
        json.put("private_key_id", "key-1");
        json.put("private_key", pem.toString());
        json.put("client_email", "dmarc-lens@project.iam.gserviceaccount.com");
        json.put("client_id", "1234567890");
        json.put("token_uri", tokenUri);
        Path key = dir.resolve("service-account.json");
        Files.writeString(key, new ObjectMapper().writeValueAsString(json));
        return key;
    }
}
