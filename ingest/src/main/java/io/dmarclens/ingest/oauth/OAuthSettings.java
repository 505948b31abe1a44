package io.dmarclens.ingest.oauth;

import io.dmarclens.store.Clocks;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How one mailbox account gets its OAuth2 access tokens, as configured. {@link #open} builds the
 * {@link AccessTokens} that connections ask. {@link #toString()} names no secret.
 *
 * @param provider          where tokens come from
 * @param tenant            Microsoft: the directory (tenant) id or domain
 * @param clientId          Microsoft and refresh token: the application (client) id
 * @param clientSecret      Microsoft (or certificate) and refresh token (optional): the client secret
 * @param certificate       Microsoft: PEM file with the private key and certificate, instead of a secret
 * @param serviceAccountKey Google: the service account's JSON key file
 * @param refreshToken      refresh token: the token to renew with
 * @param tokenEndpoint     refresh token: the token endpoint (required); Microsoft: the authority host
 *                          (default the public cloud); Google: the token endpoint (default the key file's)
 * @param scope             the scope asked for, or null for the default of the provider and the use
 * @param tokenFile         token file: the file an outside tool keeps fresh
 */
public record OAuthSettings(Provider provider, String tenant, String clientId, String clientSecret, Path certificate,
                            Path serviceAccountKey, String refreshToken, URI tokenEndpoint, String scope,
                            Path tokenFile) {
    /** Where an account's tokens come from. */
    public enum Provider {
        /** Microsoft identity platform, client credentials (client secret or certificate). */
        MICROSOFT,
        /** Google service account with domain-wide delegation. */
        GOOGLE,
        /** The OAuth2 refresh grant at any token endpoint. */
        REFRESH_TOKEN,
        /** A file an outside tool keeps fresh. */
        TOKEN_FILE
    }

    /** What the token is for; decides the default scope. */
    public enum Use { IMAP, GRAPH, GMAIL }

    public OAuthSettings {
        Objects.requireNonNull(provider, "oauth.provider");
        switch (provider) {
            case MICROSOFT -> {
                need(tenant, "oauth.tenant");
                need(clientId, "oauth.client_id");
                if ((clientSecret == null) == (certificate == null)) {
                    throw new IllegalArgumentException("set exactly one of oauth.client_secret and oauth.certificate");
                }
            }
            case GOOGLE -> need(serviceAccountKey, "oauth.service_account_key");
            case REFRESH_TOKEN -> {
                need(refreshToken, "oauth.refresh_token");
                need(clientId, "oauth.client_id");
                need(tokenEndpoint, "oauth.token_endpoint");
            }
            case TOKEN_FILE -> need(tokenFile, "access_token_file");
        }
    }

    /** An account whose token an outside tool keeps in a file. */
    public static OAuthSettings tokenFile(Path file) {
        return new OAuthSettings(Provider.TOKEN_FILE, null, null, null, null, null, null, null, null, file);
    }

    /** The scope asked for when none is configured. */
    public static String defaultScope(Provider provider, Use use) {
        return switch (provider) {
            case MICROSOFT -> use == Use.GRAPH ? "https://graph.microsoft.com/.default"
                    : "https://outlook.office365.com/.default";
            case GOOGLE -> use == Use.GMAIL ? "https://www.googleapis.com/auth/gmail.modify" : "https://mail.google.com/";
            default -> null;
        };
    }

    /**
     * The token supply of one account.
     *
     * @param user the mailbox (Google acts as this user)
     * @throws TokenException when the credential files cannot be read
     */
    public AccessTokens open(String user, Use use, Clock clock) throws TokenException {
        String asked = scope != null ? scope : defaultScope(provider, use);
        return switch (provider) {
            case TOKEN_FILE -> new TokenFile(tokenFile, clock);
            case REFRESH_TOKEN -> new RenewingTokens(new RefreshTokenGrant(
                    HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build(), tokenEndpoint, clientId,
                    clientSecret, refreshToken, asked, clock), clock);
            case MICROSOFT -> new RenewingTokens(new MicrosoftClientCredentials(
                    tokenEndpoint != null ? tokenEndpoint : MicrosoftClientCredentials.PUBLIC_CLOUD, tenant, clientId,
                    clientSecret != null ? MicrosoftClientCredentials.secret(clientSecret)
                            : MicrosoftClientCredentials.certificate(certificate),
                    asked, null, clock, Clocks.libraries()), clock);
            case GOOGLE -> new RenewingTokens(new GoogleServiceAccount(serviceAccountKey, user, asked, tokenEndpoint,
                    clock, Clocks.libraries()), clock);
        };
    }

    private static void need(Object value, String key) {
        if (value == null || value instanceof String s && s.isBlank()) {
            throw new IllegalArgumentException(key + " is required for this oauth.provider");
        }
    }

    @Override
    public String toString() {
        return "OAuthSettings[" + provider + (tokenEndpoint == null ? "" : " " + tokenEndpoint) + "]";
    }
}
