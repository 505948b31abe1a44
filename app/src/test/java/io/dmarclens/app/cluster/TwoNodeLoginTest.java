package io.dmarclens.app.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.app.cli.ServeRuntime;
import io.dmarclens.app.config.ConfigLoader;
import io.dmarclens.app.config.ConfigOverrides;
import io.dmarclens.app.config.ServeConfig;
import io.dmarclens.opensearch.testing.DropIndicesAfterClass;
import io.dmarclens.opensearch.testing.OpenSearchTestNode;
import io.dmarclens.web.WebClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code serve} nodes (each its own data directory and port) on one OpenSearch store, with one browser sent
 * to either by a load balancer: a login through A holds on B, a logout through B ends the session on A, a removed
 * user is out on both, and failed logins spread over the nodes are counted together.
 */
@ExtendWith(DropIndicesAfterClass.class)
class TwoNodeLoginTest {
    private static final String PASSWORD = "correct horse battery";

    @TempDir
    Path dir;

    private ServeConfig node(String prefix, String name) {
        return new ConfigLoader(Map.of("DMARC_LENS_STORE_OPENSEARCH_INDEX_PREFIX", prefix,
                "DMARC_LENS_STORE_OPENSEARCH_REPLICAS", "0")).load(null, new ConfigOverrides(dir.resolve(name),
                "127.0.0.1:0", "127.0.0.1:0", List.of(), true, OpenSearchTestNode.shared().url().toString()));
    }

    @Test
    void aSessionOpenedOnOneNodeHoldsOnTheOtherAndEndsOnBoth() throws Exception {
        String prefix = OpenSearchTestNode.prefix(getClass(), dir);
        try (ServeRuntime a = ServeRuntime.start(node(prefix, "a")); ServeRuntime b = ServeRuntime.start(node(prefix, "b"))) {
            a.users().addOrReplace("alice", PASSWORD.toCharArray());
            b.users().addOrReplace("bob", PASSWORD.toCharArray());
            WebClient viaA = new WebClient(a.web().port());
            assertEquals(303, viaA.login("alice", PASSWORD).statusCode());
            WebClient viaB = viaA.at(b.web().port());
            HttpResponse<String> overview = viaB.get("/");
            assertEquals(200, overview.statusCode(), "logged in through A, the next request reaches B");
            assertTrue(overview.body().contains("alice"), "B knows who is logged in");
            assertEquals(200, viaB.get("/api/overview").statusCode());

            HttpResponse<String> logout = viaB.postForm("/logout", Map.of("_csrf", viaA.csrf()));
            assertEquals(303, logout.statusCode(), "B accepts the CSRF token of the session A opened");
            assertEquals(401, viaA.at(a.web().port()).get("/api/overview").statusCode(), "logged out through B: out on A");

            WebClient bob = new WebClient(b.web().port());
            assertEquals(303, bob.login("bob", PASSWORD).statusCode());
            assertEquals(200, bob.at(a.web().port()).get("/api/overview").statusCode());
            assertTrue(a.users().remove("bob"), "removed through node A's accounts");
            assertEquals(401, bob.get("/api/overview").statusCode(), "a removed user is out on B at once");
            assertEquals(401, bob.at(a.web().port()).get("/api/overview").statusCode());
        }
    }

    @Test
    void guessesSpreadOverTwoNodesAreThrottledTogether() throws Exception {
        String prefix = OpenSearchTestNode.prefix(getClass(), dir);
        try (ServeRuntime a = ServeRuntime.start(node(prefix, "a")); ServeRuntime b = ServeRuntime.start(node(prefix, "b"))) {
            a.users().addOrReplace("alice", PASSWORD.toCharArray());
            WebClient viaA = new WebClient(a.web().port());
            WebClient viaB = viaA.at(b.web().port());
            // The default limit for one user from one address is 5 failures in 15 minutes.
            for (int i = 0; i < 5; i++) {
                WebClient node = i % 2 == 0 ? viaA : viaB;
                assertEquals(401, node.login("alice", "wrong guess " + i).statusCode(), "guess " + (i + 1));
            }
            HttpResponse<String> sixthOnA = viaA.login("alice", "wrong guess 6");
            assertEquals(429, sixthOnA.statusCode(), "three guesses on A and two on B count as five");
            assertTrue(sixthOnA.headers().firstValue("Retry-After").isPresent());
            assertEquals(429, viaB.login("alice", PASSWORD).statusCode(), "B refuses even the right password now");
        }
    }
}
