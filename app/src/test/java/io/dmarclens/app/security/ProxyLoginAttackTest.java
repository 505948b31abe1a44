package io.dmarclens.app.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dmarclens.web.security.LoopbackLogin;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #14, "20 bad logins lock out everyone" behind the recommended reverse proxy, against {@code serve}
 * configured as docs/security.md says: the proxy (here 127.0.0.1) in {@code web.trusted_proxies}. The limits
 * come from the configuration too (set low, so the test stays short).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ProxyLoginAttackTest {
    @TempDir
    Path dir;

    @Test
    void behindTheConfiguredProxyOneVisitorsGuessesDoNotLockOutTheOthers() throws Exception {
        Path data = dir.resolve("data");
        assertEquals(0, ServeProcess.users(dir, data, "dave's long password", "add", "dave"));
        Map<String, String> env = Map.of("DMARC_LENS_WEB_TRUSTED_PROXIES", "127.0.0.1",
                "DMARC_LENS_WEB_LOGIN_MAX_FAILURES_PER_ADDRESS", "3");
        try (ServeProcess serve = ServeProcess.start(dir, data, env)) {
            LoopbackLogin login = new LoopbackLogin(serve.webPort);
            for (int i = 0; i < 3; i++) {
                assertEquals(401, login.post("127.0.0.1", "203.0.113.66", "user" + i, "guess"));
            }
            assertEquals(429, login.post("127.0.0.1", "203.0.113.66", "user9", "guess"), "the guesser waits");
            assertEquals(303, login.post("127.0.0.1", "198.51.100.20", "dave", "dave's long password"),
                    "another visitor through the same proxy does not");
            // Not from the proxy: the header is the sender's own word and is ignored.
            for (int i = 0; i < 3; i++) {
                assertEquals(401, login.post("127.0.0.2", "198.51.100." + i, "user" + i, "guess"));
            }
            assertEquals(429, login.post("127.0.0.2", "198.51.100.99", "user9", "guess"));
        }
    }
}
