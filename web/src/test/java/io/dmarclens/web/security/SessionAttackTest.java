package io.dmarclens.web.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.web.TestApp;
import io.dmarclens.web.TestClock;
import io.dmarclens.web.TestData;
import io.dmarclens.web.WebClient;
import io.dmarclens.web.WebSettings;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #14, "Sessions outlive the account": a session opened before the user's password was set again, or
 * before the user was removed, reads and changes nothing after; and no session outlives its lifetime.
 * (The same with {@code users add/remove} run as another process: app's AccountChangeAttackTest.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SessionAttackTest {
    @TempDir
    Path dir;
    private TestApp app;

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void aNewPasswordEndsTheSessionsOfTheOldOne() throws Exception {
        app = TestApp.with(dir, WebSettings.defaults(), TestData.CLOCK);
        WebClient before = app.loggedIn();
        assertEquals(200, before.get("/reports").statusCode());
        assertEquals(200, before.get("/api/failures").statusCode());
        app.users.addOrReplace(TestApp.USER, "a new password entirely".toCharArray());
        assertRefused(before);
        assertEquals(401, app.client().login(TestApp.USER, TestApp.PASSWORD).statusCode(), "the old password");
        WebClient after = app.client();
        assertEquals(303, after.login(TestApp.USER, "a new password entirely").statusCode());
        assertEquals(200, after.get("/reports").statusCode(), "the new password's session works");
    }

    @Test
    void removingTheUserEndsItsSessions() throws Exception {
        app = TestApp.with(dir, WebSettings.defaults(), TestData.CLOCK);
        WebClient session = app.loggedIn();
        // Another admin first: the last admin cannot be removed.
        app.users.addOrReplace("root", TestApp.PASSWORD.toCharArray());
        assertTrue(app.users.remove(TestApp.USER));
        assertRefused(session);
        // added again with the same password: still a new account, the old session stays ended
        app.users.addOrReplace(TestApp.USER, TestApp.PASSWORD.toCharArray());
        assertEquals(303, session.get("/reports").statusCode());
    }

    @Test
    void aSessionInUseStillEndsAtItsLifetime() throws Exception {
        TestClock clock = new TestClock(TestData.CLOCK.instant());
        app = TestApp.with(dir, WebSettings.defaults().withSessionLifetime(Duration.ofHours(12)), clock);
        WebClient session = app.loggedIn();
        for (int hour = 1; hour < 12; hour++) {
            clock.advance(Duration.ofHours(1));
            assertEquals(200, session.get("/api/overview").statusCode(), "hour " + hour);
        }
        clock.advance(Duration.ofHours(1));
        assertEquals(401, session.get("/api/overview").statusCode());
    }

    private static void assertRefused(WebClient old) throws Exception {
        HttpResponse<String> page = old.get("/reports");
        assertEquals(303, page.statusCode());
        assertTrue(page.headers().firstValue("Location").orElse("").startsWith("/login"));
        assertEquals(401, old.get("/api/failures").statusCode());
        HttpResponse<String> upload = old.postFile("/api/ingest/upload", Map.of("_csrf", old.csrf()), "files",
                "r.xml", "<feedback/>".getBytes(StandardCharsets.UTF_8));
        assertEquals(401, upload.statusCode());
    }
}
