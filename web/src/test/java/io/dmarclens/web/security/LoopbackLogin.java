package io.dmarclens.web.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Login attempts as an attacker sends them: plain HTTP/1.1 on a socket bound to a chosen loopback source
 * address (127.0.0.0/8 is all ours on Linux), so that one test can play many clients. The login form's
 * double-submit token is fetched once and replayed, as any script would.
 */
public final class LoopbackLogin {
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private final int port;
    private final String token;

    public LoopbackLogin(int port) throws IOException, InterruptedException {
        this.port = port;
        HttpResponse<String> form = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login")).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher m = CSRF.matcher(form.body());
        if (!m.find()) {
            throw new IllegalStateException("no login token in the form");
        }
        this.token = m.group(1);
    }

    /** POSTs a login from {@code source}, with an X-Forwarded-For header when {@code forwardedFor} is not null; the status. */
    public int post(String source, String forwardedFor, String user, String password) throws IOException {
        String body = "username=" + enc(user) + "&password=" + enc(password) + "&_csrf=" + enc(token) + "&next=%2F";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST /login HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + bytes.length + "\r\n"
                + "Cookie: dmarclens_login=" + token + "\r\n"
                + (forwardedFor == null ? "" : "X-Forwarded-For: " + forwardedFor + "\r\n")
                + "Connection: close\r\n\r\n";
        try (Socket s = new Socket()) {
            s.setSoTimeout(30_000);
            s.bind(new InetSocketAddress(source, 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder status = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                status.append((char) c);
            }
            String[] parts = status.toString().split(" ");
            if (parts.length < 2) {
                throw new IOException("no status line: " + status);
            }
            in.transferTo(OutputStream.nullOutputStream());
            return Integer.parseInt(parts[1]);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
