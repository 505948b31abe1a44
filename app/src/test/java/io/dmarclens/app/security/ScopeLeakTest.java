package io.dmarclens.app.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.index.EmbeddedStore;
import io.dmarclens.store.query.DomainScope;
import io.dmarclens.store.users.Role;
import io.dmarclens.web.WebClient;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The leak test of #12 on the embedded store (SQLite + Lucene), and what role and scope together allow, by direct
 * HTTP requests (a hidden button is no protection): the role is checked first and answers 403 whatever the object,
 * then an object outside the scope is 404 for every role, also for changes and downloads.
 */
class ScopeLeakTest extends ScopeLeakContract {
    @Override
    ScopeServer.Opener opener() {
        return EmbeddedStore::open;
    }

    @Override
    Extent extent() {
        return new Extent(ScopeWorld.inputs(), true, 90, 12, 30);
    }

    @Test
    void roleAndScopeHoldForDirectRequests() throws Exception {
        full.addUser("vic", Role.VIEWER, "b.example");
        full.addUser("ada", Role.ADMIN, "c.example");
        ForeignFacts forPat = ForeignFacts.of(full.store, DomainScope.parse(PAT_SCOPE));
        ForeignFacts forVic = ForeignFacts.of(full.store, DomainScope.parse("b.example"));
        WebClient pat = full.loggedIn(PAT);
        WebClient vic = full.loggedIn("vic");
        WebClient ada = full.loggedIn("ada");
        WebClient root = full.loggedIn(ROOT);
        long own = forPat.ownReports().get(0);
        long foreign = forPat.foreignReports().get(0);

        // Raw downloads: the analyst gets its own report's file, a foreign one is 404.
        assertEquals(200, pat.get("/reports/" + own + "/original").statusCode());
        assertEquals(404, pat.get("/reports/" + foreign + "/original").statusCode());
        assertEquals(404, pat.get("/api/reports/" + foreign + "/original").statusCode());
        // A viewer may not download at all: 403 for its own report and a foreign one alike (nothing told).
        long vicOwn = forVic.ownReports().get(0);
        assertEquals(403, vic.get("/reports/" + vicOwn + "/original").statusCode());
        assertEquals(403, vic.get("/reports/" + foreign + "/original").statusCode());
        assertEquals(200, vic.get("/reports/" + vicOwn).statusCode());
        assertEquals(404, vic.get("/reports/" + forVic.foreignReports().get(0)).statusCode());

        // Revealing a failure report's addresses: the analyst's own, not a foreign one; never for a viewer.
        assertEquals(200, pat.get("/api/failures/" + forPat.ownFailures().get(0) + "?reveal=1").statusCode());
        assertEquals(404, pat.get("/api/failures/" + forPat.foreignFailures().get(0) + "?reveal=1").statusCode());
        assertEquals(403, vic.get("/api/failures/" + forVic.ownFailures().get(0) + "?reveal=1").statusCode());

        // Acknowledging an alert: an analyst's own domain's, not a foreign one's (also when posted by hand).
        String ownAlert = firstAlert(root, "shop.a.example");
        String foreignAlert = firstAlert(root, "d.example");
        assertEquals(404, pat.postForm("/api/alerts/" + foreignAlert + "/acknowledge",
                Map.of("_csrf", pat.csrf(), "comment", "not mine")).statusCode());
        assertTrue(root.get("/api/alerts/" + foreignAlert).body().contains("\"acknowledged_by\":null"));
        assertEquals(200, pat.postForm("/api/alerts/" + ownAlert + "/acknowledge",
                Map.of("_csrf", pat.csrf(), "comment", "ours, expected")).statusCode());
        // A token stays read-only whatever its scope.
        String token = full.users.issueToken(PAT);
        assertEquals(200, full.client().get("/api/reports/" + own + "/original", "Authorization", "Bearer " + token)
                .statusCode(), "an analyst's token downloads its own report");
        assertEquals(404, full.client().get("/api/reports/" + foreign + "/original", "Authorization", "Bearer " + token)
                .statusCode());

        // An admin of one domain: the audit log yes; the quarantine (mail of no trustworthy domain) neither listed
        // nor retried nor downloaded, though it holds a file.
        String quarantined = root.get("/api/ingest/quarantine").body().replaceAll("(?s).*\"id\":\"([^\"]+)\".*", "$1");
        assertTrue(quarantined.matches("[A-Za-z0-9._-]+"), quarantined);
        assertEquals(200, ada.get("/audit").statusCode());
        assertFalse(ada.get("/api/ingest/quarantine").body().contains(quarantined));
        assertEquals(404, ada.get("/api/ingest/quarantine/" + quarantined).statusCode());
        assertEquals(404, ada.postForm("/api/ingest/quarantine/" + quarantined + "/retry",
                Map.of("_csrf", ada.csrf())).statusCode());
        assertTrue(ada.get("/ingest").body().contains("id=\"ingest-scope\""), "the ingest page says why it is empty");
        // Not an admin: 403 before any scope question.
        assertEquals(403, pat.postForm("/api/ingest/quarantine/" + quarantined + "/retry",
                Map.of("_csrf", pat.csrf())).statusCode());

        // Posture: only the reader's domains; the form for any other domain is not offered, and asking is 404.
        HttpResponse<String> posture = pat.get("/posture");
        assertEquals(200, posture.statusCode());
        assertFalse(posture.body().contains("Another domain"));
        assertEquals(404, pat.get("/posture?domain=d.example").statusCode());
        assertEquals(404, pat.get("/api/posture?domain=d.example").statusCode());
        assertEquals(200, root.get("/posture?domain=d.example").statusCode());
    }

    private static String firstAlert(WebClient root, String domain) throws Exception {
        String body = root.get("/api/alerts?domain=" + domain).body();
        if (!body.contains("\"id\":")) {
            body += " (all alerts: " + root.get("/api/alerts").body() + ")";
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"id\":(\\d+)").matcher(body);
        assertTrue(m.find(), "an alert of " + domain + ": " + body);
        return m.group(1);
    }
}
