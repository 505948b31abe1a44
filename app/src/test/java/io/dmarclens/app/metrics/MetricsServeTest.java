package io.dmarclens.app.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.app.cli.ServeRuntime;
import io.dmarclens.app.config.ServeConfig;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.dmarclens.demo.SyntheticReports;
import io.dmarclens.ingest.dkim.ReportMails;
import io.dmarclens.ingest.imap.ImapAccount;
import io.dmarclens.ingest.enrich.EnrichmentSettings;
import io.dmarclens.ingest.inbox.InboxLimits;
import io.dmarclens.ingest.smtp.SmtpSettings;
import io.dmarclens.ingest.testing.SmtpSender;
import io.dmarclens.parser.ParserLimits;
import io.dmarclens.web.WebClient;
import io.dmarclens.web.WebSettings;
import io.dmarclens.web.metrics.MetricsSettings;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} of {@code serve} as operations.md starts it (SMTP and dashboard on loopback): after real SMTP
 * sessions its counters say exactly what was sent, Debian's {@code promtool check metrics} accepts the text,
 * and it answers only with the token (or on its own listener).
 */
@Timeout(180)
class MetricsServeTest {
    private static final String RCPT = "dmarc@reports.example.com";
    private static final String TOKEN = "a-long-scrape-token-0123456789";
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    @TempDir
    Path dir;

    @Test
    void theCountersSayWhatWasSentAndPromtoolAcceptsThem() throws Exception {
        MetricsSettings metrics = MetricsSettings.defaults().withToken(TOKEN);
        try (ServeRuntime serve = ServeRuntime.start(config(dir.resolve("data"), metrics))) {
            byte[] first = ReportMails.report("dmarc@google.com", RCPT, "google.com", "m-1", 3);
            byte[] second = ReportMails.report("dmarc@yahoo.com", RCPT, "yahoo.com", "m-2", 4);
            try (SmtpSender smtp = new SmtpSender(serve.ingest().smtp().orElseThrow().port())) {
                smtp.send(mail(first));
                smtp.send(mail(second));
                smtp.send(mail(first)); // the same report again: a duplicate
                smtp.send(junk(smtp.session()));
            }
            assertTrue(serve.ingest().awaitIdle(Duration.ofSeconds(60)));

            WebClient web = new WebClient(serve.web().port());
            HttpResponse<String> scrape = web.get("/metrics", "Authorization", "Bearer " + TOKEN);
            assertEquals(200, scrape.statusCode(), scrape.body());
            assertTrue(scrape.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            String text = scrape.body();

            assertEquals(4, value(text, "dmarclens_messages_accepted_total{channel=\"smtp\"}"));
            assertEquals(2, value(text, "dmarclens_messages_processed_total{channel=\"smtp\",outcome=\"stored\"}"));
            assertEquals(1, value(text, "dmarclens_messages_processed_total{channel=\"smtp\",outcome=\"duplicate\"}"));
            assertEquals(1, value(text, "dmarclens_messages_processed_total{channel=\"smtp\",outcome=\"quarantined\"}"));
            assertEquals(0, value(text, "dmarclens_messages_partial_total{channel=\"smtp\"}"));
            assertEquals(0, value(text, "dmarclens_messages_rejected_total{channel=\"smtp\"}"));
            assertEquals(2, value(text, "dmarclens_reports_stored_total{channel=\"smtp\"}"));
            // 3 + 4 records newly stored, as the store's commit listener was told.
            assertEquals(7, value(text, "dmarclens_store_records_total"));
            assertEquals(0, value(text, "dmarclens_inbox_depth_messages"));
            assertEquals(1, value(text, "dmarclens_ready"));
            assertEquals(0, value(text, "dmarclens_alert_deliveries_total{channel=\"email\",outcome=\"sent\"}"));
            assertTrue(text.contains("jvm_memory_used_bytes{"), "JVM metrics");

            // A second scrape shows the first one's latency under its route pattern, not a path.
            String again = web.get("/metrics", "Authorization", "Bearer " + TOKEN).body();
            assertTrue(again.contains("http_server_requests_seconds_count{method=\"GET\",route=\"/metrics\",status=\"200\"}"),
                    again);
            promtoolAccepts(again);
        }
    }

    @Test
    void withoutTheTokenThereAreNoMetrics() throws Exception {
        try (ServeRuntime serve = ServeRuntime.start(config(dir.resolve("a"), MetricsSettings.defaults().withToken(TOKEN)))) {
            WebClient web = new WebClient(serve.web().port());
            assertEquals(401, web.get("/metrics").statusCode());
            assertEquals(401, web.get("/metrics", "Authorization", "Bearer wrong").statusCode());
            assertEquals(401, web.get("/metrics", "Authorization", "Bearer " + TOKEN + "x").statusCode());
            HttpResponse<String> ok = web.get("/metrics", "Authorization", "bearer " + TOKEN);
            assertEquals(200, ok.statusCode());
            // A dashboard login is no key to the metrics: only the token is.
            serve.users().addOrReplace("alice", "correct horse battery".toCharArray());
            assertEquals(303, web.login("alice", "correct horse battery").statusCode());
            assertEquals(200, web.get("/api/overview").statusCode());
            assertEquals(401, web.get("/metrics").statusCode());
        }
        try (ServeRuntime serve = ServeRuntime.start(config(dir.resolve("b"), MetricsSettings.defaults()))) {
            HttpResponse<String> none = new WebClient(serve.web().port()).get("/metrics");
            assertEquals(404, none.statusCode(), "no token, no separate listener: not served");
            assertTrue(none.body().contains("metrics.token"), none.body());
        }
    }

    @Test
    void aSeparateListenerServesMetricsHealthAndReadyOnly() throws Exception {
        MetricsSettings separate = MetricsSettings.defaults().withListen("127.0.0.1", 0);
        try (ServeRuntime serve = ServeRuntime.start(config(dir.resolve("data"), separate))) {
            WebClient metrics = new WebClient(serve.metricsServer().port());
            HttpResponse<String> scrape = metrics.get("/metrics");
            assertEquals(200, scrape.statusCode(), scrape.body());
            assertTrue(scrape.body().contains("dmarclens_messages_accepted_total{channel=\"smtp\"} 0.0"), scrape.body());
            assertEquals(200, metrics.get("/ready").statusCode());
            assertEquals(200, metrics.get("/health").statusCode());
            assertEquals(404, metrics.get("/api/overview").statusCode(), "nothing of the dashboard there");
            assertEquals(404, new WebClient(serve.web().port()).get("/metrics").statusCode(),
                    "not on the dashboard's address");
        }
    }

    @Test
    void eachImapAccountHasItsPollResults() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = s.getLocalPort();
            s.close();
            GreenMail greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_IMAP));
            greenMail.start();
            try {
                GreenMailUser user = greenMail.setUser(RCPT, "dmarc", "secret");
                Session session = Session.getInstance(new Properties());
                for (int i = 0; i < 3; i++) {
                    user.deliver(SyntheticReports.aggregateMail(session, RCPT, "imap-" + i, 5));
                }
                ServeConfig base = config(dir.resolve("data"), MetricsSettings.defaults().withListen("127.0.0.1", 0));
                ServeConfig withImap = new ServeConfig(base.dataDir(), true, "127.0.0.1", 0, base.web(), 1,
                        ParserLimits.DEFAULT_MAX_MAIL_PARTS, base.smtp(), List.of(imap("reports", port),
                        imap("down", closedPort)), base.enrichment(), false, InboxLimits.defaults());
                try (ServeRuntime serve = ServeRuntime.start(withImap)) {
                    WebClient metrics = new WebClient(serve.metricsServer().port());
                    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    String text = metrics.get("/metrics").body();
                    while ((value(text, "dmarclens_imap_archived_messages_total{account=\"reports\"}") < 3
                            || value(text, "dmarclens_imap_failures_total{account=\"down\"}") < 1)
                            && System.nanoTime() < deadline) {
                        Thread.sleep(100);
                        text = metrics.get("/metrics").body();
                    }
                    assertTrue(serve.ingest().awaitIdle(Duration.ofSeconds(60)));
                    text = metrics.get("/metrics").body();
                    assertEquals(3, value(text, "dmarclens_imap_archived_messages_total{account=\"reports\"}"));
                    assertTrue(value(text, "dmarclens_imap_connects_total{account=\"reports\"}") >= 1);
                    assertEquals(0, value(text, "dmarclens_imap_failures_total{account=\"reports\"}"));
                    assertEquals(0, value(text, "dmarclens_imap_failing{account=\"reports\"}"));
                    assertEquals(0, value(text, "dmarclens_imap_connects_total{account=\"down\"}"));
                    assertTrue(value(text, "dmarclens_imap_failures_total{account=\"down\"}") >= 1);
                    assertEquals(1, value(text, "dmarclens_imap_failing{account=\"down\"}"));
                    assertEquals(3, value(text, "dmarclens_messages_accepted_total{channel=\"imap\"}"));
                    assertEquals(3, value(text, "dmarclens_messages_processed_total{channel=\"imap\",outcome=\"stored\"}"));
                    assertEquals(15, value(text, "dmarclens_store_records_total"));
                    promtoolAccepts(text);
                }
            } finally {
                greenMail.stop();
            }
        }
    }

    private static ImapAccount imap(String name, int port) {
        return new ImapAccount(name, "127.0.0.1", port, ImapAccount.Security.NONE, "dmarc", "secret", null, "INBOX",
                Duration.ofMillis(500), true, 10, ImapAccount.AfterImport.MOVE, ImapAccount.ArchiveFolders.defaults(),
                1024 * 1024);
    }

    /** Debian's promtool (package prometheus) checks the exposition format and lints the names. */
    static void promtoolAccepts(String text) throws IOException, InterruptedException {
        Assumptions.assumeTrue(Files.isExecutable(PROMTOOL),
                "promtool is not installed (apt-get install prometheus): the format check is skipped");
        Files.writeString(Path.of("target", "metrics-scrape.txt"), text); // to read when the check fails
        Process p = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics").redirectErrorStream(true).start();
        p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "promtool check metrics: " + out);
    }

    private static double value(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        assertTrue(m.find(), "no series " + series + " in\n" + text);
        return Double.parseDouble(m.group(1));
    }

    private static MimeMessage mail(byte[] bytes) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(bytes));
    }

    private static MimeMessage junk(Session session) throws Exception {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress("someone@elsewhere.example"));
        m.setRecipients(jakarta.mail.Message.RecipientType.TO, RCPT);
        m.setSubject("Hello");
        m.setText("No report in here.");
        return m;
    }

    private static ServeConfig config(Path data, MetricsSettings metrics) {
        SmtpSettings smtp = SmtpSettings.defaults().withListen("127.0.0.1", 0).withRecipients(List.of(RCPT));
        EnrichmentSettings enrichment = new EnrichmentSettings(true, null, List.of(), null, List.of());
        return new ServeConfig(data, true, "127.0.0.1", 0, WebSettings.defaults().withMetrics(metrics), 1,
                ParserLimits.DEFAULT_MAX_MAIL_PARTS, smtp, List.of(), enrichment, false, InboxLimits.defaults());
    }
}
