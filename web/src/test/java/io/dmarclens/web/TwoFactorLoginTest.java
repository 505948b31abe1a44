package io.dmarclens.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.store.audit.AuditEntry;
import io.dmarclens.store.audit.AuditQuery;
import io.dmarclens.store.users.Role;
import io.dmarclens.web.auth.LoginLimits;
import io.dmarclens.web.auth.Totp;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TOTP two-factor login on a real server, with a TOTP generator in the test and the dashboard's clock moved
 * by hand: a role that requires it enrols at the first login (QR code, key, first code, recovery codes shown
 * once), then logs in with password and code; wrong, replayed and old codes are refused and logged;
 * a recovery code works once; the secret is stored sealed.
 */
@Timeout(120)
class TwoFactorLoginTest {
    private static final Pattern KEY = Pattern.compile("id=\"two-factor-key\">([A-Z2-7]+)<");
    private static final Pattern RECOVERY = Pattern.compile("<li>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})</li>");

    @TempDir
    Path dir;

    @Test
    void anAdminEnrolsAtTheFirstLoginThenLogsInWithPasswordAndCode() throws Exception {
        TestClock clock = new TestClock(TestData.CLOCK.instant());
        WebSettings settings = WebSettings.defaults().withTwoFactorRoles(Set.of(Role.ADMIN));
        try (TestApp app = TestApp.with(dir, settings, clock)) {
            // Enrolment: the password alone opens nothing but the enrolment page.
            WebClient first = app.client();
            HttpResponse<String> login = first.login(TestApp.USER, TestApp.PASSWORD);
            assertEquals(303, login.statusCode());
            assertEquals("/account/two-factor", login.headers().firstValue("Location").orElseThrow());
            assertEquals(303, first.get("/reports").statusCode(), "sent to enrol");
            assertEquals("/account/two-factor", first.get("/reports").headers().firstValue("Location").orElseThrow());
            assertEquals(403, first.get("/api/reports").statusCode());
            String page = first.get("/account/two-factor").body();
            assertTrue(page.contains("id=\"two-factor-qr\""), page);
            HttpResponse<String> qr = first.get("/account/two-factor/qr.svg");
            assertEquals(200, qr.statusCode());
            assertTrue(qr.body().startsWith("<svg") && qr.body().contains("<path"), qr.body());
            assertEquals("no-store", qr.headers().firstValue("Cache-Control").orElse(""));
            Matcher key = KEY.matcher(page);
            assertTrue(key.find(), page);
            byte[] secret = Totp.fromBase32(key.group(1));
            first.refreshCsrf("/account/two-factor");
            assertEquals(400, first.postForm("/account/two-factor", Map.of("_csrf", first.csrf(),
                    "code", Totp.code(secret, step(clock) + 3))).statusCode(), "a wrong first code");
            HttpResponse<String> enrolled = first.postForm("/account/two-factor", Map.of("_csrf", first.csrf(),
                    "code", Totp.code(secret, step(clock))));
            assertEquals(200, enrolled.statusCode(), enrolled.body());
            List<String> recovery = RECOVERY.matcher(enrolled.body()).results().map(r -> r.group(1)).toList();
            assertEquals(10, recovery.size(), enrolled.body());
            assertEquals(200, first.get("/reports").statusCode(), "the session goes on once enrolled");
            assertFalse(first.get("/account/two-factor").body().contains(recovery.get(0)), "shown once");

            // Stored sealed: neither the key nor the recovery codes are in web.db.
            String dump = dump(dir.resolve("data/web.db"));
            assertFalse(dump.contains(key.group(1)) || dump.contains(recovery.get(0)), dump);
            assertTrue(Files.exists(dir.resolve("data/two-factor.key")));

            // Login: password, then code.
            clock.advance(Duration.ofSeconds(30));
            WebClient second = app.client();
            HttpResponse<String> codeForm = second.login(TestApp.USER, TestApp.PASSWORD);
            assertEquals(200, codeForm.statusCode());
            assertTrue(codeForm.body().contains("name=\"code\""), codeForm.body());
            assertEquals(303, second.get("/reports").statusCode(), "no session before the code");
            HttpResponse<String> wrong = second.submitCode(codeForm.body(), Totp.code(secret, step(clock) - 5));
            assertEquals(401, wrong.statusCode(), "a code from long ago");
            String code = Totp.code(secret, step(clock));
            HttpResponse<String> right = second.submitCode(wrong.body(), code);
            assertEquals(303, right.statusCode(), codeForm.headers().allValues("Set-Cookie") + " " + right.body());
            assertEquals(200, second.get("/reports").statusCode());

            // The same code again, in another login: refused (each code once).
            WebClient replay = app.client();
            HttpResponse<String> again = replay.login(TestApp.USER, TestApp.PASSWORD);
            assertEquals(401, replay.submitCode(again.body(), code).statusCode());

            // A recovery code works once.
            WebClient lost = app.client();
            HttpResponse<String> form = lost.login(TestApp.USER, TestApp.PASSWORD);
            assertEquals(303, lost.submitCode(form.body(), recovery.get(0)).statusCode());
            WebClient lostAgain = app.client();
            form = lostAgain.login(TestApp.USER, TestApp.PASSWORD);
            assertEquals(401, lostAgain.submitCode(form.body(), recovery.get(0)).statusCode());

            List<AuditEntry> log = app.users.auditLog().orElseThrow().find(AuditQuery.all(100));
            assertTrue(log.stream().anyMatch(e -> e.action().equals("two-factor") && e.subject().equals("enrolled")), log.toString());
            assertTrue(log.stream().anyMatch(e -> e.action().equals("login")
                    && e.subject().equals("password and second factor")), log.toString());
            assertTrue(log.stream().filter(e -> e.action().equals("login.failed") && e.subject().equals("second factor"))
                    .count() >= 3, log.toString());
        }
    }

    @Test
    void codesAreThrottledLikePasswords() throws Exception {
        TestClock clock = new TestClock(TestData.CLOCK.instant());
        LoginLimits d = LoginLimits.defaults();
        try (TestApp app = TestApp.with(dir, WebSettings.defaults(), clock)) {
            byte[] secret = enrol(app, clock);
            WebClient guesser = app.client();
            HttpResponse<String> form = guesser.login(TestApp.USER, TestApp.PASSWORD);
            int status = 0;
            for (int i = 0; i < 200 && status != 429; i++) {
                HttpResponse<String> r = guesser.submitCode(form.body(), String.format("%06d", i));
                status = r.statusCode();
                form = r;
            }
            assertEquals(429, status, "code guesses meet the login limit");
            assertEquals(429, guesser.submitCode(form.body(), Totp.code(secret, step(clock))).statusCode(),
                    "even the right code waits once the limit is reached");
        }
    }

    /** Enrols USER (not required by role) through the page; returns the secret. */
    private static byte[] enrol(TestApp app, TestClock clock) throws Exception {
        WebClient c = app.loggedIn(TestApp.USER);
        String page = c.get("/account/two-factor").body();
        Matcher key = KEY.matcher(page);
        assertTrue(key.find(), page);
        byte[] secret = Totp.fromBase32(key.group(1));
        assertEquals(200, c.postForm("/account/two-factor", Map.of("_csrf", c.csrf(),
                "code", Totp.code(secret, step(clock)))).statusCode());
        clock.advance(Duration.ofSeconds(30));
        return secret;
    }

    @Test
    void aCodeUsedOnceIsRefusedAfterARestartToo() throws Exception {
        TestClock clock = new TestClock(TestData.CLOCK.instant());
        WebSettings settings = WebSettings.defaults().withTwoFactorRoles(Set.of(Role.ADMIN));
        byte[] secret = new byte[20];
        new java.security.SecureRandom().nextBytes(secret);
        String code;
        try (TestApp app = TestApp.with(dir, settings, clock)) {
            assertTrue(app.users.twoFactor(Set.of(), clock).confirm(TestApp.USER, secret,
                    Totp.code(secret, step(clock))).isPresent());
            clock.advance(Duration.ofSeconds(30));
            code = Totp.code(secret, step(clock));
            WebClient c = app.client();
            assertEquals(303, c.submitCode(c.login(TestApp.USER, TestApp.PASSWORD).body(), code).statusCode());
        }
        // The server restarts within the code's 90 seconds: the code was used, and stays used.
        try (TestApp app = TestApp.with(dir, settings, clock)) {
            WebClient replay = app.client();
            assertEquals(401, replay.submitCode(replay.login(TestApp.USER, TestApp.PASSWORD).body(), code).statusCode());
            clock.advance(Duration.ofSeconds(30));
            WebClient next = app.client();
            assertEquals(303, next.submitCode(next.login(TestApp.USER, TestApp.PASSWORD).body(),
                    Totp.code(secret, step(clock))).statusCode(), "the next code works");
        }
    }

    private static long step(TestClock clock) {
        return clock.instant().getEpochSecond() / 30;
    }

    private static String dump(Path db) throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            for (String sql : List.of("SELECT name, COALESCE(totp_secret,'') FROM users",
                    "SELECT code_hash FROM recovery_codes")) {
                try (ResultSet rs = s.executeQuery(sql)) {
                    while (rs.next()) {
                        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                            out.append(rs.getString(i)).append(' ');
                        }
                    }
                }
            }
        }
        return out.toString();
    }
}
