package io.dmarclens.web.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.web.TestApp;
import io.dmarclens.web.WebSettings;
import io.dmarclens.web.auth.TrustedProxies;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * #14: the session cookie without {@code web.secure_cookies}. Behind a trusted proxy that says https the
 * cookies are {@code Secure} by default; a stranger's {@code X-Forwarded-Proto} changes nothing, and plain
 * http on loopback keeps working without it.
 */
@Timeout(60)
class CookieAttackTest {
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    @TempDir
    Path dir;

    @Test
    void cookiesAreSecureBehindATrustedHttpsProxy() throws Exception {
        WebSettings behindProxy = WebSettings.defaults().withTrustedProxies(TrustedProxies.of(List.of("127.0.0.1")));
        try (TestApp app = TestApp.with(dir.resolve("proxy"), behindProxy, TestApp.SAMPLES_CLOCK)) {
            List<String> cookies = login(app.app.port(), "https");
            assertEquals(2, cookies.size(), cookies.toString());
            assertTrue(cookies.stream().allMatch(c -> c.contains("; Secure")), cookies.toString());
            assertTrue(login(app.app.port(), "http").stream().noneMatch(c -> c.contains("Secure")),
                    "the proxy says http: " + login(app.app.port(), "http"));
            assertTrue(login(app.app.port(), null).stream().noneMatch(c -> c.contains("Secure")));
        }
    }

    @Test
    void aStrangersForwardedProtoIsIgnored() throws Exception {
        try (TestApp app = TestApp.with(dir.resolve("direct"), WebSettings.defaults(), TestApp.SAMPLES_CLOCK)) {
            List<String> cookies = login(app.app.port(), "https");
            assertEquals(2, cookies.size(), cookies.toString());
            assertTrue(cookies.stream().noneMatch(c -> c.contains("Secure")), cookies.toString());
        }
        try (TestApp app = TestApp.with(dir.resolve("forced"), WebSettings.defaults().withSecureCookies(true),
                TestApp.SAMPLES_CLOCK)) {
            assertTrue(login(app.app.port(), null).stream().allMatch(c -> c.contains("; Secure")));
        }
    }

    /** The Set-Cookie headers of the login form and of a successful login, sent with {@code proto} if given. */
    private static List<String> login(int port, String proto) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + port;
        HttpRequest.Builder form = HttpRequest.newBuilder(URI.create(base + "/login")).GET();
        if (proto != null) {
            form.header("X-Forwarded-Proto", proto);
        }
        HttpResponse<String> page = http.send(form.build(), HttpResponse.BodyHandlers.ofString());
        String formCookie = page.headers().firstValue("Set-Cookie").orElseThrow();
        Matcher m = CSRF.matcher(page.body());
        assertTrue(m.find());
        String body = "username=" + TestApp.USER + "&password=" + URLEncoder.encode(TestApp.PASSWORD, StandardCharsets.UTF_8)
                + "&_csrf=" + m.group(1) + "&next=/";
        HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", formCookie.substring(0, formCookie.indexOf(';')))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (proto != null) {
            post.header("X-Forwarded-Proto", proto);
        }
        HttpResponse<String> r = http.send(post.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(303, r.statusCode(), r.body());
        String session = r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("dmarclens_session="))
                .findFirst().orElseThrow();
        assertFalse(session.startsWith("dmarclens_session=;"));
        return List.of(formCookie, session);
    }
}
