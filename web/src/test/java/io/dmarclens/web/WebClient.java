package io.dmarclens.web;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A real HTTP client with its own cookie jar, as a browser would be, for tests against a running app. */
public final class WebClient {
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final Pattern BODY_CSRF = Pattern.compile("data-csrf=\"([^\"]*)\"");

    private final String base;
    private final HttpClient http;
    private String csrf = "";

    public WebClient(int port) {
        this(port, HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build(), "");
    }

    private WebClient(int port, HttpClient http, String csrf) {
        this.base = "http://127.0.0.1:" + port;
        this.http = http;
        this.csrf = csrf;
    }

    /**
     * The same browser (cookie jar and CSRF token) talking to another server on this host, as a load balancer
     * sends the next request of a session to another node.
     */
    public WebClient at(int port) {
        return new WebClient(port, http, csrf);
    }

    public String base() {
        return base;
    }

    public String csrf() {
        return csrf;
    }

    /** Logs in through the form; returns the response of the POST. */
    public HttpResponse<String> login(String user, String password) throws IOException, InterruptedException {
        String form = get("/login").body();
        Matcher m = CSRF.matcher(form);
        String token = m.find() ? m.group(1) : "";
        HttpResponse<String> r = postForm("/login", Map.of("username", user, "password", password, "_csrf", token, "next", "/"));
        if (r.statusCode() == 303) {
            Matcher b = BODY_CSRF.matcher(get("/").body());
            if (b.find()) {
                csrf = b.group(1);
            }
        }
        return r;
    }

    /**
     * The second step of a login: posts {@code code} with the token of the code form in {@code codeForm} (the
     * body the password step answered with); on success reads the session's CSRF token from the overview.
     */
    public HttpResponse<String> submitCode(String codeForm, String code) throws IOException, InterruptedException {
        Matcher m = CSRF.matcher(codeForm);
        String token = m.find() ? m.group(1) : "";
        HttpResponse<String> r = postForm("/login/code", Map.of("code", code, "_csrf", token));
        if (r.statusCode() == 303) {
            refreshCsrf("/");
        }
        return r;
    }

    /** Reads the session's CSRF token from the page at {@code path}. */
    public void refreshCsrf(String path) throws IOException, InterruptedException {
        Matcher b = BODY_CSRF.matcher(get(path).body());
        if (b.find()) {
            csrf = b.group(1);
        }
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).headers(headers).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<byte[]> getBytes(String path, String... headers) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).headers(headers).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    public HttpResponse<String> postForm(String path, Map<String, String> fields) throws IOException, InterruptedException {
        String body = new LinkedHashMap<>(fields).entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A multipart upload of one file plus plain fields. */
    public HttpResponse<String> postFile(String path, Map<String, String> fields, String fileField, String fileName,
                                         byte[] content) throws IOException, InterruptedException {
        String boundary = "----dmarclens" + System.nanoTime();
        var out = new java.io.ByteArrayOutputStream();
        for (var e : fields.entrySet()) {
            out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + e.getKey() + "\"\r\n\r\n"
                    + e.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fileField + "\"; filename=\""
                + fileName + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(content);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
    }
}
