package io.dmarclens.ingest.oauth;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.IClientCredential;
import java.io.IOException;
import java.io.Reader;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLSocketFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * The Microsoft identity platform's client credentials grant (an app registration with application
 * permissions), through MSAL4J: a client secret or a certificate. Scope {@code
 * https://outlook.office365.com/.default} for IMAP, {@code https://graph.microsoft.com/.default} for Graph.
 * MSAL's own cache is skipped: {@link RenewingTokens} decides when a new token is due, and a refused one
 * must really be replaced.
 */
final class MicrosoftClientCredentials implements TokenSource {
    /** The public cloud's authority host; national clouds have their own (login.microsoftonline.us, ...). */
    static final URI PUBLIC_CLOUD = URI.create("https://login.microsoftonline.com/");

    private final ConfidentialClientApplication app;
    private final Set<String> scopes;
    private final Clock clock;
    private final Clock libraryClock;
    private final String authority;

    /**
     * @param authorityHost  e.g. {@link #PUBLIC_CLOUD}; the tenant is appended
     * @param credential     from {@link #secret(String)} or {@link #certificate(Path)}
     * @param tls            sockets for the token endpoint, or null for the JVM's trust store
     * @param clock          when a token was fetched
     * @param libraryClock   the clock MSAL counts its expiry times by ({@link io.dmarclens.store.Clocks#libraries()})
     */
    MicrosoftClientCredentials(URI authorityHost, String tenant, String clientId, IClientCredential credential,
                                      String scope, SSLSocketFactory tls, Clock clock, Clock libraryClock)
            throws TokenException {
        Objects.requireNonNull(tenant, "tenant");
        String host = authorityHost.toString().endsWith("/") ? authorityHost.toString() : authorityHost + "/";
        this.authority = host + tenant + "/";
        this.scopes = Set.of(Objects.requireNonNull(scope, "scope"));
        this.clock = Objects.requireNonNull(clock, "clock");
        this.libraryClock = Objects.requireNonNull(libraryClock, "libraryClock");
        try {
            ConfidentialClientApplication.Builder builder = ConfidentialClientApplication
                    .builder(Objects.requireNonNull(clientId, "client id"), credential)
                    .authority(authority)
                    // A configured authority is used as given: no discovery call to the public cloud.
                    .instanceDiscovery(false).validateAuthority(false)
                    .connectTimeoutForDefaultHttpClient(30_000).readTimeoutForDefaultHttpClient(30_000);
            if (tls != null) {
                builder.sslSocketFactory(tls);
            }
            this.app = builder.build();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new TokenException("the Microsoft authority " + authority + " is not usable: " + e.getMessage(), e);
        }
    }

    static IClientCredential secret(String clientSecret) {
        return ClientCredentialFactory.createFromSecret(clientSecret);
    }

    /** A PEM file holding the private key (unencrypted) and the certificate registered with the app. */
    static IClientCredential certificate(Path pem) throws TokenException {
        PrivateKey key = null;
        List<X509Certificate> chain = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(pem, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(r)) {
            JcaPEMKeyConverter keys = new JcaPEMKeyConverter();
            JcaX509CertificateConverter certs = new JcaX509CertificateConverter();
            Object o;
            while ((o = parser.readObject()) != null) {
                if (o instanceof PEMKeyPair pair) {
                    key = keys.getKeyPair(pair).getPrivate();
                } else if (o instanceof PrivateKeyInfo info) {
                    key = keys.getPrivateKey(info);
                } else if (o instanceof X509CertificateHolder holder) {
                    chain.add(certs.getCertificate(holder));
                }
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new TokenException("cannot read the client certificate " + pem + ": " + e.getMessage(), e);
        }
        if (key == null || chain.isEmpty()) {
            throw new TokenException("the client certificate file " + pem
                    + " must hold the unencrypted private key and the certificate, both in PEM");
        }
        return ClientCredentialFactory.createFromCertificateChain(key, chain);
    }

    @Override
    public AccessToken fetch() throws TokenException {
        Instant asked = clock.instant();
        IAuthenticationResult result;
        try {
            result = app.acquireToken(ClientCredentialParameters.builder(scopes).skipCache(true).build())
                    .get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new TokenException("the Microsoft identity platform (" + authority + ") gave no token: "
                    + firstLine(cause.getMessage()), cause);
        } catch (TimeoutException e) {
            throw new TokenException("the Microsoft identity platform (" + authority + ") did not answer in 60 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenException("interrupted while asking " + authority + " for a token", e);
        }
        // MSAL says when the token expires by the system clock; what counts is how long it lives from now.
        Instant expires = result.expiresOnDate() == null ? null
                : asked.plus(Duration.between(libraryClock.instant(), result.expiresOnDate().toInstant()));
        return new AccessToken(result.accessToken(), asked, expires);
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
