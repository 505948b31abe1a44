package io.dmarclens.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmarclens.alerts.AlertSettings;
import io.dmarclens.app.config.ServeConfig;
import io.dmarclens.ingest.enrich.EnrichmentSettings;
import io.dmarclens.ingest.inbox.InboxLimits;
import io.dmarclens.ingest.smtp.SmtpSettings;
import io.dmarclens.parser.ParserLimits;
import io.dmarclens.testdns.LoopbackDnsServer;
import io.dmarclens.web.WebClient;
import io.dmarclens.web.WebSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * serve wires the alerts: it opens {@code alerts.db} in the data directory, runs the rules (the DNS posture
 * rule only when not offline) and shows them on the Alerts page and the API; with {@code alerts.enabled:
 * false} there is no engine, no file, and the page says so.
 */
class ServeAlertsTest {
    @TempDir
    Path dir;

    @Test
    void serveRunsTheRulesAndTheAlertsPageShowsThem() throws Exception {
        try (LoopbackDnsServer dns = new LoopbackDnsServer()) {
            Path data = dir.resolve("data");
            try (ServeRuntime serve = ServeRuntime.start(config(data, dns.hostPort(), AlertSettings.defaults()))) {
                assertNotNull(serve.alerts());
                assertTrue(Files.exists(data.resolve("alerts.db")));
                assertTrue(serve.alerts().rules().stream().anyMatch(r -> r.id().equals("posture-regression")),
                        "online: the DNS posture rule runs");
                WebClient web = login(serve);
                JsonNode rules = new ObjectMapper().readTree(web.get("/api/alerts/rules").body()).get("rules");
                assertEquals(11, rules.size(), rules.toString());
                assertEquals(0, new ObjectMapper().readTree(web.get("/api/alerts").body()).get("rows").size());
                String page = web.get("/alerts").body();
                assertTrue(page.contains("Rules in force") && page.contains("alerts.spoofing_wave.min_messages = 500"), page);
            }
        }
    }

    @Test
    void alertsOffMeansNoEngineNoFileAndThePageSaysSo() throws Exception {
        Path data = dir.resolve("data");
        AlertSettings d = AlertSettings.defaults();
        AlertSettings off = new AlertSettings(false, d.evaluateEvery(), d.windowDays(), d.baselineDays(),
                d.minHistoryDays(), d.newFailingSource(), d.senderBroke(), d.passRateDrop(), d.spoofingWave(),
                d.reporterSilent(), d.policyChanged(), d.postureRegression(), d.tlsFailures(), d.quarantineGrowing(),
                d.inboxBacklog(), d.imapFailing());
        try (ServeRuntime serve = ServeRuntime.start(config(data, null, off))) {
            assertNull(serve.alerts());
            assertFalse(Files.exists(data.resolve("alerts.db")));
            WebClient web = login(serve);
            assertTrue(web.get("/alerts").body().contains("Alerts are off"));
            assertEquals(404, web.get("/api/alerts").statusCode());
        }
    }

    private static ServeConfig config(Path data, String dns, AlertSettings alerts) {
        SmtpSettings smtp = SmtpSettings.defaults().withListen("127.0.0.1", 0);
        EnrichmentSettings enrichment = new EnrichmentSettings(dns == null, dns, List.of(), null, List.of());
        return new ServeConfig(data, dns == null, "127.0.0.1", 0, WebSettings.defaults(), 1,
                ParserLimits.DEFAULT_MAX_MAIL_PARTS, smtp, List.of(), enrichment, false, InboxLimits.defaults(), alerts);
    }

    private static WebClient login(ServeRuntime serve) throws Exception {
        serve.users().addOrReplace("alice", "correct horse battery".toCharArray());
        WebClient web = new WebClient(serve.web().port());
        assertEquals(303, web.login("alice", "correct horse battery").statusCode());
        return web;
    }
}
