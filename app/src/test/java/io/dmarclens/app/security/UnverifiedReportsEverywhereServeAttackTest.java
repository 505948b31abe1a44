package io.dmarclens.app.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmarclens.app.cli.ServeRuntime;
import io.dmarclens.app.config.ServeConfig;
import io.dmarclens.ingest.dkim.DkimTestKeys;
import io.dmarclens.ingest.dkim.ReportMails;
import io.dmarclens.ingest.enrich.EnrichmentSettings;
import io.dmarclens.ingest.smtp.SmtpSettings;
import io.dmarclens.ingest.testing.SmtpSender;
import io.dmarclens.testdns.LoopbackDnsServer;
import io.dmarclens.web.WebClient;
import io.dmarclens.web.WebSettings;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #14, "Reports anyone can forge", in the places the first fix left open, against {@code serve} in process
 * (SMTP and dashboard on loopback, DKIM keys from a DNS server on loopback): a stranger's aggregate report
 * claiming Google's organisation (with an override reason Google never gave), a forged failure report and a
 * forged TLS report. With {@code reports.exclude_unverified} off they are shown and marked unverified on the
 * forwarding page, the failure and TLS pages, the search page and its API; with it on, none of them shows there.
 */
@Timeout(180)
class UnverifiedReportsEverywhereServeAttackTest {
    private static final String RCPT = "dmarc@reports.example.com";
    /** The day the test reports cover (2025-11-28), and the failure report's arrival. */
    private static final String DAY = "range=custom&from=2025-11-28&to=2025-11-29";
    /** A source only the forged aggregate report names (its records come from 192.0.2.1 to .100). */
    private static final String FORGED_ONLY_IP = "192.0.2.50";
    /** How a table cell shows the verdict of an unverified report. */
    private static final String UNVERIFIED_BADGE = "<span class=\"badge badge-bad\">unverified</span>";

    @TempDir
    Path dir;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void forgedReportsLeaveForwardingFailuresTlsAndSearchWhenTheSettingIsOn() throws Exception {
        try (LoopbackDnsServer dns = new LoopbackDnsServer()) {
            DkimTestKeys google = new DkimTestKeys("google.com", "20230601").publish(dns);
            DkimTestKeys evil = new DkimTestKeys("evil.test", "k1").publish(dns);
            List<byte[]> mails = List.of(
                    // Google's own: 3 forwarded records (192.0.2.1 to .3), no override reason.
                    google.sign(ReportMails.report("noreply-dmarc-support@google.com", RCPT, "google.com", "genuine-1", 3)),
                    // The forgery: 100 records (192.0.2.1 to .100), each with override reason trusted_forwarder.
                    evil.sign(ReportMails.report("attacker@evil.test", RCPT, "google.com", "forged-1", 100,
                            "trusted_forwarder")),
                    evil.sign(ReportMails.failure("attacker@evil.test", RCPT, "mta.yahoo.com", "203.0.113.66")),
                    evil.sign(ReportMails.tls("attacker@evil.test", RCPT, "Google Inc.", "smtp-tls-reporting@google.com",
                            "tls-forged", "198.51.100.66")));
            Path data = dir.resolve("data");

            try (ServeRuntime serve = ServeRuntime.start(config(data, dns, false))) {
                serve.users().addOrReplace("alice", "correct horse battery".toCharArray());
                try (SmtpSender smtp = new SmtpSender(serve.ingest().smtp().orElseThrow().port())) {
                    for (byte[] mail : mails) {
                        smtp.send(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(mail)));
                    }
                }
                assertTrue(serve.ingest().awaitIdle(Duration.ofSeconds(60)));
                serve.store().awaitIndexed();
                WebClient web = login(serve);

                // Forwarding: the forged shares and the reason only the forgery gave.
                Map<String, JsonNode> forwarders = byKey(get(web, "/api/forwarding?" + DAY + "&size=200"), "ip");
                assertEquals(100, forwarders.size());
                assertEquals(1 + 1, forwarders.get("192.0.2.1").get("messages").asLong());
                assertEquals("trusted_forwarder", forwarders.get("192.0.2.1").get("overrideReasons").asText());
                assertTrue(web.get("/forwarding?" + DAY).body().contains("trusted_forwarder"));

                // Failure and TLS reports: listed, and marked.
                JsonNode failures = get(web, "/api/failures?" + DAY).get("rows");
                assertEquals(1, failures.size());
                assertEquals("unverified", failures.get(0).get("origin").asText());
                assertEquals("signed by evil.test, but the report names Reporting-MTA mta.yahoo.com of another domain",
                        failures.get(0).get("originReason").asText());
                long failureId = serve.store().failureReports().failureReports(
                        io.dmarclens.store.query.ReportFilter.all(), io.dmarclens.store.query.Page.first(1)).get(0).id();
                assertEquals("unverified", get(web, "/api/failures/" + failureId).get("origin").asText());
                assertTrue(web.get("/failures/" + failureId).body().contains("data-origin=\"unverified\""));
                JsonNode tls = get(web, "/api/tls?" + DAY).get("rows");
                assertEquals(1, tls.size());
                assertEquals("unverified", tls.get(0).get("origin").asText());
                long tlsId = serve.store().tlsReports().tlsReports(io.dmarclens.store.query.ReportFilter.all(),
                        io.dmarclens.store.query.Page.first(1)).get(0).id();
                assertEquals("unverified", get(web, "/api/tls/" + tlsId).get("origin").asText());
                assertTrue(web.get("/tls/" + tlsId).body().contains("data-origin=\"unverified\""));
                JsonNode origins = get(web, "/api/ingest/origins");
                assertEquals(1, origins.get("failure").get("unverified").asLong());
                assertEquals(1, origins.get("tls").get("unverified").asLong());

                // Search: found, and marked.
                JsonNode hits = search(web, "ip:" + FORGED_ONLY_IP);
                assertEquals(1, hits.size());
                assertEquals("unverified", hits.get(0).get("origin").asText());
                assertEquals(List.of("unverified", "verified"), origins(search(web, "ip:192.0.2.1")));
                assertEquals(List.of("unverified"), origins(search(web, "ip:203.0.113.66")));
                assertEquals(List.of("unverified"), origins(search(web, "ip:198.51.100.66")));
                String page = web.get("/search?" + DAY + "&q=" + enc("ip:" + FORGED_ONLY_IP)).body();
                assertTrue(page.contains(UNVERIFIED_BADGE), page);
            }

            try (ServeRuntime serve = ServeRuntime.start(config(data, dns, true))) {
                serve.store().awaitIndexed();
                WebClient web = login(serve);

                Map<String, JsonNode> forwarders = byKey(get(web, "/api/forwarding?" + DAY + "&size=200"), "ip");
                assertEquals(List.of("192.0.2.1", "192.0.2.2", "192.0.2.3"), forwarders.keySet().stream().sorted().toList());
                assertEquals(1, forwarders.get("192.0.2.1").get("messages").asLong());
                assertEquals("", forwarders.get("192.0.2.1").get("overrideReasons").asText());
                assertFalse(web.get("/forwarding?" + DAY).body().contains("trusted_forwarder"));

                assertEquals(0, get(web, "/api/failures?" + DAY).get("rows").size());
                assertEquals(0, get(web, "/api/tls?" + DAY).get("rows").size());
                assertEquals(1, get(web, "/api/ingest/origins").get("failure").get("unverified").asLong());

                assertEquals(0, search(web, "ip:" + FORGED_ONLY_IP).size());
                assertEquals(List.of("verified"), origins(search(web, "ip:192.0.2.1")));
                assertEquals(0, search(web, "ip:203.0.113.66").size());
                assertEquals(0, search(web, "ip:198.51.100.66").size());
                String page = web.get("/search?" + DAY + "&q=" + enc("ip:" + FORGED_ONLY_IP)).body();
                assertFalse(page.contains(FORGED_ONLY_IP + "</a>"), page);
                assertFalse(page.contains(UNVERIFIED_BADGE), page);
            }
        }
    }

    private JsonNode search(WebClient web, String query) throws Exception {
        return get(web, "/api/search?" + DAY + "&q=" + enc(query)).get("rows");
    }

    private static List<String> origins(JsonNode rows) {
        List<String> out = new ArrayList<>();
        rows.forEach(r -> out.add(r.get("origin").asText()));
        return out.stream().sorted().toList();
    }

    private static Map<String, JsonNode> byKey(JsonNode table, String key) {
        Map<String, JsonNode> out = new HashMap<>();
        table.get("rows").forEach(r -> out.put(r.get(key).asText(), r));
        return out;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static ServeConfig config(Path data, LoopbackDnsServer dns, boolean excludeUnverified) {
        SmtpSettings smtp = SmtpSettings.defaults().withListen("127.0.0.1", 0).withRecipients(List.of(RCPT));
        EnrichmentSettings enrichment = new EnrichmentSettings(false, dns.hostPort(), List.of(), null, List.of());
        return new ServeConfig(data, false, "127.0.0.1", 0, WebSettings.defaults(), 1,
                io.dmarclens.parser.ParserLimits.DEFAULT_MAX_MAIL_PARTS, smtp, List.of(), enrichment, excludeUnverified,
                io.dmarclens.ingest.inbox.InboxLimits.defaults());
    }

    private static WebClient login(ServeRuntime serve) throws Exception {
        WebClient web = new WebClient(serve.web().port());
        HttpResponse<String> r = web.login("alice", "correct horse battery");
        assertEquals(303, r.statusCode(), r.body());
        return web;
    }

    private JsonNode get(WebClient web, String path) throws Exception {
        HttpResponse<String> r = web.get(path);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return json.readTree(r.body());
    }
}
