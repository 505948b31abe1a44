package io.dmarclens.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmarclens.index.EmbeddedStore;
import io.dmarclens.index.alerts.SqliteAlerts;
import io.dmarclens.index.users.SqliteAccounts;
import io.dmarclens.posture.PostureService;
import io.dmarclens.store.Store;
import io.dmarclens.store.alerts.Alert;
import io.dmarclens.store.alerts.AlertFinding;
import io.dmarclens.store.alerts.Notice;
import io.dmarclens.web.auth.UserStore;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Alerts page over a real store, a real {@code alerts.db} and the real rules (thresholds lowered to the
 * test data's size): the list with its filters, one alert with its text and evidence, acknowledging with a
 * comment (CSRF-checked, escaped), the rules in force, and the JSON API; in headless chromium too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlertsPageTest {
    private static final Path SHOTS = Path.of("target/screenshots");
    private static final ObjectMapper JSON = new ObjectMapper();

    Store store;
    UserStore users;
    SqliteAlerts alerts;
    WebApp app;
    Alert hostile;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        store = EmbeddedStore.open(dir.resolve("data"), TestData.CLOCK);
        TestData.fill(store);
        users = new UserStore(SqliteAccounts.open(dir.resolve("data")), 4, TestData.CLOCK);
        users.addOrReplace(TestApp.USER, TestApp.PASSWORD.toCharArray());
        alerts = SqliteAlerts.open(dir.resolve("data"));
        AlertsConsole console = TestApp.alerts(store, alerts, TestData.CLOCK);
        // An alert whose words came from a report: every one must reach the page as text.
        hostile = alerts.log().raise(new AlertFinding("spoofing-wave", "example.org", TestData.CLOCK.instant(),
                        TestData.XSS + TestData.XSS_ATTR, 3, "{\"reporter\":\"" + "<b>x</b>" + "\"}"),
                id -> new Notice(Notice.Kind.OPENED, id, "spoofing-wave", "example.org", "s", "text " + TestData.XSS,
                        "<p>h</p>", "{}", List.of(new Notice.DashboardLink(TestData.XSS, "/sources?q=" + TestData.XSS_ATTR)),
                        TestData.CLOCK.instant()), TestData.CLOCK.instant());
        app = new WebApp(store, new TestApp.EmptyIngest(), users, WebSettings.defaults(), TestData.CLOCK,
                PostureService.offline(store, TestData.CLOCK), UnverifiedReports.INCLUDED,
                console)
                .start("127.0.0.1", 0);
    }

    @AfterAll
    void stop() {
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
    void theRulesRaisedAlertsOverTheStoreAndTheApiListsThem() throws Exception {
        WebClient client = new WebClient(app.port());
        assertEquals(303, client.login(TestApp.USER, TestApp.PASSWORD).statusCode());
        JsonNode list = JSON.readTree(client.get("/api/alerts?domain=example.com").body()).get("rows");
        List<String> rules = list.findValuesAsText("rule");
        assertTrue(rules.contains("new-failing-source") && rules.contains("spoofing-wave"), rules::toString);
        JsonNode spoof = null;
        for (JsonNode a : list) {
            if (a.get("rule").asText().equals("spoofing-wave")) {
                spoof = a;
            }
        }
        assertEquals("open", spoof.get("state").asText());
        String csv = client.get("/api/alerts.csv?domain=example.com").body();
        assertTrue(csv.startsWith("state,rule,domain,summary,since,openedAt,updatedAt,resolvedAt,amount,"), csv);
        assertEquals(list.size() + 1, csv.lines().count(), csv);

        JsonNode one = JSON.readTree(client.get("/api/alerts/" + spoof.get("id").asLong()).body());
        assertTrue(one.at("/evidence/threat_messages").asLong() >= 30, one.toString());
        assertEquals(1, one.get("notices").size(), "one notice: the opening");
        assertEquals("opened", one.at("/notices/0/kind").asText());
        assertTrue(one.at("/notices/0/links/0/path").asText().startsWith("/sources?range=custom&from=2024-06-29&to=2024-06-30"
                + "&domain=example.com"), one.toString());

        JsonNode rulesInForce = JSON.readTree(client.get("/api/alerts/rules").body()).get("rules");
        assertEquals(List.of("new-failing-source", "sender-broke", "pass-rate-drop", "spoofing-wave", "reporter-silent",
                "policy-changed", "tls-failures", "quarantine-growing", "inbox-backlog", "imap-failing"),
                rulesInForce.findValuesAsText("id"), "offline: no posture rule");
        assertEquals(400, client.get("/api/alerts?rule=nonsense").statusCode());
        assertEquals(400, client.get("/api/alerts?state=sleeping").statusCode());
        assertEquals(404, client.get("/api/alerts/999999").statusCode());
        assertEquals(401, new WebClient(app.port()).get("/api/alerts").statusCode(), "no session, no alerts");
    }

    @Test
    void acknowledgingTakesACommentAndTheCsrfToken() throws Exception {
        Alert target = alerts.log().raise(new AlertFinding("reporter-silent", "example.net", TestData.CLOCK.instant(),
                        "Yahoo sent no reports for 3 days", 3, "{}"),
                id -> new Notice(Notice.Kind.OPENED, id, "reporter-silent", "example.net", "s", "t", "<p>h</p>", "{}",
                        List.of(), TestData.CLOCK.instant()), TestData.CLOCK.instant());
        WebClient client = new WebClient(app.port());
        assertEquals(303, client.login(TestApp.USER, TestApp.PASSWORD).statusCode());
        String path = "/alerts/" + target.id() + "/acknowledge";
        assertEquals(403, client.postForm(path, Map.of("comment", "no token")).statusCode(), "CSRF");
        assertEquals(400, client.postForm(path, Map.of("_csrf", client.csrf(), "comment", " ")).statusCode(),
                "a comment is required");
        HttpResponse<String> ok = client.postForm(path, Map.of("_csrf", client.csrf(),
                "comment", "Yahoo outage, <i>known</i>"));
        assertEquals(303, ok.statusCode(), ok.body());
        Alert acked = alerts.log().alert(target.id()).orElseThrow();
        assertEquals("alice", acked.acknowledgedBy());
        assertEquals("Yahoo outage, <i>known</i>", acked.comment());
        String page = client.get("/alerts/" + target.id()).body();
        assertTrue(page.contains("Yahoo outage, &lt;i&gt;known&lt;/i&gt;"), "the comment is escaped");
        assertFalse(page.contains("<i>known</i>"));
        assertEquals("acknowledged", JSON.readTree(client.get("/api/alerts/" + target.id()).body()).get("state").asText());
    }

    @Test
    void wordsFromReportsReachThePageAsText() throws Exception {
        WebClient client = new WebClient(app.port());
        assertEquals(303, client.login(TestApp.USER, TestApp.PASSWORD).statusCode());
        for (String path : List.of("/alerts", "/alerts/" + hostile.id(), "/alerts?domain=example.org&state=open")) {
            String page = client.get(path).body();
            assertFalse(page.contains(TestData.XSS), path);
            assertFalse(page.contains("<img src=x"), path);
            assertTrue(page.contains("&lt;script&gt;"), path);
        }
    }

    @Test
    void thePageShowsAlertsAndRulesInChromium() throws Exception {
        HeadlessChromium.assumeInstalled();
        WebDriver driver = HeadlessChromium.start(Files.createTempDirectory("chrome-profile"));
        try {
            WebDriverWait wait = HeadlessChromium.await(driver);
            String base = "http://127.0.0.1:" + app.port();
            driver.get(base + "/alerts?domain=example.com");
            driver.findElement(By.id("username")).sendKeys(TestApp.USER);
            driver.findElement(By.id("password")).sendKeys(TestApp.PASSWORD);
            driver.findElement(By.id("login")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("alerts")));
            assertEquals("Alerts", driver.findElement(By.tagName("h1")).getText());
            int rows = driver.findElements(By.cssSelector("#alerts table[data-table=alerts] tbody tr")).size();
            assertTrue(rows >= 2, "alerts of example.com shown: " + rows);
            assertTrue(driver.findElements(By.cssSelector("#alerts table[data-table=alerts] tbody tr")).stream()
                    .allMatch(r -> r.getText().contains("example.com")), "filtered to the domain");
            assertTrue(driver.findElement(By.id("rules")).getText().contains("alerts.spoofing_wave.min_messages = 1"));
            assertEquals(null, ((JavascriptExecutor) driver).executeScript("return window.__xss || null"));
            Files.createDirectories(SHOTS);
            driver.manage().window().setSize(new Dimension(1280, 1000));
            driver.get(base + "/alerts?domain=example.com");
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("alerts")));
            // docs/alerts-page.png is this screenshot (made smaller)
            Files.write(SHOTS.resolve("30-alerts.png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));

            driver.findElement(By.cssSelector("#alerts table[data-table=alerts] tbody a[href^='/alerts/']")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("evidence")));
            assertTrue(driver.findElement(By.id("notices")).getText().contains("waiting"), "delivery state shown");
        } finally {
            driver.quit();
        }
    }
}
