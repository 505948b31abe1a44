package io.dmarclens.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmarclens.web.pages.Layout;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every "Export CSV" link of the dashboard, clicked in headless chromium: for every page of the navigation
 * and every order its tables offer (their sortable headings, both ways where both are offered), each export
 * link is clicked, the file chromium saves is read back, and it must hold the header and the rows the page
 * and its JSON twin list for the same filters, in the page's order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExportBrowserTest {
    /** Search has no table until something is searched for: records, failure reports and TLS failures. */
    private static final String SEARCH = "dmarc:fail OR kind:failure OR kind:tls";
    private static final Pattern TOTAL = Pattern.compile("^([0-9,]+) rows?$");

    private final ObjectMapper json = new ObjectMapper();
    TestApp app;
    WebClient api;
    WebDriver driver;
    WebDriverWait wait;
    String base;
    Path downloads;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        HeadlessChromium.assumeInstalled();
        app = TestApp.withInbox(dir);
        // a second failure report and TLS report, older, so that every list has an order to get wrong
        TestData.failure(app.store, "failure-older.eml", "Older newsletter", "bob@example.com", "198.51.100.7",
                TestData.TODAY.minusDays(9).atTime(8, 0).toInstant(ZoneOffset.UTC));
        TestData.tls(app.store, "tls-2.json", "Microsoft Corporation", "tlsrpt@microsoft.example", "tls-2",
                TestData.TODAY.minusDays(6), "sts-policy-invalid");
        app.store.awaitIndexed();
        api = app.loggedIn();
        base = "http://127.0.0.1:" + app.app.port();
        downloads = dir.resolve("downloads");
        driver = HeadlessChromium.start(dir.resolve("chrome-profile"), downloads);
        wait = HeadlessChromium.await(driver);
        driver.get(base + "/login");
        driver.findElement(By.id("username")).sendKeys(TestApp.USER);
        driver.findElement(By.id("password")).sendKeys(TestApp.PASSWORD);
        driver.findElement(By.id("login")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("kpis")));
        fillIngestLog(dir);
    }

    /** A good report and a broken file through the upload form: two log entries and one quarantined file. */
    private void fillIngestLog(Path dir) throws Exception {
        Path good = Path.of("../sample-reports/aggregate/opendmarc-style.xml").toAbsolutePath().normalize();
        Path bad = Files.writeString(dir.resolve("not-a-report.xml"), "<html>this is not a report</html>");
        driver.get(base + "/ingest");
        driver.findElement(By.id("files")).sendKeys(good + "\n" + bad);
        driver.findElement(By.id("upload")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("notice")));
        wait.until(d -> {
            try {
                return rowsOf("/api/ingest/log", "").size() >= 2 && rowsOf("/api/ingest/quarantine", "").size() == 1;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
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

    @Test
    void everyExportLinkOnEveryPageDownloadsWhatThePageLists() throws Exception {
        driver.get(base + "/?range=30");
        List<String> nav = driver.findElements(By.cssSelector("nav.mainnav a")).stream()
                .map(a -> a.getAttribute("href")).toList();
        // and the Users page and the Audit log, shown to admins only (#12): the test user is one
        assertEquals(Layout.NAV.size() + 2, nav.size(), "the navigation lists every page");
        Map<String, Integer> checked = new LinkedHashMap<>();
        Set<String> downloaded = new TreeSet<>();
        for (String page : nav) {
            if (URI.create(page).getPath().equals("/audit")) {
                continue; // grows with every export this test makes: RolesTest checks its CSV instead
            }
            if (URI.create(page).getPath().equals("/users")) {
                continue; // the admin's users page has forms, no export
            }
            String start = page.contains("/search") ? page + "&q=" + URLEncoder.encode(SEARCH, StandardCharsets.UTF_8) : page;
            checked.put(URI.create(page).getPath(), clickEveryExport(start, downloaded));
        }
        // the detail pages behind the lists have tables with exports too: a report, a source, a TLS report
        for (String list : List.of("/reports?range=30", "/sources?range=30", "/tls?range=30")) {
            driver.get(base + list);
            String detail = driver.findElement(By.cssSelector("main table[data-table] tbody a")).getAttribute("href");
            assertTrue(clickEveryExport(detail, downloaded) > 0, detail + " offers no export");
        }
        // every page with a table exports it (Posture has none); no page was skipped
        checked.forEach((page, n) -> assertTrue(n > 0 || page.equals("/posture"), page + " offers no export: " + checked));
        assertTrue(downloaded.size() >= 60, "every order of every table was exported: " + downloaded.size());
        for (String must : List.of("/api/failures.csv?", "/api/tls.csv?", "/api/ingest/log.csv?", "/api/tls/failures.csv?",
                "/api/ingest/quarantine.csv?", "/api/search.csv?", "/api/sources/failing.csv?", "/records.csv?",
                "/policies/1/failures.csv?")) {
            assertTrue(downloaded.stream().anyMatch(h -> h.contains(must)), must + " was clicked: " + downloaded);
        }
    }

    /**
     * Clicks every export link of the page in every order its tables offer; a link already checked (the
     * same URL from another order of another table) is counted but not downloaded again.
     *
     * @return how many export links the page showed in all its orders
     */
    private int clickEveryExport(String start, Set<String> downloaded) throws Exception {
        int exports = 0;
        for (String state : sortStates(start)) {
            driver.get(state);
            int links = exportLinks().size();
            for (int i = 0; i < links; i++) {
                WebElement link = exportLinks().get(i);
                String href = link.getAttribute("href");
                exports++;
                if (downloaded.add(href)) {
                    checkExport(state, link, href);
                }
            }
        }
        return exports;
    }

    /** The page itself and, table by table, every URL its sortable headings lead to, both ways. */
    private List<String> sortStates(String start) {
        driver.get(start);
        Set<String> states = new LinkedHashSet<>();
        states.add(start);
        List<String> tables = driver.findElements(By.cssSelector("main table[data-table]")).stream()
                .map(t -> t.getAttribute("data-table")).distinct().toList();
        for (String table : tables) {
            Deque<String> todo = new ArrayDeque<>(sortLinks(table));
            Set<String> seen = new LinkedHashSet<>();
            while (!todo.isEmpty()) {
                String url = todo.poll();
                if (seen.add(url)) {
                    driver.get(url);
                    todo.addAll(sortLinks(table));
                }
                assertTrue(seen.size() < 100, "the sort links of " + table + " do not end: " + seen);
            }
            states.addAll(seen);
        }
        return new ArrayList<>(states);
    }

    private List<String> sortLinks(String table) {
        return driver.findElements(By.cssSelector("table[data-table='" + table + "'] thead th a")).stream()
                .map(a -> a.getAttribute("href")).toList();
    }

    private List<WebElement> exportLinks() {
        return driver.findElements(By.cssSelector("main a[href*='.csv']"));
    }

    /** Clicks one export link, reads the saved file, and holds it against the page and the JSON API. */
    private void checkExport(String page, WebElement link, String href) throws Exception {
        URI uri = URI.create(href);
        String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        var status = api.get(uri.getRawPath() + "?" + query);
        assertEquals(200, status.statusCode(), href + " (on " + page + ") answers " + status.body());
        List<CSVRecord> rows;
        List<String> header;
        try (CSVParser csv = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(download(link)))) {
            header = csv.getHeaderNames();
            rows = csv.getRecords();
        }
        String where = href + " on " + page;
        assertFalse(rows.isEmpty(), "no rows in " + where);
        Map<String, String> params = params(query);
        if (uri.getPath().equals("/api/tls/failures.csv")) {
            // the reports the page lists (one page of them here), by the links to their detail pages
            assertTrue(driver.findElements(By.cssSelector("nav.pager")).isEmpty(), where);
            List<Long> reports = driver.findElements(By.cssSelector("table[data-table=tls-reports] tbody a")).stream()
                    .map(a -> Long.parseLong(URI.create(a.getAttribute("href")).getPath().substring("/tls/".length())))
                    .toList();
            assertEquals(rowsOf("/api/tls", query).size(), reports.size(), where);
            assertEquals(tlsFailures(reports), rows.size(), "every TLS failure detail of the listed reports: " + where);
            // the same columns as the failure tables of a report's page
            assertEquals(columnKeys(json.readTree(api.get("/api/tls/" + reports.get(0) + "/policies/1/failures").body())),
                    header, where);
            return;
        }
        String jsonPath = uri.getRawPath().substring(0, uri.getRawPath().length() - ".csv".length());
        JsonNode first = json.readTree(api.get(jsonPath + "?" + query).body());
        List<String> keys = columnKeys(first);
        assertEquals(keys, header, "the CSV header is the table's column keys: " + where);
        List<JsonNode> expected = rowsOf(jsonPath, query);
        assertEquals(expected.size(), rows.size(), "the export holds every row the API lists: " + where);
        for (int i = 0; i < rows.size(); i++) {
            for (String k : keys) {
                assertSameCell(expected.get(i).get(k), rows.get(i).get(k), where + " row " + (i + 1) + " " + k);
            }
        }
        assertEquals(first.get("sort").asText(), params.get("sort"), "the export carries the table's order: " + where);
        assertEquals(first.get("dir").asText(), params.get("dir"), where);
        assertSorted(rows, params.get("sort"), "desc".equals(params.get("dir")), where);
        WebElement card = link.findElement(By.xpath("ancestor::div[contains(@class,'table-card')]"));
        // the page: its row count, its first page of rows, and the order its headings show
        Matcher total = TOTAL.matcher(card.findElement(By.cssSelector(".table-tools .muted")).getText());
        if (total.matches()) {
            assertEquals(Long.parseLong(total.group(1).replace(",", "")), rows.size(), "the page's count: " + where);
        }
        List<WebElement> shown = card.findElements(By.cssSelector("tbody tr"));
        boolean paged = !card.findElements(By.cssSelector("nav.pager")).isEmpty();
        assertTrue(paged ? shown.size() < rows.size() : shown.size() == rows.size(),
                shown.size() + " rows on the page, " + rows.size() + " exported: " + where);
        List<WebElement> sorted = card.findElements(By.cssSelector("thead th[aria-sort]"));
        if (!sorted.isEmpty()) {
            String label = sorted.get(0).getText().replaceAll("[\u25B4\u25BE]", "").strip();
            String expectedLabel = null;
            for (JsonNode c : first.get("columns")) {
                if (c.get("key").asText().equals(params.get("sort"))) {
                    expectedLabel = c.get("label").asText();
                }
            }
            assertEquals(expectedLabel, label, "the page is sorted by the column the export is: " + where);
            assertEquals("desc".equals(params.get("dir")) ? "descending" : "ascending",
                    sorted.get(0).getAttribute("aria-sort"), where);
        }
    }

    /** Clicks the link and waits for chromium to finish saving the file. */
    private String download(WebElement link) throws Exception {
        try (Stream<Path> old = Files.list(downloads)) {
            for (Path p : old.toList()) {
                Files.delete(p);
            }
        }
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center'})", link);
        link.click();
        Path file = wait.until(d -> {
            try (Stream<Path> files = Files.list(downloads)) {
                List<Path> all = files.toList();
                boolean busy = all.stream().anyMatch(p -> p.getFileName().toString().endsWith(".crdownload"));
                return !busy && all.size() == 1 ? all.get(0) : null;
            } catch (IOException e) {
                return null;
            }
        });
        assertTrue(file.getFileName().toString().endsWith(".csv"), file.toString());
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    /** Every row of a JSON table endpoint for the query, page by page. */
    private List<JsonNode> rowsOf(String path, String query) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (int page = 1; ; page++) {
            var r = api.get(path + "?" + (query.isEmpty() ? "" : query + "&") + "size=500&page=" + page);
            assertEquals(200, r.statusCode(), path + ": " + r.body());
            JsonNode body = json.readTree(r.body());
            body.get("rows").forEach(out::add);
            if (!body.get("hasMore").asBoolean()) {
                return out;
            }
        }
    }

    private static List<String> columnKeys(JsonNode table) {
        List<String> keys = new ArrayList<>();
        table.get("columns").forEach(c -> keys.add(c.get("key").asText()));
        return keys;
    }

    /** The failure details of these TLS reports. */
    private int tlsFailures(List<Long> reports) throws Exception {
        int n = 0;
        for (long id : reports) {
            JsonNode detail = json.readTree(api.get("/api/tls/" + id).body());
            for (JsonNode policy : detail.get("policies")) {
                n += policy.get("failures").size();
            }
        }
        return n;
    }

    private static Map<String, String> params(String query) {
        Map<String, String> m = new HashMap<>();
        for (String kv : query.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                m.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return m;
    }

    /** A CSV cell and its JSON twin: lists joined, numbers as numbers, formula-like text quoted. */
    private static void assertSameCell(JsonNode expected, String actual, String where) {
        if (expected == null || expected.isNull()) {
            assertEquals("", actual, where);
        } else if (expected.isNumber()) {
            assertEquals(expected.asDouble(), Double.parseDouble(actual), 1e-4, where);
        } else if (expected.isArray()) {
            List<String> items = new ArrayList<>();
            expected.forEach(e -> items.add(e.asText()));
            assertEquals(String.join(", ", items), unquote(actual), where);
        } else {
            assertEquals(expected.asText(), unquote(actual), where);
        }
    }

    private static String unquote(String csv) {
        return csv.startsWith("'") && csv.length() > 1 && "=+-@\t\r".indexOf(csv.charAt(1)) >= 0 ? csv.substring(1) : csv;
    }

    /** The non-empty cells of the sort column come in its order (numbers by value, text ignoring case). */
    private static void assertSorted(List<CSVRecord> rows, String key, boolean descending, String where) {
        String previous = null;
        for (CSVRecord r : rows) {
            if (!r.isMapped(key)) {
                return; // a default order by something that is no column (a report's records by their index)
            }
            String v = r.get(key);
            if (v.isEmpty()) {
                continue;
            }
            if (previous != null) {
                int c = compare(previous, v);
                if (descending ? c < 0 : c > 0) {
                    fail("rows out of order by " + key + (descending ? " desc" : " asc") + ": '" + previous + "' before '"
                            + v + "' in " + where);
                }
            }
            previous = v;
        }
    }

    private static int compare(String a, String b) {
        try {
            return Double.compare(Double.parseDouble(a), Double.parseDouble(b));
        } catch (NumberFormatException e) {
            return a.compareToIgnoreCase(b);
        }
    }
}
