package io.dmarclens.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.dmarclens.alerts.delivery.Channel;
import io.dmarclens.alerts.delivery.Deliverer;
import io.dmarclens.alerts.delivery.MailChannel;
import io.dmarclens.alerts.delivery.MailRelay;
import io.dmarclens.alerts.delivery.Routes;
import io.dmarclens.alerts.digest.DigestChart;
import io.dmarclens.alerts.digest.DigestCollector;
import io.dmarclens.alerts.digest.DigestPeriod;
import io.dmarclens.alerts.digest.DigestReadiness;
import io.dmarclens.alerts.digest.DigestWriter;
import io.dmarclens.index.EmbeddedStore;
import io.dmarclens.index.alerts.SqliteAlerts;
import io.dmarclens.index.users.SqliteAccounts;
import io.dmarclens.posture.PostureService;
import io.dmarclens.store.Store;
import io.dmarclens.store.query.DateSpan;
import io.dmarclens.web.auth.UserStore;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;

/**
 * A digest of the test data goes through the outbox to GreenMail; the delivery page and /api/outbox show it
 * delivered to its recipient; the mail as received (HTML with the chart as an inline image) renders in
 * headless chromium (docs/digest-mail.png is that screenshot, made smaller).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DigestMailTest {
    private static final Path SHOTS = Path.of("target/screenshots");

    Store store;
    UserStore users;
    SqliteAlerts alerts;
    WebApp app;
    GreenMail relay;
    MimeMessage mail;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        store = EmbeddedStore.open(dir.resolve("data"), TestData.CLOCK);
        TestData.fill(store);
        users = new UserStore(SqliteAccounts.open(dir.resolve("data")), 4, TestData.CLOCK);
        users.addOrReplace(TestApp.USER, TestApp.PASSWORD.toCharArray());
        alerts = SqliteAlerts.open(dir.resolve("data"));
        app = new WebApp(store, new TestApp.EmptyIngest(), users, WebSettings.defaults(), TestData.CLOCK,
                PostureService.offline(store, TestData.CLOCK), UnverifiedReports.INCLUDED,
                TestApp.alerts(store, alerts, TestData.CLOCK)).start("127.0.0.1", 0);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        relay = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        relay.start();

        DateSpan span = store.overview().dateSpan().orElseThrow();
        DigestPeriod period = new DigestPeriod(span.last().minusDays(6), span.last());
        DigestCollector collector = new DigestCollector(store, alerts.log(),
                new DigestReadiness(store, null, false, TestData.CLOCK), false);
        alerts.outbox().enqueue(new DigestWriter().write(collector.collect("example.com", period), "weekly",
                TestData.CLOCK.instant()));
        Channel ops = new MailChannel(new MailRelay("127.0.0.1", port, MailRelay.Security.NONE, null, null,
                "lens@lens.example", Duration.ofSeconds(5)), "ops@lens.example", "http://127.0.0.1:" + app.port(),
                new DigestChart(), TestData.CLOCK);
        // the alerts the rules raised over the test data, and the digest
        int queued = alerts.outbox().recent(1000).size();
        assertEquals(queued, new Deliverer(alerts.outbox(), new Routes(List.of(ops), Map.of()), TestData.CLOCK,
                Duration.ofMinutes(1), Duration.ofHours(1)).deliverDue());
        assertEquals(queued, relay.getReceivedMessages().length);
        for (MimeMessage m : relay.getReceivedMessages()) {
            if (m.getSubject().contains("weekly digest, example.com")) {
                mail = m;
            }
        }
    }

    @AfterAll
    void stop() {
        if (relay != null) {
            relay.stop();
        }
        if (app != null) {
            app.stop();
        }
        if (alerts != null) {
            alerts.close();
        }
        if (users != null) {
            users.close();
        }
        if (store != null) {
            store.close();
        }
    }

    @Test
    void theDeliveryPageAndApiShowTheDigestDelivered() throws Exception {
        WebClient client = new WebClient(app.port());
        assertEquals(303, client.login(TestApp.USER, TestApp.PASSWORD).statusCode());
        JsonNode notices = new ObjectMapper().readTree(client.get("/api/outbox").body()).get("notices");
        JsonNode digest = notices.get(0);
        assertEquals("digest", digest.get("kind").asText(), "newest first");
        assertEquals("example.com", digest.get("domain").asText());
        assertTrue(digest.get("alert_id").isNull());
        assertFalse(digest.get("delivered_at").isNull());
        assertEquals("mail:ops@lens.example", digest.get("channels").get(0).asText());
        for (JsonNode n : notices) {
            assertFalse(n.get("delivered_at").isNull(), n.toString());
        }
        String page = client.get("/outbox").body();
        assertTrue(page.contains("weekly digest, example.com"), page);
        assertTrue(page.contains("mail:ops@lens.example"), page);
        assertTrue(client.get("/alerts").body().contains("href=\"/outbox\""));
    }

    @Test
    void theReceivedDigestRendersInChromiumWithItsChart() throws Exception {
        HeadlessChromium.assumeInstalled();
        Multipart alternative = (Multipart) mail.getContent();
        Multipart related = (Multipart) alternative.getBodyPart(1).getContent();
        String html = (String) related.getBodyPart(0).getContent();
        BodyPart chart = related.getBodyPart(1);
        Path dir = Files.createTempDirectory("digest-mail");
        try (InputStream in = chart.getInputStream()) {
            Files.write(dir.resolve("chart.png"), in.readAllBytes());
        }
        // what a mail client does with cid: references: show the part with that Content-ID
        assertTrue(html.contains("cid:" + DigestChart.CONTENT_ID));
        Files.writeString(dir.resolve("mail.html"), html.replace("cid:" + DigestChart.CONTENT_ID, "chart.png"));
        WebDriver driver = HeadlessChromium.start(Files.createTempDirectory("chrome-profile"));
        try {
            driver.manage().window().setSize(new Dimension(760, 1500));
            driver.get(dir.resolve("mail.html").toUri().toString());
            Object width = ((JavascriptExecutor) driver).executeScript(
                    "const i = document.querySelector('img'); return i.complete ? i.naturalWidth : -1;");
            assertEquals(600L, ((Number) width).longValue(), "the chart loaded");
            String text = driver.findElement(By.tagName("body")).getText();
            for (String part : List.of("DMARC weekly digest", "example.com", "Messages", "DMARC pass rate",
                    "Top failing sources", "New senders", "Forwarders", "Open alerts")) {
                assertTrue(text.contains(part), part + " missing:\n" + text);
            }
            Files.createDirectories(SHOTS);
            Files.write(SHOTS.resolve("31-digest-mail.png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        } finally {
            driver.quit();
        }
    }
}
