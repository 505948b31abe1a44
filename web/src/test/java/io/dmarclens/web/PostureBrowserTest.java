package io.dmarclens.web;

import io.dmarclens.index.users.SqliteAccounts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmarclens.index.EmbeddedStore;
import io.dmarclens.posture.PostureService;
import io.dmarclens.store.Store;
import io.dmarclens.testdns.LoopbackDnsServer;
import io.dmarclens.web.auth.UserStore;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Posture page over a real store and a real DNS server on loopback, for a domain whose records
 * give findings of every severity; in the browser (headless chromium) and through the JSON API.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostureBrowserTest {
    private static final Path SHOTS = Path.of("target/screenshots");

    LoopbackDnsServer dns;
    Store store;
    UserStore users;
    WebApp app;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        dns = new LoopbackDnsServer();
        // error: external rua not authorised; warnings: pct, ptr; info: monitoring; ok: SPF lookups, MX, TLS-RPT.
        dns.txt("_dmarc.example.com", "v=DMARC1; p=none; pct=50; rua=mailto:d@example.com,mailto:r@reports.example.net");
        dns.txt("example.com", "v=spf1 ip4:203.0.113.0/24 include:_spf.example.net ptr -all");
        dns.txt("_spf.example.net", "v=spf1 ip4:198.51.100.0/24 ~all");
        dns.txt("s1._domainkey.example.com", "v=DKIM1; p=");
        dns.add(new org.xbill.DNS.MXRecord(LoopbackDnsServer.name("example.com"), org.xbill.DNS.DClass.IN, 300, 10,
                LoopbackDnsServer.name("mx.example.com")));
        dns.txt("_smtp._tls.example.com", "v=TLSRPTv1; rua=mailto:tls@example.com");
        // two DMARC records for a domain with stored reports; the second's collector never authorised it
        dns.txt("_dmarc.example.org", "v=DMARC1; p=reject; rua=mailto:d@example.org");
        dns.txt("_dmarc.example.org", "v=DMARC1; p=none; rua=mailto:r@collector.example.net");
        store = EmbeddedStore.open(dir.resolve("data"), TestApp.runningFrom(TestData.CLOCK.instant()));
        TestData.fill(store);
        users = new UserStore(SqliteAccounts.open(dir.resolve("data")), 4, TestData.CLOCK);
        users.addOrReplace(TestApp.USER, TestApp.PASSWORD.toCharArray());
        PostureService posture = new PostureService(store, dns.address(), Duration.ofMillis(800), false, TestData.CLOCK);
        app = new WebApp(store, new TestApp.EmptyIngest(), users, WebSettings.defaults(), TestData.CLOCK, posture)
                .start("127.0.0.1", 0);
    }

    @AfterAll
    void stop() throws Exception {
        if (app != null) {
            app.stop();
        }
        if (users != null) {
            users.close();
        }
        if (store != null) {
            store.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    @Test
    void apiReturnsTheStableJsonAndRefusesNonDomains() throws Exception {
        WebClient client = new WebClient(app.port());
        assertEquals(303, client.login(TestApp.USER, TestApp.PASSWORD).statusCode());
        HttpResponse<String> response = client.get("/api/posture?domain=example.com");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode json = new ObjectMapper().readTree(response.body());
        assertEquals("example.com", json.get("domain").asText());
        List<String> codes = json.get("findings").findValuesAsText("code");
        assertTrue(codes.containsAll(List.of("dmarc.external-unauthorized", "dmarc.pct", "spf.ptr", "dmarc.monitoring",
                "spf.lookups", "mx.present", "tlsrpt.present")), codes::toString);
        assertEquals(List.of("google", "s1"), json.get("dkim").findValuesAsText("selector"), "the selectors seen in stored reports");
        assertTrue(json.at("/readiness/messages").asLong() > 0, "readiness from the stored reports");
        assertEquals(400, client.get("/api/posture?domain=%3Cscript%3E").statusCode());
        assertEquals(401, new WebClient(app.port()).get("/api/posture?domain=example.com").statusCode(), "no session, no posture");
    }

    @Test
    void pageShowsFindingsOfEverySeverity() throws Exception {
        HeadlessChromium.assumeInstalled();
        WebDriver driver = HeadlessChromium.start(Files.createTempDirectory("chrome-profile"));
        try {
            WebDriverWait wait = HeadlessChromium.await(driver);
            String base = "http://127.0.0.1:" + app.port();
            driver.get(base + "/posture?domain=example.com");
            driver.findElement(By.id("username")).sendKeys(TestApp.USER);
            driver.findElement(By.id("password")).sendKeys(TestApp.PASSWORD);
            driver.findElement(By.id("login")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("findings")));
            assertEquals("Posture", driver.findElement(By.tagName("h1")).getText());
            for (String severity : List.of("error", "warning", "info", "ok")) {
                List<WebElement> rows = driver.findElements(By.cssSelector("#findings tr.finding-" + severity));
                assertTrue(!rows.isEmpty(), "no " + severity + " finding shown");
                int shown = Integer.parseInt(driver.findElement(By.cssSelector("#posture-" + severity + " .value")).getText());
                assertEquals(rows.size(), shown, severity + " count");
            }
            String findings = driver.findElement(By.id("findings")).getText();
            assertTrue(findings.contains("r@reports.example.net is outside example.com"), findings);
            assertTrue(driver.findElement(By.id("dmarc")).getText().contains("pct"), "every tag is explained");
            assertTrue(driver.findElement(By.id("spf")).getText().contains("include:_spf.example.net"));
            assertTrue(driver.findElement(By.id("readiness")).getText().contains("Next step"));
            Files.createDirectories(SHOTS);
            long height = (Long) ((JavascriptExecutor) driver).executeScript("return document.documentElement.scrollHeight");
            driver.manage().window().setSize(new Dimension(1440, (int) Math.min(6000, height + 140)));
            Files.write(SHOTS.resolve("20-posture.png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        } finally {
            driver.quit();
        }
    }

    @Test
    void twoDmarcRecordsAreBothShownAndNoPolicyIsUsable() throws Exception {
        WebClient client = new WebClient(app.port());
        assertEquals(303, client.login(TestApp.USER, TestApp.PASSWORD).statusCode());
        JsonNode json = new ObjectMapper().readTree(client.get("/api/posture?domain=example.org").body());
        assertTrue(json.at("/dmarc/record").isNull());
        assertEquals(2, json.at("/dmarc/records").size());
        List<String> codes = json.get("findings").findValuesAsText("code");
        assertTrue(codes.containsAll(List.of("dmarc.multiple", "dmarc.external-unauthorized", "readiness.no-usable-policy")),
                codes::toString);
        assertTrue(!codes.contains("dmarc.valid") && !codes.contains("readiness.ready"), codes::toString);
        assertTrue(json.at("/readiness/current_policy").isNull());

        HeadlessChromium.assumeInstalled();
        WebDriver driver = HeadlessChromium.start(Files.createTempDirectory("chrome-profile"));
        try {
            WebDriverWait wait = HeadlessChromium.await(driver);
            driver.get("http://127.0.0.1:" + app.port() + "/posture?domain=example.org");
            driver.findElement(By.id("username")).sendKeys(TestApp.USER);
            driver.findElement(By.id("password")).sendKeys(TestApp.PASSWORD);
            driver.findElement(By.id("login")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("dmarc")));
            WebElement dmarc = driver.findElement(By.id("dmarc"));
            assertEquals("2 DMARC records at _dmarc.example.org", dmarc.findElement(By.tagName("h2")).getText());
            assertEquals("Receivers apply none of them: no policy, no reports. Keep exactly one.",
                    driver.findElement(By.id("dmarc-conflict")).getText());
            List<WebElement> records = dmarc.findElements(By.cssSelector(".dmarc-record"));
            assertEquals(List.of("v=DMARC1; p=reject; rua=mailto:d@example.org", "v=DMARC1; p=none; rua=mailto:r@collector.example.net"),
                    records.stream().map(r -> r.findElement(By.tagName("pre")).getText()).toList());
            assertEquals("rua r@collector.example.net: not authorised: publish example.org._report._dmarc.collector.example.net",
                    records.get(1).findElement(By.cssSelector("p.notice")).getText(), "the second record's collector");
            assertTrue(records.get(0).findElements(By.cssSelector("p.notice")).isEmpty());
            assertEquals("Keep exactly one DMARC record: with 2 published, receivers apply none of them",
                    driver.findElement(By.cssSelector("#readiness p.notice")).getText());
            String findings = driver.findElement(By.id("findings")).getText();
            assertTrue(findings.contains("record 2: rua r@collector.example.net is outside example.org"), findings);
            assertTrue(!findings.contains("dmarc.valid"), findings);
        } finally {
            driver.quit();
        }
    }
}
