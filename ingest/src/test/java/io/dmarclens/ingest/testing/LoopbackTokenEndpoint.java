package io.dmarclens.ingest.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * A real OAuth2 token endpoint on loopback (RFC 6749 over HTTP): the refresh grant, the client credentials
 * grant (what MSAL sends) and the JWT bearer grant (what Google's library sends), on any path. Every token
 * it issues lives for {@code lifetime}; listeners hear when one is issued and when it expires, so a mail
 * server can accept exactly the current token.
 */
public final class LoopbackTokenEndpoint implements AutoCloseable {
    /** A token this endpoint issued. */
    public record Issued(String token, String grant, Map<String, String> form, long issuedNanos) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Duration lifetime;
    private final String refreshToken;
    private final ScheduledExecutorService expiries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "token-expiry");
        t.setDaemon(true);
        return t;
    });
    private final List<Issued> issued = new CopyOnWriteArrayList<>();
    private final AtomicInteger counter = new AtomicInteger();
    private volatile Consumer<String> onIssue = t -> { };
    private volatile Consumer<String> onExpire = t -> { };
    private volatile int refuseRequests;

    /** Over plain HTTP. */
    public LoopbackTokenEndpoint(Duration lifetime, String refreshToken) throws IOException {
        this(lifetime, refreshToken, null);
    }

    /** Over HTTPS with {@code tls} when not null (MSAL only talks to https authorities). */
    public LoopbackTokenEndpoint(Duration lifetime, String refreshToken, SSLContext tls) throws IOException {
        this.lifetime = lifetime;
        this.refreshToken = refreshToken;
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls != null) {
            HttpsServer https = HttpsServer.create(loopback, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        } else {
            server = HttpServer.create(loopback, 0);
        }
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
    }

    /** The endpoint's URI for {@code path} (e.g. {@code /token}). */
    public URI uri(String path) {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return URI.create(scheme + "://" + (server instanceof HttpsServer ? "localhost" : "127.0.0.1") + ":"
                + server.getAddress().getPort() + path);
    }

    public void onIssue(Consumer<String> listener) {
        onIssue = listener;
    }

    public void onExpire(Consumer<String> listener) {
        onExpire = listener;
    }

    /** The next {@code n} requests are answered 400 invalid_grant. */
    public void refuseNext(int n) {
        refuseRequests = n;
    }

    public List<Issued> issued() {
        return List.copyOf(issued);
    }

    /** When {@code token} was issued (nanoTime), or -1 when it was not issued here. */
    public long issuedAt(String token) {
        return issued.stream().filter(i -> i.token().equals(token)).mapToLong(Issued::issuedNanos).findFirst()
                .orElse(-1);
    }

    public Duration lifetime() {
        return lifetime;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                answer(exchange, 405, Map.of("error", "invalid_request"));
                return;
            }
            Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String grant = form.getOrDefault("grant_type", "");
            if (refuseRequests > 0) {
                refuseRequests--;
                answer(exchange, 400, Map.of("error", "invalid_grant", "error_description", "refused by the test"));
                return;
            }
            boolean known = switch (grant) {
                case "refresh_token" -> refreshToken.equals(form.get("refresh_token"));
                case "client_credentials" -> form.containsKey("client_id")
                        && (form.containsKey("client_secret") || form.containsKey("client_assertion"));
                case "urn:ietf:params:oauth:grant-type:jwt-bearer" -> jwtSubject(form.getOrDefault("assertion", "")) != null;
                default -> false;
            };
            if (!known) {
                answer(exchange, 400, Map.of("error", "invalid_grant", "error_description", "unknown credential"));
                return;
            }
            String token = "tok-" + counter.incrementAndGet() + "-" + Long.toHexString(System.nanoTime());
            issued.add(new Issued(token, grant, form, System.nanoTime()));
            onIssue.accept(token);
            expiries.schedule(() -> onExpire.accept(token), lifetime.toMillis(), TimeUnit.MILLISECONDS);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("access_token", token);
            body.put("token_type", "Bearer");
            body.put("expires_in", lifetime.toSeconds());
            answer(exchange, 200, body);
        }
    }

    /** The {@code sub} of a JWT bearer assertion (the user a service account acts as), unverified. */
    public static String jwtSubject(String assertion) {
        String[] parts = assertion.split("\\.");
        if (parts.length != 3) {
            return null;
        }
        try {
            Map<?, ?> claims = JSON.readValue(Base64.getUrlDecoder().decode(parts[1]), Map.class);
            Object sub = claims.get("sub");
            return sub == null ? null : sub.toString();
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static void answer(HttpExchange exchange, int status, Map<String, ?> body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        expiries.shutdownNow();
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
