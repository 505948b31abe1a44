package io.dmarclens.ingest.mailapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmarclens.ingest.oauth.AccessToken;
import io.dmarclens.ingest.oauth.AccessTokens;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * Requests to a mail API with the account's bearer token: a throttling answer (429, or 503 with
 * Retry-After) waits as long as the API asks (at most five minutes, a few times) and is tried again; a
 * 401 means the token expired or was revoked: it is dropped, a new one is fetched, and the request is
 * tried once more before the round fails.
 */
final class ApiHttp {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration LONGEST_WAIT = Duration.ofMinutes(5);
    private static final int MOST_THROTTLED = 8;
    private static final int MOST_SHOWN = 300;

    /** Waits for a duration unless the reader is stopping; false when it is. */
    @FunctionalInterface
    interface Pause {
        boolean pause(Duration d) throws InterruptedException;
    }

    private final HttpClient http;
    private final AccessTokens tokens;
    private final Clock clock;
    private final Pause pause;

    ApiHttp(HttpClient http, AccessTokens tokens, Clock clock, Pause pause) {
        this.http = Objects.requireNonNull(http, "http");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.pause = Objects.requireNonNull(pause, "pause");
    }

    JsonNode getJson(URI uri) throws IOException, InterruptedException {
        return json(uri, send(HttpRequest.newBuilder(uri).GET(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    JsonNode postJson(URI uri, Object body) throws IOException, InterruptedException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        return json(uri, send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)), HttpResponse.BodyHandlers.ofInputStream()));
    }

    /** The body as a stream (the caller closes it), after a 2xx answer. */
    InputStream getStream(URI uri) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = send(HttpRequest.newBuilder(uri).GET(),
                HttpResponse.BodyHandlers.ofInputStream());
        return response.body();
    }

    private static JsonNode json(URI uri, HttpResponse<InputStream> response) throws IOException {
        try (InputStream in = response.body()) {
            byte[] body = in.readAllBytes();
            if (body.length == 0) {
                return JSON.createObjectNode();
            }
            return JSON.readTree(body);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new MailApiException(uri.getHost() + " answered " + response.statusCode() + " with no JSON");
        }
    }

    /** Sends with the current token; returns a 2xx answer or throws saying what the API answered. */
    private HttpResponse<InputStream> send(HttpRequest.Builder request, HttpResponse.BodyHandler<InputStream> handler)
            throws IOException, InterruptedException {
        boolean tokenRefused = false;
        int throttled = 0;
        while (true) {
            AccessToken token = tokens.current();
            HttpRequest r = request.copy().timeout(TIMEOUT).header("Authorization", "Bearer " + token.value())
                    .header("Accept", "application/json").build();
            HttpResponse<InputStream> response = http.send(r, handler);
            int status = response.statusCode();
            if (status / 100 == 2) {
                return response;
            }
            String detail = errorText(response);
            if (status == 401) {
                tokens.refused(token);
                if (tokenRefused) {
                    throw new MailApiException(r.uri().getHost() + " refused a new access token too (401" + detail
                            + "); check the app's permissions and the mailbox");
                }
                tokenRefused = true;
                continue;
            }
            Duration wait = retryAfter(response);
            if ((status == 429 || status == 503 && wait != null) && throttled < MOST_THROTTLED) {
                throttled++;
                Duration d = wait == null ? Duration.ofSeconds(1L << Math.min(throttled, 6)) : wait;
                if (!pause.pause(d.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : d)) {
                    throw new InterruptedException("stopping");
                }
                continue;
            }
            throw new MailApiException(r.method() + " " + r.uri().getPath() + " answered " + status + detail);
        }
    }

    /** Retry-After in seconds or as an HTTP date; null when absent or unreadable. */
    private Duration retryAfter(HttpResponse<?> response) {
        String value = response.headers().firstValue("Retry-After").orElse(null);
        if (value == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(clock.instant(),
                        ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException e) {
                return null;
            }
        }
    }

    /** The API's error code and message, bounded, for the log line (the body is closed). */
    private static String errorText(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            byte[] body = in.readNBytes(16 * 1024);
            JsonNode error = JSON.readTree(body).path("error");
            String code = error.isTextual() ? error.asText() : error.path("code").asText(error.path("status").asText(""));
            String message = error.path("message").asText("");
            String text = (code + " " + message).strip().replaceAll("\\p{Cntrl}", " ");
            if (text.isEmpty()) {
                return "";
            }
            return ": " + (text.length() > MOST_SHOWN ? text.substring(0, MOST_SHOWN) + "..." : text);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

}
