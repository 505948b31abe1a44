package io.dmarclens.app.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.web.WebClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #14, "Sessions outlive the account", as reported: a real {@code serve}, a logged-in browser, and
 * {@code users add} / {@code users remove} run from the command line as other processes. The old session
 * must read and upload nothing afterwards.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AccountChangeAttackTest {
    private static final String FIRST = "carol's first password";
    private static final String SECOND = "carol's second password";
    private static final byte[] REPORT = ("<?xml version=\"1.0\"?><feedback><report_metadata><org_name>x</org_name>"
            + "<email>x@example.com</email><report_id>r1</report_id><date_range><begin>1700000000</begin>"
            + "<end>1700086400</end></date_range></report_metadata><policy_published><domain>example.com</domain>"
            + "<p>none</p></policy_published></feedback>").getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void usersAddAndRemoveFromTheCommandLineEndTheSessionsOfARunningServer() throws Exception {
        Path data = dir.resolve("data");
        assertEquals(0, ServeProcess.users(dir, data, FIRST, "add", "carol"));
        try (ServeProcess serve = ServeProcess.start(dir, data, Map.of())) {
            WebClient browser = new WebClient(serve.webPort);
            assertEquals(303, browser.login("carol", FIRST).statusCode());
            assertEquals(200, browser.get("/reports").statusCode());
            assertEquals(202, upload(browser).statusCode(), "the session may upload");

            assertEquals(0, ServeProcess.users(dir, data, SECOND, "add", "carol"));
            assertRefused(browser);

            WebClient again = new WebClient(serve.webPort);
            assertEquals(303, again.login("carol", SECOND).statusCode());
            assertEquals(200, again.get("/reports").statusCode());
            // Another admin first: the last admin cannot be removed.
            assertEquals(0, ServeProcess.users(dir, data, FIRST, "add", "root"));
            assertEquals(0, ServeProcess.users(dir, data, null, "remove", "carol"));
            assertRefused(again);
        }
    }

    private static void assertRefused(WebClient old) throws Exception {
        HttpResponse<String> page = old.get("/reports");
        assertEquals(303, page.statusCode(), "pages send the old session to the login");
        assertTrue(page.headers().firstValue("Location").orElse("").startsWith("/login"));
        assertEquals(401, old.get("/api/failures").statusCode());
        assertEquals(401, upload(old).statusCode());
    }

    private static HttpResponse<String> upload(WebClient c) throws Exception {
        return c.postFile("/api/ingest/upload", Map.of("_csrf", c.csrf()), "files", "report.xml", REPORT);
    }
}
