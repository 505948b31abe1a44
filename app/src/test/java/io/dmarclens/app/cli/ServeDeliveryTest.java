package io.dmarclens.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.dmarclens.app.config.ConfigLoader;
import io.dmarclens.app.config.ConfigOverrides;
import io.dmarclens.app.config.ServeConfig;
import io.dmarclens.index.alerts.SqliteAlerts;
import io.dmarclens.store.alerts.Notice;
import io.dmarclens.web.WebClient;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * serve delivers what the alerts write: configured through the environment like every key (the relay
 * password from a file), its deliverer mails a notice written to {@code alerts.db} to the recipient routed
 * to its domain through GreenMail, once, and the delivery API shows it delivered and /metrics counts it.
 */
class ServeDeliveryTest {
    @TempDir
    Path dir;

    @Test
    void serveMailsTheOutboxThroughTheConfiguredRelay() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        GreenMail relay = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        relay.setUser("lens@lens.example", "lens", "relay-password");
        relay.start();
        Path password = Files.writeString(dir.resolve("relay-password"), "relay-password\n");
        Path data = dir.resolve("data");
        ServeConfig config = new ConfigLoader(Map.ofEntries(
                Map.entry("DMARC_LENS_DATA_DIR", data.toString()),
                Map.entry("DMARC_LENS_OFFLINE", "true"),
                Map.entry("DMARC_LENS_WEB_LISTEN", "127.0.0.1:0"),
                Map.entry("DMARC_LENS_SMTP_ENABLED", "false"),
                Map.entry("DMARC_LENS_ALERTS_MAIL_HOST", "127.0.0.1"),
                Map.entry("DMARC_LENS_ALERTS_MAIL_PORT", Integer.toString(port)),
                Map.entry("DMARC_LENS_ALERTS_MAIL_SECURITY", "none"),
                Map.entry("DMARC_LENS_ALERTS_MAIL_USER", "lens"),
                Map.entry("DMARC_LENS_ALERTS_MAIL_PASSWORD_FILE", password.toString()),
                Map.entry("DMARC_LENS_ALERTS_MAIL_FROM", "DMARC Lens <lens@lens.example>"),
                Map.entry("DMARC_LENS_ALERTS_MAIL_TO", "ops@lens.example, example.org=postmaster@example.org"),
                Map.entry("DMARC_LENS_ALERTS_DASHBOARD_URL", "https://dmarc.lens.example"),
                Map.entry("DMARC_LENS_ALERTS_DELIVERY_EVERY", "200ms"),
                Map.entry("DMARC_LENS_METRICS_TOKEN", "a-long-scrape-token-0123456789"))).load(null, ConfigOverrides.none());
        try (ServeRuntime serve = ServeRuntime.start(config)) {
            long id;
            // a second connection to alerts.db, as the rules' transaction would write it
            try (SqliteAlerts alerts = SqliteAlerts.open(data)) {
                id = alerts.outbox().enqueue(new Notice(Notice.Kind.OPENED, 1, "spoofing-wave", "example.org",
                        "[DMARC Lens] example.org: Spoofing wave: 1,639 spoofed messages", "text",
                        "<p><a href=\"/search?q=class:threat\">Threats</a></p>", "{}",
                        List.of(new Notice.DashboardLink("Threats", "/search?q=class:threat")), serve.clock().instant()));
            }
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (relay.getReceivedMessages().length == 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Thread.sleep(1000); // a few more passes: nothing is sent twice
            assertEquals(1, relay.getReceivedMessages().length);
            assertEquals("postmaster@example.org", relay.getReceivedMessages()[0].getHeader("To", ","));
            String html = ((jakarta.mail.Multipart) relay.getReceivedMessages()[0].getContent()).getBodyPart(1)
                    .getContent() instanceof jakarta.mail.Multipart related ? (String) related.getBodyPart(0).getContent() : "";
            assertTrue(html.contains("href=\"https://dmarc.lens.example/search?q=class:threat\""), html);

            serve.users().addOrReplace("alice", "correct horse battery".toCharArray());
            WebClient web = new WebClient(serve.web().port());
            assertEquals(303, web.login("alice", "correct horse battery").statusCode());
            String outbox = web.get("/api/outbox").body();
            assertTrue(outbox.contains("\"id\":" + id) && outbox.contains("\"channels\":[\"mail:postmaster@example.org\"]"),
                    outbox);
            // ...and /metrics counted that one attempt, as sent by mail
            String metrics = web.get("/metrics", "Authorization", "Bearer a-long-scrape-token-0123456789").body();
            assertTrue(metrics.contains("dmarclens_alert_deliveries_total{channel=\"email\",outcome=\"sent\"} 1.0"),
                    metrics.lines().filter(l -> l.contains("alert_deliveries")).toList().toString());
        } finally {
            relay.stop();
        }
    }
}
