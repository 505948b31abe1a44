package io.dmarclens.app.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.ReportSort;
import io.dmarclens.testdns.LoopbackDnsServer;
import io.dmarclens.web.WebClient;
import io.dmarclens.web.WebSettings;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #14, "Reports anyone can forge", against {@code serve} as operations.md starts it (in process, SMTP and
 * dashboard on loopback, DKIM keys from a DNS server on loopback): a stranger's report claiming Google's
 * organisation is shown as unverified with its reason and counted on the Ingest page; with
 * {@code reports.exclude_unverified} the overview goes back to what Google really reported.
 */
@Timeout(180)
class ForgedReportServeAttackTest {
    private static final String RCPT = "dmarc@reports.example.com";
    /** The day the test reports cover (2025-11-28). */
    private static final String DAY = "range=custom&from=2025-11-28&to=2025-11-28";

    @TempDir
    Path dir;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aForgedGoogleReportIsMarkedCountedAndLeftOutOfTheFiguresByOneSetting() throws Exception {
        try (LoopbackDnsServer dns = new LoopbackDnsServer()) {
            DkimTestKeys google = new DkimTestKeys("google.com", "20230601").publish(dns);
            DkimTestKeys evil = new DkimTestKeys("evil.test", "k1").publish(dns);
            byte[] genuine = google.sign(ReportMails.report("noreply-dmarc-support@google.com", RCPT, "google.com",
                    "genuine-1", 3)); // 1 + 2 + 3 = 6 messages
            byte[] forged = evil.sign(ReportMails.report("attacker@evil.test", RCPT, "google.com", "forged-1", 100));
            Path data = dir.resolve("data");

            try (ServeRuntime serve = ServeRuntime.start(config(data, dns, false))) {
                serve.users().addOrReplace("alice", "correct horse battery".toCharArray());
                try (SmtpSender smtp = new SmtpSender(serve.ingest().smtp().orElseThrow().port())) {
                    for (byte[] mail : List.of(genuine, forged)) {
                        smtp.send(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(mail)));
                    }
                }
                assertTrue(serve.ingest().awaitIdle(Duration.ofSeconds(60)));
                WebClient web = login(serve);

                assertEquals(6 + 5050, get(web, "/api/overview?" + DAY).get("messages").asLong());
                Map<String, JsonNode> reports = new HashMap<>();
                get(web, "/api/reports?" + DAY).get("rows").forEach(r -> reports.put(r.get("reportId").asText(), r));
                assertEquals("verified", reports.get("genuine-1").get("origin").asText());
                assertEquals("unverified", reports.get("forged-1").get("origin").asText());
                assertEquals("signed by evil.test, not by the reporter's domain google.com",
                        reports.get("forged-1").get("originReason").asText());
                JsonNode origins = get(web, "/api/ingest/origins");
                assertEquals(1, origins.get("unverified").asLong());
                assertEquals(1, origins.get("verified").asLong());
                assertTrue(web.get("/ingest").body().contains("id=\"report-origins\""));
                long forgedId = serve.store().reports().reports(ReportFilter.all(), ReportSort.NEWEST, Page.first(10))
                        .stream().filter(r -> r.reportId().equals("forged-1")).findFirst().orElseThrow().id();
                String detail = web.get("/reports/" + forgedId).body();
                assertTrue(detail.contains("data-origin=\"unverified\""), detail);
            }

            try (ServeRuntime serve = ServeRuntime.start(config(data, dns, true))) {
                WebClient web = login(serve);
                assertEquals(6, get(web, "/api/overview?" + DAY).get("messages").asLong());
                assertEquals(1, get(web, "/api/reports?" + DAY).get("rows").size());
                assertTrue(get(web, "/api/ingest/origins").get("unverifiedExcluded").asBoolean());
                assertEquals(1, get(web, "/api/ingest/origins").get("unverified").asLong());
            }
        }
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
