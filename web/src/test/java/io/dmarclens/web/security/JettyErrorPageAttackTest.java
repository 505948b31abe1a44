package io.dmarclens.web.security;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.web.TestApp;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * #14: requests Jetty refuses before the dashboard sees them (a broken URI escape, an ambiguous path, a
 * header too large, a missing static file) are answered with the dashboard's Content-Security-Policy too.
 */
@Timeout(60)
class JettyErrorPageAttackTest {
    @TempDir
    Path dir;

    @Test
    void jettysOwnErrorPagesCarryTheCsp() throws Exception {
        try (TestApp app = TestApp.start(dir)) {
            List<String> requests = List.of(
                    "GET /%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                    "GET /static/%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                    "GET /static/../../x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                    "GET /static/no-such-file.css HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                    "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\nConnection: close\r\n\r\n");
            for (String request : requests) {
                String head = send(app.app.port(), request);
                String status = head.lines().findFirst().orElse("");
                assertTrue(status.matches("HTTP/1\\.1 [3-5]\\d\\d.*"), "an error for " + request.lines().findFirst().get() + ": " + status);
                assertTrue(head.toLowerCase(Locale.ROOT).contains("content-security-policy: default-src 'self'"),
                        request.lines().findFirst().get() + " answered without a CSP:\n" + head);
            }
        }
    }

    private static String send(int port, String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            String all = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            int end = all.indexOf("\r\n\r\n");
            return end < 0 ? all : all.substring(0, end);
        }
    }
}
