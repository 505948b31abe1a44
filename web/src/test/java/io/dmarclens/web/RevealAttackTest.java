package io.dmarclens.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.dmarclens.store.query.FailureRow;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.ReportFilter;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * #14, the people in failure reports, attacked on a real server: a logged-in viewer (#12: viewers never
 * reveal) and a read-only token try to reveal addresses, download the unredacted original and find
 * addresses by search; the subject carries an address too. Only the user given the permission reveals, and
 * each reveal is logged with user and time.
 */
@Timeout(120)
class RevealAttackTest {
    private static final String VICTIM = "carol.secret@example.com";

    @TempDir
    Path dir;

    @Test
    void onlyTheUserWithThePermissionRevealsAndEveryRevealIsLogged() throws Exception {
        Logger audit = (Logger) LoggerFactory.getLogger("dmarclens.audit");
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        ch.qos.logback.classic.Level before = audit.getLevel();
        audit.setLevel(ch.qos.logback.classic.Level.INFO);
        audit.addAppender(logged);
        try (TestApp app = TestApp.start(dir)) {
            TestData.failure(app.store, "failure-subject.eml", "Re: your account " + VICTIM, VICTIM, "192.0.2.99");
            app.store.awaitIndexed();
            long id = app.store.failureReports().failureReports(ReportFilter.all(), Page.first(50)).stream()
                    .filter(f -> VICTIM.equals(f.originalMailFrom())).findFirst().map(FailureRow::id).orElseThrow();

            WebClient bob = app.loggedIn(TestApp.OTHER_USER);
            HttpResponse<String> page = bob.get("/failures/" + id);
            assertEquals(200, page.statusCode());
            assertFalse(page.body().contains(VICTIM), "an address on the redacted page");
            assertFalse(page.body().contains("id=\"reveal\""), "a reveal link for a user who may not");
            assertFalse(page.body().contains("/original"), "a link to the unredacted original");
            assertTrue(page.body().contains("c\u2026@example.com"), "the redacted form is shown");
            for (String path : List.of("/failures/" + id + "?reveal=1", "/api/failures/" + id + "?reveal=1",
                    "/failures/" + id + "/original")) {
                HttpResponse<String> r = bob.get(path);
                assertEquals(403, r.statusCode(), path);
                assertFalse(r.body().contains(VICTIM), path);
            }

            String token = app.users.issueToken(TestApp.USER);
            for (String path : List.of("/api/failures/" + id + "?reveal=1", "/failures/" + id + "/original")) {
                HttpResponse<String> r = app.client().get(path, "Authorization", "Bearer " + token);
                assertEquals(403, r.statusCode(), "a token of a user who may reveal still may not: " + path);
                assertFalse(r.body().contains(VICTIM), path);
            }
            String json = app.client().get("/api/failures/" + id, "Authorization", "Bearer " + token).body();
            assertFalse(json.contains(VICTIM), "the subject is redacted too: " + json);
            String list = app.client().get("/api/failures.csv", "Authorization", "Bearer " + token).body();
            assertFalse(list.contains(VICTIM), list);
            assertTrue(logged.list.stream().noneMatch(e -> e.getFormattedMessage().startsWith("reveal user=")),
                    "nothing was revealed yet");

            // search can neither list nor confirm the address
            for (String q : List.of("to:" + VICTIM, "envfrom:" + VICTIM, "from:" + VICTIM, "carol.secret", "kind:failure")) {
                String hits = bob.get("/api/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8)).body();
                assertFalse(hits.contains("carol"), q + ": " + hits);
            }
            String none = bob.get("/api/search?q=" + URLEncoder.encode("envfrom:" + VICTIM, StandardCharsets.UTF_8)).body();
            assertTrue(none.contains("\"rows\":[]"), none);

            WebClient alice = app.loggedIn();
            HttpResponse<String> revealed = alice.get("/failures/" + id + "?reveal=1");
            assertEquals(200, revealed.statusCode());
            assertTrue(revealed.body().contains(VICTIM), "the permitted user sees the address");
            assertTrue(alice.get("/failures/" + id).body().contains("id=\"reveal\""));
            assertEquals(200, alice.get("/failures/" + id + "/original").statusCode());
            List<String> reveals = logged.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.startsWith("reveal user=")).toList();
            assertEquals(2, reveals.size(), reveals.toString());
            assertTrue(reveals.get(0).contains("user=" + TestApp.USER) && reveals.get(0).contains("failure report " + id)
                    && reveals.get(0).contains("address=127.0.0.1"), reveals.get(0));
            assertTrue(reveals.get(1).contains("original file"), reveals.get(1));
            // The audit log keeps them, with the time, and the viewer's refused tries too.
            List<io.dmarclens.store.audit.AuditEntry> entries = app.users.auditLog().orElseThrow()
                    .find(io.dmarclens.store.audit.AuditQuery.all(1000));
            assertEquals(2, entries.stream().filter(e -> e.action().equals("reveal") && e.user().equals(TestApp.USER)
                    && e.at().equals(TestData.CLOCK.instant())).count(), entries.toString());
            assertTrue(entries.stream().anyMatch(e -> e.action().equals("reveal.refused")
                    && e.user().equals(TestApp.OTHER_USER)), entries.toString());
        } finally {
            audit.detachAppender(logged);
            audit.setLevel(before);
        }
    }
}
