package io.dmarclens.ingest.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The OAuth2 refresh grant (RFC 6749 section 6) against any provider's token endpoint. No maintained
 * library does only this without pulling in a provider's SDK, and it is one form POST. When the provider
 * rotates refresh tokens, the new one is kept (in memory only) for the next fetch.
 */
final class RefreshTokenGrant implements TokenSource {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final URI endpoint;
    private final String clientId;
    private final String clientSecret;
    private final String scope;
    private final Clock clock;
    private volatile String refreshToken;

    /**
     * @param clientSecret null for a public client
     * @param scope        null to keep the scopes the refresh token was granted
     */
    RefreshTokenGrant(HttpClient http, URI endpoint, String clientId, String clientSecret, String refreshToken,
                             String scope, Clock clock) {
        this.http = Objects.requireNonNull(http, "http");
        this.endpoint = Objects.requireNonNull(endpoint, "token endpoint");
        this.clientId = Objects.requireNonNull(clientId, "client id");
        this.clientSecret = clientSecret;
        this.refreshToken = Objects.requireNonNull(refreshToken, "refresh token");
        this.scope = scope;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public AccessToken fetch() throws TokenException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refreshToken);
        form.put("client_id", clientId);
        if (clientSecret != null) {
            form.put("client_secret", clientSecret);
        }
        if (scope != null) {
            form.put("scope", scope);
        }
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        Instant asked = clock.instant();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new TokenException("the token endpoint " + endpoint + " could not be reached: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenException("interrupted while asking " + endpoint + " for a token", e);
        }
        JsonNode answer = TokenResponses.read(endpoint, response.statusCode(), response.body());
        String rotated = answer.path("refresh_token").asText("");
        if (!rotated.isEmpty()) {
            refreshToken = rotated;
        }
        return TokenResponses.token(endpoint, answer, asked);
    }

    /** Reading the token endpoint's JSON answers (RFC 6749 sections 5.1 and 5.2). */
    static final class TokenResponses {
        private static final int MOST_SHOWN = 200;

        private TokenResponses() {
        }

        static JsonNode read(URI endpoint, int status, byte[] body) throws TokenException {
            JsonNode json;
            try {
                json = JSON.readTree(body);
            } catch (IOException e) {
                throw new TokenException("the token endpoint " + endpoint + " answered " + status + " with no JSON");
            }
            if (status != 200 || json == null || !json.isObject()) {
                String error = json == null ? "" : json.path("error").asText("");
                String description = json == null ? "" : json.path("error_description").asText("");
                throw new TokenException("the token endpoint " + endpoint + " refused: " + status
                        + (error.isEmpty() ? "" : " " + bounded(error))
                        + (description.isEmpty() ? "" : " (" + bounded(description) + ")"));
            }
            return json;
        }

        static AccessToken token(URI endpoint, JsonNode json, Instant asked) throws TokenException {
            String value = json.path("access_token").asText("");
            if (value.isBlank()) {
                throw new TokenException("the token endpoint " + endpoint + " answered without an access_token");
            }
            long expiresIn = json.path("expires_in").asLong(0);
            // Counted from when the request was sent, so a slow answer makes the token look older, never younger.
            return new AccessToken(value, asked, expiresIn > 0 ? asked.plusSeconds(expiresIn) : null);
        }

        private static String bounded(String s) {
            String oneLine = s.replaceAll("[\\p{Cntrl}]", " ");
            return oneLine.length() > MOST_SHOWN ? oneLine.substring(0, MOST_SHOWN) + "..." : oneLine;
        }
    }
}
