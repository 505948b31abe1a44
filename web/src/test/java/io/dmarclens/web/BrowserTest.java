package io.dmarclens.web;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard in Debian's headless chromium: one browser session walks through login, charts,
 * filters, search, CSV export and the pages with hostile report values, taking a screenshot of each
 * page into {@code web/target/screenshots/}. Skipped when chromedriver is not installed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserTest {
    private static final Path SHOTS = Path.of("target/screenshots");

    TestApp app;
    WebDriver driver;
    WebDriverWait wait;
    String base;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        HeadlessChromium.assumeInstalled();
        app = open(dir);
        base = "http://127.0.0.1:" + app.app.port();
        driver = HeadlessChromium.start(dir.resolve("chrome-profile"));
        wait = HeadlessChromium.await(driver);
        Files.createDirectories(SHOTS);
    }

    /** The app the browser walks through: on the embedded store here, on OpenSearch in app's subclass. */
    TestApp open(Path dir) throws Exception {
        return TestApp.withInbox(dir);
    }

    @AfterAll
    void stop() throws Exception {
        if (driver != null) {
            driver.quit();
        }
        if (app != null) {
            app.close();
        }
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    private void shot(String name) throws Exception {
        long height = (Long) js("return Math.min(6000, document.documentElement.scrollHeight)");
        driver.manage().window().setSize(new Dimension(1440, (int) Math.max(900, height + 140)));
        Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        driver.manage().window().setSize(new Dimension(1440, 1000));
    }

    private void noScriptRan(String where) {
        assertEquals(null, js("return window.__xss === undefined ? null : String(window.__xss)"),
                "a report value ran as script on " + where);
    }

    private void waitForCharts() {
        wait.until(d -> (Boolean) js("return Array.from(document.querySelectorAll('canvas[data-src]'))"
                + ".every(c => c.getAttribute('data-loaded'))"));
    }

    private String kpi(String id) {
        return driver.findElement(By.cssSelector("#kpi-" + id + " .value")).getText();
    }

    @Test
    @Order(1)
    void logsInThroughTheForm() throws Exception {
        // With two factors (#12): the user has a TOTP app, the test plays it.
        byte[] secret = new byte[20];
        new java.security.SecureRandom().nextBytes(secret);
        long step = TestData.CLOCK.instant().getEpochSecond() / 30;
        assertTrue(app.users.twoFactor(java.util.Set.of(), TestData.CLOCK)
                .confirm(TestApp.USER, secret, io.dmarclens.web.auth.Totp.code(secret, step)).isPresent());
        driver.get(base + "/");
        assertTrue(driver.getCurrentUrl().contains("/login"), driver.getCurrentUrl());
        shot("01-login");
        driver.findElement(By.id("username")).sendKeys(TestApp.USER);
        driver.findElement(By.id("password")).sendKeys(TestApp.PASSWORD);
        driver.findElement(By.id("login")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("code")));
        shot("01b-login-code");
        // The enrolling code is used up (the step is kept with the account): the app's next code logs in.
        driver.findElement(By.id("code")).sendKeys(io.dmarclens.web.auth.Totp.code(secret, step + 1));
        driver.findElement(By.id("verify")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("kpis")));
        assertEquals("Overview", driver.findElement(By.tagName("h1")).getText());
    }

    @Test
    @Order(2)
    void overviewDrawsItsChartsWithData() throws Exception {
        driver.get(base + "/?range=30");
        waitForCharts();
        List<String> ids = List.of("chart-volume", "chart-alignment", "chart-disposition", "chart-classification",
                "chart-top-failing");
        for (String id : ids) {
            Object points = js("const c = Chart.getChart(document.getElementById(arguments[0]));"
                    + "if (!c) return -1;"
                    + "return c.data.datasets.reduce((n, d) => n + d.data.filter(v => v > 0).length, 0);", id);
            assertTrue(((Long) points) > 0, id + " has no data points: " + points);
        }
        Object legend = js("return Chart.getChart(document.getElementById('chart-volume')).data.datasets.map(d => d.label).join(',')");
        assertEquals("DMARC pass,DMARC fail", legend);
        noScriptRan("the overview");
        shot("02-overview");
    }

    @Test
    @Order(3)
    void filtersChangeTheNumbers() throws Exception {
        driver.get(base + "/?range=30");
        String month = kpi("messages");
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("range"))).selectByValue("7");
        wait.until(ExpectedConditions.urlContains("range=7"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("kpi-messages")));
        String week = kpi("messages");
        assertNotEquals(month, week);
        assertEquals(String.format(Locale.ROOT, "%,d", TestData.messagesLast7Days()), week);
        // a domain filter from the bar narrows further and stays in the URL
        driver.findElement(By.cssSelector("details.multi summary")).click();
        driver.findElement(By.cssSelector("input[name=domain][value='example.org']")).click();
        driver.findElement(By.cssSelector("#filters button[type=submit]")).click();
        wait.until(ExpectedConditions.urlContains("domain=example.org"));
        assertTrue(driver.getCurrentUrl().contains("range=7"));
        assertEquals("49", kpi("messages"), "example.org gets 7 messages a day");
        waitForCharts();
        shot("03-overview-filtered");
    }

    @Test
    @Order(4)
    void searchFindsTheFailingSender() throws Exception {
        driver.get(base + "/search?range=30");
        driver.findElement(By.id("q")).sendKeys("dmarc:fail AND ip:192.0.2.0/24");
        driver.findElement(By.cssSelector(".searchbox button")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("table[data-table=search]")));
        String table = driver.findElement(By.cssSelector("table[data-table=search]")).getText();
        assertTrue(table.contains(TestData.SPOOFER), table);
        assertFalse(table.contains("203.0.113.5"), "a passing source is not a hit");
        shot("04-search");
    }

    @Test
    @Order(5)
    void csvExportDownloadsAndParses() throws Exception {
        driver.get(base + "/sources?range=30");
        String href = driver.findElement(By.cssSelector("a[data-export=sources]")).getAttribute("href");
        Object text = ((JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch(arguments[0], {credentials: 'same-origin'}).then(r => r.text()).then(done, e => done('ERR ' + e));",
                href);
        try (CSVParser csv = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader((String) text))) {
            List<String> header = csv.getHeaderNames();
            assertEquals("ip", header.get(0));
            assertTrue(header.contains("passRate") && header.contains("classification"), header.toString());
            List<CSVRecord> rows = csv.getRecords();
            assertTrue(rows.stream().anyMatch(r -> r.get("ip").equals(TestData.SPOOFER)
                    && r.get("classification").equals("threat")), rows.toString());
            int shown = driver.findElements(By.cssSelector("table[data-table=sources] tbody tr")).size();
            assertEquals(shown, rows.size(), "the export holds the rows the table shows");
            assertTrue(header.contains("asn") && header.contains("country"), "the export keeps every column");
        }
        // On the page, text columns empty in every row (no DNS, no GeoIP here) give their room to the rest,
        // and the reasons get a readable width instead of one word per line.
        List<String> headings = driver.findElements(By.cssSelector("table[data-table=sources] thead th")).stream()
                .map(e -> e.getText().replaceAll("[\u25B4\u25BE]", "").strip()).toList();
        assertFalse(headings.contains("ASN") || headings.contains("Country"), headings.toString());
        int why = headings.indexOf("Why");
        assertTrue(why >= 0, headings.toString());
        List<org.openqa.selenium.WebElement> reasons = driver.findElements(
                By.cssSelector("table[data-table=sources] tbody tr td:nth-child(" + (why + 1) + ")"));
        assertTrue(reasons.stream().anyMatch(td -> td.getText().length() > 40), "some reason is long");
        for (org.openqa.selenium.WebElement td : reasons) {
            if (td.getText().length() > 40) {
                assertTrue(td.getSize().getWidth() >= 250, "a long reason gets room: " + td.getSize().getWidth() + " px");
            }
        }
        shot("05-sources");
    }

    @Test
    @Order(6)
    void quarantineShowsABadUpload() throws Exception {
        Path bad = Files.writeString(Files.createTempFile("not-a-report", ".xml"), "<html>this is not a report</html>");
        driver.get(base + "/ingest");
        driver.findElement(By.id("files")).sendKeys(bad.toAbsolutePath().toString());
        driver.findElement(By.id("upload")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("notice")));
        String name = bad.getFileName().toString();
        // processing is asynchronous: reload until the quarantine lists it
        wait.until(d -> {
            d.navigate().refresh();
            return d.findElement(By.cssSelector("table[data-table=quarantine]")).getText().contains(name);
        });
        String row = driver.findElement(By.cssSelector("table[data-table=quarantine] tbody")).getText();
        assertTrue(row.contains(name), row);
        shot("06-ingest");
    }

    @Test
    @Order(7)
    void everyPageRendersWithHostileValuesAsText() throws Exception {
        String[][] pages = {
                {"/forwarding?range=30", "07-forwarding"}, {"/domains?range=30", "08-domains"},
                {"/reporters?range=30", "09-reporters"}, {"/reports?range=30", "10-reports"},
                {"/failures?range=30", "11-failures"}, {"/tls?range=30", "12-tls"},
                {"/sources/" + TestData.SPOOFER + "?range=30", "13-source-detail"}};
        for (String[] p : pages) {
            driver.get(base + p[0]);
            waitForCharts();
            assertFalse(driver.findElement(By.tagName("h1")).getText().isEmpty());
            noScriptRan(p[0]);
            shot(p[1]);
        }
        driver.get(base + "/reports?range=30");
        driver.findElement(By.linkText("xss-1")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("table.kv")));
        assertTrue(driver.getPageSource().contains("&lt;script&gt;window.__xss=1&lt;/script&gt;"));
        assertTrue(driver.findElement(By.tagName("h1")).getText().contains(TestData.XSS), "shown as text");
        noScriptRan("the report detail");
        shot("14-report-detail");
        driver.get(base + "/failures?range=30");
        driver.findElement(By.partialLinkText("Quarterly invoice")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("reveal")));
        assertFalse(driver.findElement(By.tagName("main")).getText().contains("john.doe@example.com"), "redacted");
        shot("15-failure-detail");
        driver.findElement(By.id("reveal")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("redact")));
        assertTrue(driver.findElement(By.tagName("main")).getText().contains("john.doe@example.com"), "revealed");
        driver.get(base + "/tls?range=30");
        driver.findElement(By.linkText("Google Inc.")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("table[data-table=tls-failures]")));
        shot("16-tls-detail");
        for (var e : driver.manage().logs().get("browser").getAll()) {
            assertFalse(e.getMessage().contains("Content Security Policy"), "CSP violation: " + e.getMessage());
        }
    }
}
