package io.dmarclens.ingest.oauth;

import com.google.auth.oauth2.ServiceAccountCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A Google service account with domain-wide delegation, acting as the mailbox user (the JWT bearer
 * grant, through google-auth-library). Scope {@code https://mail.google.com/} for IMAP, {@code
 * https://www.googleapis.com/auth/gmail.modify} for the Gmail API.
 */
final class GoogleServiceAccount implements TokenSource {
    private final ServiceAccountCredentials credentials;
    private final Clock clock;
    private final Clock libraryClock;
    private final URI endpoint;

    /**
     * @param keyFile  the service account's JSON key
     * @param user     the mailbox to act as (the delegation's subject)
     * @param endpoint the token endpoint, or null for the one the key file names
     * @param clock    when a token was fetched
     * @param libraryClock the clock google-auth-library counts expiry times by
     *                 ({@link io.dmarclens.store.Clocks#libraries()})
     */
    GoogleServiceAccount(Path keyFile, String user, String scope, URI endpoint, Clock clock, Clock libraryClock)
            throws TokenException {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.libraryClock = Objects.requireNonNull(libraryClock, "libraryClock");
        ServiceAccountCredentials read;
        try (InputStream in = Files.newInputStream(keyFile)) {
            read = ServiceAccountCredentials.fromStream(in);
        } catch (IOException e) {
            throw new TokenException("cannot read the Google service account key " + keyFile + ": " + e.getMessage(), e);
        }
        ServiceAccountCredentials.Builder builder = read.toBuilder()
                .setScopes(List.of(Objects.requireNonNull(scope, "scope")))
                .setServiceAccountUser(Objects.requireNonNull(user, "user"));
        if (endpoint != null) {
            builder.setTokenServerUri(endpoint);
        }
        this.credentials = builder.build();
        this.endpoint = credentials.getTokenServerUri();
    }

    @Override
    public AccessToken fetch() throws TokenException {
        Instant asked = clock.instant();
        com.google.auth.oauth2.AccessToken token;
        try {
            token = credentials.refreshAccessToken();
        } catch (IOException e) {
            throw new TokenException("Google's token endpoint " + endpoint + " gave no token: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
        }
        // The library says when the token expires by the system clock; what counts is how long it lives from now.
        Instant expires = token.getExpirationTime() == null ? null
                : asked.plus(Duration.between(libraryClock.instant(), token.getExpirationTime().toInstant()));
        return new AccessToken(token.getTokenValue(), asked, expires);
    }
}
