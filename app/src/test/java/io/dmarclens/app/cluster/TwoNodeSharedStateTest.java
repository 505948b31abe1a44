package io.dmarclens.app.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.dmarclens.app.cli.ServeRuntime;
import io.dmarclens.app.config.ConfigLoader;
import io.dmarclens.app.config.ConfigOverrides;
import io.dmarclens.app.config.ServeConfig;
import io.dmarclens.opensearch.testing.DropIndicesAfterClass;
import io.dmarclens.opensearch.testing.OpenSearchTestNode;
import io.dmarclens.web.WebClient;
import io.dmarclens.web.auth.SecretBox;
import io.dmarclens.web.auth.Totp;
import io.dmarclens.web.auth.TwoFactor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What was kept per node before, shared by two {@code serve} nodes on one OpenSearch store: a two-factor login whose
 * password was checked by node A is finished with its code on node B (and that step cannot be finished twice); an
 * alert raised by node A's commit is listed on node B's Alerts API, and its notice reaches a web hook once although
 * both nodes run a deliverer on the one outbox.
 */
@ExtendWith(DropIndicesAfterClass.class)
class TwoNodeSharedStateTest {
    private static final String PASSWORD = "correct horse battery";
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    private ServeConfig node(String prefix, String name, Map<String, String> more) {
        Map<String, String> env = new HashMap<>(Map.of("DMARC_LENS_STORE_OPENSEARCH_INDEX_PREFIX", prefix,
                "DMARC_LENS_STORE_OPENSEARCH_REPLICAS", "0", "DMARC_LENS_NODE_NAME", name,
                "DMARC_LENS_OFFLINE", "true"));
        env.putAll(more);
        return new ConfigLoader(env).load(null, new ConfigOverrides(dir.resolve(name), "127.0.0.1:0", "127.0.0.1:0",
                List.of(), true, OpenSearchTestNode.shared().url().toString()));
    }

    @Test
    void aSecondStepBegunOnOneNodeIsFinishedOnTheOtherOnce() throws Exception {
        String prefix = OpenSearchTestNode.prefix(getClass(), dir.resolve("login"));
        // Every node has the same key (docs/cluster.md): made once, then named by both.
        SecretBox.open(dir.resolve("key"));
        Map<String, String> key = Map.of("DMARC_LENS_WEB_TWO_FACTOR_KEY_FILE", dir.resolve("key/two-factor.key").toString(),
                "DMARC_LENS_ALERTS_ENABLED", "false");
        try (ServeRuntime a = ServeRuntime.start(node(prefix, "node-a", key));
             ServeRuntime b = ServeRuntime.start(node(prefix, "node-b", key))) {
            a.users().addOrReplace("alice", PASSWORD.toCharArray());
            TwoFactor factor = a.users().twoFactor(Set.of(), a.clock());
            byte[] secret = factor.newSecret();
            long step = a.clock().instant().getEpochSecond() / 30;
            assertTrue(factor.confirm("alice", secret, Totp.code(secret, step)).isPresent(), "enrolled");

            WebClient viaA = new WebClient(a.web().port());
            HttpResponse<String> password = viaA.login("alice", PASSWORD);
            assertEquals(200, password.statusCode(), "node A checked the password and asks for the code");
            assertTrue(password.body().contains("name=\"code\""), password.body());
            WebClient viaB = viaA.at(b.web().port());
            HttpResponse<String> code = viaB.submitCode(password.body(), Totp.code(secret, step + 1));
            assertEquals(303, code.statusCode(), "the code reaches node B, which knows the step node A began: "
                    + code.body());
            assertEquals(200, viaB.get("/api/overview").statusCode(), "logged in through B");
            assertEquals(200, viaB.at(a.web().port()).get("/api/overview").statusCode(), "and on A");

            // The same step (cookie) again, on A, with a recovery-free fresh code: it was taken once, on B.
            HttpResponse<String> again = viaB.at(a.web().port()).submitCode(password.body(), Totp.code(secret, step + 2));
            assertEquals(401, again.statusCode(), "a finished step cannot be finished again");
        }
    }

    @Test
    void anAlertRaisedByOneNodesCommitIsListedOnTheOtherAndDeliveredOnce() throws Exception {
        List<String> hooked = new CopyOnWriteArrayList<>();
        HttpServer hook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        hook.createContext("/hook", exchange -> {
            hooked.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        hook.start();
        String prefix = OpenSearchTestNode.prefix(getClass(), dir.resolve("alerts"));
        // Both nodes deliver, often: they race for every notice of the one outbox.
        Map<String, String> delivery = Map.of(
                "DMARC_LENS_ALERTS_HOOKS", "json:http://127.0.0.1:" + hook.getAddress().getPort() + "/hook",
                "DMARC_LENS_ALERTS_DELIVERY_EVERY", "100ms");
        try (ServeRuntime a = ServeRuntime.start(node(prefix, "node-a", delivery));
             ServeRuntime b = ServeRuntime.start(node(prefix, "node-b", delivery))) {
            a.users().addOrReplace("alice", PASSWORD.toCharArray());
            WebClient viaA = new WebClient(a.web().port());
            assertEquals(303, viaA.login("alice", PASSWORD).statusCode());
            // The published policy changes from none to reject between two reports of the last days: the
            // policy-changed rule fires on the commit that stores the second (dates from the nodes' clock).
            LocalDate today = LocalDate.ofInstant(a.clock().instant(), ZoneOffset.UTC);
            for (int i = 0; i < 2; i++) {
                LocalDate day = today.minusDays(3 - i);
                HttpResponse<String> up = viaA.postFile("/api/ingest/upload", Map.of("_csrf", viaA.csrf()), "files",
                        "report-" + i + ".xml", report("r-" + i, day, i == 0 ? "none" : "reject"));
                assertEquals(202, up.statusCode(), up.body());
                a.ingest().awaitIdle(Duration.ofSeconds(60));
            }
            WebClient viaB = viaA.at(b.web().port());
            JsonNode alerts = waitFor(() -> json.readTree(viaB.get("/api/alerts").body()),
                    n -> n.toString().contains("policy-changed"));
            assertTrue(alerts.toString().contains("policy-changed") && alerts.toString().contains("shared.example"),
                    "node B lists the alert node A's commit raised: " + alerts);

            waitFor(() -> hooked.size(), n -> n >= 1);
            Thread.sleep(1500); // many more passes of both deliverers: nothing is sent twice
            assertEquals(1, hooked.size(), "delivered once by the two nodes: " + hooked);
            assertTrue(hooked.get(0).contains("policy-changed"), hooked.get(0));
            String outbox = waitFor(() -> viaB.get("/api/outbox").body(), o -> !o.contains("\"delivered_at\":null"));
            assertTrue(outbox.contains("\"delivered_at\":") && !outbox.contains("\"delivered_at\":null"),
                    "node B shows the notice delivered: " + outbox);
        } finally {
            hook.stop(0);
        }
    }

    private interface Read<T> {
        T get() throws Exception;
    }

    private static <T> T waitFor(Read<T> read, java.util.function.Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        T value = read.get();
        while (!done.test(value) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            value = read.get();
        }
        return value;
    }

    /** An aggregate report of one day for shared.example with the policy {@code p}. */
    private static byte[] report(String id, LocalDate day, String p) {
        long begin = day.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        long end = begin + 86_399;
        return ("""
                <?xml version="1.0" encoding="UTF-8"?>
                <feedback>
                  <report_metadata><org_name>reporter.example</org_name><email>noreply@reporter.example</email>
                    <report_id>%s</report_id><date_range><begin>%d</begin><end>%d</end></date_range></report_metadata>
                  <policy_published><domain>shared.example</domain><adkim>r</adkim><aspf>r</aspf><p>%s</p>
                    <sp>%s</sp><pct>100</pct></policy_published>
                  <record><row><source_ip>192.0.2.10</source_ip><count>4</count><policy_evaluated>
                    <disposition>none</disposition><dkim>pass</dkim><spf>pass</spf></policy_evaluated></row>
                    <identifiers><header_from>shared.example</header_from></identifiers>
                    <auth_results><dkim><domain>shared.example</domain><result>pass</result></dkim>
                    <spf><domain>shared.example</domain><result>pass</result></spf></auth_results></record>
                </feedback>
                """.formatted(id, begin, end, p, p)).getBytes(StandardCharsets.UTF_8);
    }
}
