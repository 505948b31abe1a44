package io.dmarclens.web.security;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.web.RequestLimits;
import io.dmarclens.web.TestApp;
import io.dmarclens.web.TestData;
import io.dmarclens.web.WebSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Strangers at the login page who send a POST body slowly, to hold the server thread that reads it: a real
 * dashboard on loopback and a raw socket. The body is trickled a byte every 200 ms (far below the minimum
 * rate, each byte well within the idle timeout), or never sent at all; the server must cut both within a
 * bound, while an ordinary login still works.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SlowRequestAttackTest {
    private static final int MAX_SECONDS = 10;

    @TempDir
    Path dir;

    private TestApp start() throws Exception {
        return TestApp.with(dir, WebSettings.defaults().withRequests(new RequestLimits(4096, Duration.ofSeconds(3))),
                TestData.CLOCK);
    }

    @Test
    void aTrickledLoginBodyIsCutOffBelowTheMinimumRate() throws Exception {
        try (TestApp app = start()) {
            try (Socket s = new Socket("127.0.0.1", app.app.port())) {
                s.setSoTimeout(200);
                OutputStream out = s.getOutputStream();
                out.write(("POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                        + "Content-Length: 100000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                long started = System.nanoTime();
                String answer = null;
                // One byte every 200 ms for up to 30 s: only the minimum rate can stop this before the end.
                for (int i = 0; i < 150 && answer == null; i++) {
                    try {
                        out.write('a');
                        out.flush();
                    } catch (IOException e) {
                        answer = "closed";
                        break;
                    }
                    answer = readWithin(s.getInputStream());
                }
                long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
                assertTrue(answer != null, "the trickle went on for 30 s");
                assertTrue(seconds < MAX_SECONDS, "cut after " + seconds + " s");
                assertTrue(answer.equals("closed") || answer.startsWith("HTTP/1.1 4") || answer.startsWith("HTTP/1.1 5"),
                        answer);
            }
            assertTrue(app.loggedIn().get("/").statusCode() == 200, "an ordinary login still works");
        }
    }

    @Test
    void aLoginBodyThatNeverComesIsCutAtTheIdleTimeout() throws Exception {
        try (TestApp app = start()) {
            try (Socket s = new Socket("127.0.0.1", app.app.port())) {
                s.setSoTimeout(MAX_SECONDS * 1000);
                OutputStream out = s.getOutputStream();
                out.write(("POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                        + "Content-Length: 100\r\n\r\nuser").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                long started = System.nanoTime();
                try {
                    s.getInputStream().readAllBytes(); // an error answer, then the end; or a reset
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("still held after " + MAX_SECONDS + " s");
                } catch (SocketException e) {
                    // reset by the server: cut as well
                }
                long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
                assertTrue(seconds >= 2 && seconds < MAX_SECONDS, "cut after " + seconds + " s");
            }
        }
    }

    /** The server's first line if it answered within 200 ms, "closed" when it closed, else null. */
    private static String readWithin(InputStream in) throws IOException {
        byte[] buf = new byte[4096];
        try {
            int n = in.read(buf);
            if (n < 0) {
                return "closed";
            }
            String text = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
            return text.lines().findFirst().orElse("");
        } catch (SocketTimeoutException e) {
            return null;
        } catch (SocketException e) {
            return "closed";
        }
    }
}
