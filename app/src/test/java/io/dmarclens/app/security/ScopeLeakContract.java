package io.dmarclens.app.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.index.EmbeddedStore;
import io.dmarclens.store.query.DomainScope;
import io.dmarclens.store.users.Role;
import io.dmarclens.web.WebClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leak test of #12 on one store (subclasses say which): one store holding many domains, two users with
 * disjoint scopes (one a pattern), each crawled with a session and checked with a token; see
 * {@link ScopeLeakCheck} for what is asserted. Nothing here knows the pages: the crawl starts at {@code /} and the
 * API routes come from docs/api.md.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ScopeLeakContract {
    static final String ROOT = "root";
    /** A reader of a pattern: {@code shop.a.example} and {@code mail.a.example}, not {@code a.example}. */
    static final String PAT = "pat";
    static final String PAT_SCOPE = "*.a.example";
    static final String QUINN = "quinn";
    static final String QUINN_SCOPE = "b.example,c.example";

    Path dir;

    Extent extent;
    List<ScopeWorld.Input> inputs;
    ScopeServer full;
    ScopeServer empty;

    /** Opens the store under test. */
    abstract ScopeServer.Opener opener();

    /**
     * What the store under test holds, and how far the test goes. The embedded store takes the whole world
     * with alerts; a slower store may take a smaller one (the scope of alerts is the web layer's, the same on
     * every store).
     */
    record Extent(List<ScopeWorld.Input> inputs, boolean alerts, int maxPages, int foreignDomains, int foreignIps) {
    }

    abstract Extent extent();

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        this.dir = dir;
        extent = extent();
        inputs = extent.inputs();
        full = new ScopeServer(dir.resolve("full"), opener(), inputs, extent.alerts());
        empty = new ScopeServer(dir.resolve("empty"), EmbeddedStore::open, List.of());
        for (ScopeServer s : List.of(full, empty)) {
            s.addUser(ROOT, Role.ADMIN, "all");
        }
        full.addUser(PAT, Role.ANALYST, PAT_SCOPE);
        full.addUser(QUINN, Role.ANALYST, QUINN_SCOPE);
        // Through the real inbox: copies of an own and a foreign report (duplicates: the figures stay), and a file
        // that cannot be read, named for a foreign domain, which goes to the quarantine.
        ScopeWorld.Input own = inputs.stream().filter(i -> "shop.a.example".equals(i.domain())).findFirst().orElseThrow();
        ScopeWorld.Input foreign = inputs.stream().filter(i -> "d.example".equals(i.domain())).findFirst().orElseThrow();
        full.mailIn(own.name(), own.content());
        full.mailIn(foreign.name(), foreign.content());
        full.mailIn("garbage-of-e.example.xml", "<feedback>not a report of e.example".getBytes(StandardCharsets.UTF_8));
        full.awaitIngested(3);
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[]{full, empty}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void aReaderOfAPatternSeesNothingOfOtherDomains() throws Exception {
        leakTest(PAT, PAT_SCOPE);
    }

    @Test
    void aReaderOfTwoDomainsSeesNothingOfOtherDomains() throws Exception {
        leakTest(QUINN, QUINN_SCOPE);
    }

    private void leakTest(String user, String scopeText) throws Exception {
        DomainScope scope = DomainScope.parse(scopeText);
        List<ScopeWorld.Input> own = inputs.stream().filter(i -> i.domain() != null && scope.permits(i.domain())).toList();
        try (ScopeServer reference = new ScopeServer(dir.resolve("reference-" + user), EmbeddedStore::open, own)) {
            reference.addUser(ROOT, Role.ADMIN, "all");
            WebClient fullRoot = full.loggedIn(ROOT);
            ScopeLeakCheck check = new ScopeLeakCheck(full, fullRoot, reference.loggedIn(ROOT), empty.loggedIn(ROOT), scope,
                    extent.maxPages());
            ForeignFacts facts = check.facts();
            // The store holds what the test is about: many foreign domains and addresses, foreign objects of every kind.
            assertTrue(facts.foreignDomains().size() >= extent.foreignDomains(), "foreign domains: " + facts.foreignDomains());
            assertTrue(facts.foreignIps().size() >= extent.foreignIps(), "foreign addresses: " + facts.foreignIps());
            assertTrue(!facts.ownReports().isEmpty() && !facts.ownFailures().isEmpty() && !facts.ownTls().isEmpty()
                    && !facts.foreignFailures().isEmpty() && !facts.foreignTls().isEmpty(), facts.toString());
            assertTrue(fullRoot.get("/api/ingest/quarantine").body().contains("e.example"),
                    "the quarantine holds the file named for a foreign domain");

            WebClient session = full.loggedIn(user);
                check.crawl(session, user);
            check.api(full.users.issueToken(user), user);
            check.foreignObjects(session, user);
            check.foreignDomainAsUnknown(session, user);
            check.totals(session, user);

            assertEquals(List.of(), check.problems(), check.problems().size() + " problems in " + check.answers() + " answers");
            List<String> expected = new java.util.ArrayList<>(List.of("/", "/reports/N", "/failures/N", "/tls/N",
                    "/sources/N", "/search", "/alerts", "/domains", "/posture", "/ingest", "/api/charts/volume",
                    "token /api/records.csv", "token /api/reports/N/original", "token /api/search.csv"));
            if (extent.alerts()) {
                expected.addAll(List.of("/alerts/N", "token /api/alerts/N"));
            }
            for (String kind : expected) {
                assertTrue(check.kinds().contains(kind), kind + " not reached; reached: " + check.kinds());
            }
            assertTrue(check.answers() > 120, "answers checked: " + check.answers());
            Set<String> kinds = check.kinds();
            assertTrue(kinds.size() > 40, "kinds of answer: " + kinds);
        }
    }
}
