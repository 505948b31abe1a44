package io.dmarclens.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.ReportSort;
import io.dmarclens.store.query.ReportSummary;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every API endpoint over real HTTP with a read-only token, against a store filled from sample-reports/
 * through the real parsers; expected numbers come from what the parsers read, not from constants.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiTest {
    static final String ALL = "range=90";
    final ObjectMapper json = new ObjectMapper();
    TestApp app;
    WebClient http;
    String token;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        app = TestApp.withSamples(dir);
        http = app.client();
        token = app.users.issueToken(TestApp.USER);
        assertTrue(app.samples.aggregateReports > 10, "the samples filled the store: " + app.samples.aggregateReports);
    }

    @AfterAll
    void stop() throws Exception {
        app.close();
    }

    JsonNode get(String path) throws Exception {
        HttpResponse<String> r = http.get(path, "Authorization", "Bearer " + token);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), path);
        return json.readTree(r.body());
    }

    List<CSVRecord> csv(String path, List<String> header) throws Exception {
        HttpResponse<String> r = http.get(path, "Authorization", "Bearer " + token);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"), path);
        try (CSVParser p = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(r.body()))) {
            if (header != null) {
                assertEquals(header, p.getHeaderNames(), path + " has the table's columns");
            }
            return p.getRecords();
        }
    }

    static List<String> keys(JsonNode table) {
        return java.util.stream.StreamSupport.stream(table.get("columns").spliterator(), false)
                .map(c -> c.get("key").asText()).toList();
    }

    static long sum(JsonNode series) {
        long n = 0;
        for (JsonNode v : series.get("data")) {
            n += v.asLong();
        }
        return n;
    }

    @Test
    void overviewTotalsMatchWhatTheParsersRead() throws Exception {
        JsonNode o = get("/api/overview?" + ALL);
        assertEquals(app.samples.messages, o.get("messages").asLong());
        assertEquals(app.samples.aggregateReports, o.get("reports").asLong());
        assertEquals(app.samples.ips.size(), o.get("sources").asLong());
        assertEquals(o.get("messages").asLong(), o.get("dmarcPass").asLong() + o.get("dmarcFail").asLong());
        double rate = o.get("dmarcPassRate").asDouble();
        assertTrue(rate > 0 && rate < 1, "samples hold passing and failing mail: " + rate);
        JsonNode cls = o.get("classification");
        assertEquals(o.get("messages").asLong(), cls.get("compliant").asLong() + cls.get("forwarded").asLong()
                + cls.get("misconfigured").asLong() + cls.get("threat").asLong());
        // a filter to one domain narrows the totals
        String domain = app.samples.domains.iterator().next();
        JsonNode one = get("/api/overview?" + ALL + "&domain=" + domain);
        assertTrue(one.get("messages").asLong() < o.get("messages").asLong());
        // nothing in a week long before the samples
        assertEquals(0, get("/api/overview?range=custom&from=2020-01-01&to=2020-01-07").get("messages").asLong());
    }

    @Test
    void chartsAddUpToTheTotals() throws Exception {
        long messages = get("/api/overview?" + ALL).get("messages").asLong();
        JsonNode volume = get("/api/charts/volume?" + ALL);
        assertEquals(90, volume.get("labels").size(), "one label per day of the range");
        assertEquals("DMARC pass", volume.get("datasets").get(0).get("label").asText());
        assertEquals(messages, sum(volume.get("datasets").get(0)) + sum(volume.get("datasets").get(1)));
        JsonNode cls = get("/api/charts/classification?" + ALL);
        assertEquals(messages, sum(cls.get("datasets").get(0)));
        JsonNode alignment = get("/api/charts/alignment?" + ALL);
        assertEquals(List.of("SPF only", "DKIM only", "SPF and DKIM"), List.of(
                alignment.get("datasets").get(0).get("label").asText(), alignment.get("datasets").get(1).get("label").asText(),
                alignment.get("datasets").get(2).get("label").asText()));
        long fail = get("/api/overview?" + ALL).get("dmarcFail").asLong();
        assertEquals(fail, sum(alignment.get("datasets").get(2)), "both failing = DMARC failing");
        for (JsonNode ds : alignment.get("datasets")) {
            for (JsonNode v : ds.get("data")) {
                assertTrue(v.asLong() >= 0, "no negative counts");
            }
        }
        JsonNode disposition = get("/api/charts/disposition?" + ALL);
        assertEquals(3, disposition.get("datasets").size());
        JsonNode top = get("/api/charts/top-failing?" + ALL);
        assertTrue(top.get("labels").size() > 0 && top.get("labels").size() <= 10);
        for (JsonNode v : top.get("datasets").get(0).get("data")) {
            assertTrue(v.asLong() > 0, "only failing sources");
        }
        get("/api/charts/forwarding?" + ALL);
    }

    @Test
    void sourcesPageSortAndExportAgree() throws Exception {
        JsonNode page = get("/api/sources?" + ALL + "&size=5");
        assertEquals(app.samples.ips.size(), page.get("total").asLong());
        assertEquals(5, page.get("rows").size());
        long previous = Long.MAX_VALUE;
        for (JsonNode row : page.get("rows")) {
            assertTrue(row.get("messages").asLong() <= previous, "most messages first");
            previous = row.get("messages").asLong();
        }
        JsonNode failing = get("/api/sources?" + ALL + "&sort=failing");
        assertTrue(failing.get("rows").get(0).get("failing").asLong() > 0);
        List<CSVRecord> all = csv("/api/sources.csv?" + ALL, keys(page));
        assertEquals(app.samples.ips.size(), all.size());
        Set<String> ips = new HashSet<>();
        all.forEach(r -> ips.add(r.get("ip")));
        assertEquals(app.samples.ips, ips);
        String ip = page.get("rows").get(0).get("ip").asText();
        JsonNode source = get("/api/sources/" + ip);
        assertEquals(ip, source.get("ip").asText());
        JsonNode records = get("/api/sources/" + ip + "/records?" + ALL);
        assertTrue(records.get("rows").size() > 0);
        for (JsonNode r : records.get("rows")) {
            assertEquals(ip, r.get("sourceIp").asText());
        }
        assertFalse(csv("/api/sources/" + ip + "/records.csv?" + ALL, keys(records)).isEmpty());
        assertEquals(400, http.get("/api/sources?sort=nonsense", "Authorization", "Bearer " + token).statusCode());
        JsonNode failingList = get("/api/sources/failing?" + ALL);
        for (JsonNode r : failingList.get("rows")) {
            assertTrue(r.get("failing").asLong() > 0);
        }
        csv("/api/sources/failing.csv?" + ALL, keys(failingList));
    }

    @Test
    void everyTableTakesItsOwnDefaultOrderAndOnlyTheDirectionsItOffers() throws Exception {
        // the order each list comes in, which its Export CSV link carries, even where no column re-sorts
        for (String path : List.of("/api/failures?sort=arrival&dir=desc", "/api/failures.csv?sort=arrival&dir=desc",
                "/api/tls?sort=begin&dir=desc", "/api/tls.csv?sort=begin&dir=desc", "/api/ingest/log?sort=at&dir=desc",
                "/api/ingest/log.csv?sort=at&dir=desc", "/api/tls/failures.csv?sort=begin&dir=desc",
                "/api/search?q=dmarc:fail&sort=date&dir=desc", "/api/sources?sort=passRate&dir=asc",
                "/api/reports?sort=begin&dir=asc", "/api/reports?sort=reporter")) {
            HttpResponse<String> r = http.get(path + "&" + ALL, "Authorization", "Bearer " + token);
            assertEquals(200, r.statusCode(), path + ": " + r.body());
        }
        JsonNode sorted = get("/api/sources?" + ALL + "&sort=passRate");
        assertEquals("asc", sorted.get("dir").asText(), "the store sorts the pass rate lowest first only");
        // a direction the store cannot give is refused, not answered in the other order
        Map<String, String> refused = Map.of(
                "/api/failures?sort=arrival&dir=asc", "failures can only be sorted by 'arrival' descending",
                "/api/sources?sort=passRate&dir=desc", "sources can only be sorted by 'passRate' ascending",
                "/api/sources?sort=messages&dir=asc", "sources can only be sorted by 'messages' descending",
                "/api/reports?sort=reporter&dir=desc", "reports can only be sorted by 'reporter' ascending");
        for (var e : refused.entrySet()) {
            HttpResponse<String> r = http.get(e.getKey() + "&" + ALL, "Authorization", "Bearer " + token);
            assertEquals(400, r.statusCode(), e.getKey());
            assertEquals(e.getValue(), json.readTree(r.body()).get("error").asText(), e.getKey());
        }
    }

    @Test
    void forwardingDomainsAndReporters() throws Exception {
        JsonNode fwd = get("/api/forwarding?" + ALL);
        csv("/api/forwarding.csv?" + ALL, keys(fwd));
        for (JsonNode r : fwd.get("rows")) {
            assertTrue(r.get("dkimSurvived").asLong() <= r.get("messages").asLong());
        }
        JsonNode domains = get("/api/domains?" + ALL);
        Set<String> seen = new HashSet<>();
        domains.get("rows").forEach(r -> seen.add(r.get("domain").asText()));
        assertEquals(app.samples.domains, seen);
        csv("/api/domains.csv?" + ALL, keys(domains));
        JsonNode history = get("/api/domains/policy-history?" + ALL);
        assertTrue(history.get("rows").size() >= seen.size(), "at least one policy period per domain");
        csv("/api/domains/policy-history.csv?" + ALL, keys(history));
        JsonNode reporters = get("/api/reporters?" + ALL + "&size=500");
        long reports = 0;
        Set<String> names = new HashSet<>();
        for (JsonNode r : reporters.get("rows")) {
            reports += r.get("reports").asLong();
            names.add(r.get("reporter").asText());
        }
        assertEquals(app.samples.aggregateReports, reports);
        assertEquals(app.samples.reporters, names);
        assertEquals(reporters.get("rows").size(), csv("/api/reporters.csv?" + ALL, keys(reporters)).size());
    }

    @Test
    void reportsListDetailRecordsAndOriginal() throws Exception {
        JsonNode list = get("/api/reports?" + ALL + "&size=500");
        assertEquals(app.samples.aggregateReports, list.get("total").asLong());
        assertEquals(app.samples.aggregateReports, csv("/api/reports.csv?" + ALL, keys(list)).size());
        assertEquals(app.samples.records, csv("/api/records.csv?" + ALL, null).size(), "every record exported");
        ReportSummary s = app.store.reports().reports(ReportFilter.all(), ReportSort.NEWEST, Page.first(1)).get(0);
        JsonNode detail = get("/api/reports/" + s.id());
        assertEquals(s.reportId(), detail.get("report").get("reportId").asText());
        assertNotNull(detail.get("policy").get("p"));
        JsonNode records = get("/api/reports/" + s.id() + "/records");
        assertEquals(s.records(), records.get("rows").size());
        csv("/api/reports/" + s.id() + "/records.csv", keys(records));
        HttpResponse<byte[]> original = http.getBytes("/api/reports/" + s.id() + "/original", "Authorization", "Bearer " + token);
        assertEquals(200, original.statusCode());
        String name = detail.get("sourceName").asText();
        org.junit.jupiter.api.Assertions.assertArrayEquals(
                Files.readAllBytes(SampleStore.SAMPLES.resolve("aggregate").resolve(name)), original.body());
        assertTrue(original.headers().firstValue("Content-Disposition").orElse("").contains(name));
        assertEquals(404, http.get("/api/reports/999999", "Authorization", "Bearer " + token).statusCode());
        assertEquals(404, http.get("/api/reports/abc", "Authorization", "Bearer " + token).statusCode());
    }

    @Test
    void failureReportsAreRedactedUnlessRevealed() throws Exception {
        JsonNode list = get("/api/failures?" + ALL);
        assertEquals(app.samples.failureReports, list.get("rows").size());
        assertEquals(app.samples.failureReports, csv("/api/failures.csv?" + ALL, keys(list)).size());
        long id = app.store.failureReports().failureReports(ReportFilter.all(), Page.first(50)).stream()
                .filter(f -> f.from() != null && f.from().contains("@")).findFirst().orElseThrow().id();
        JsonNode redacted = get("/api/failures/" + id);
        assertTrue(redacted.get("redacted").asBoolean());
        assertTrue(redacted.get("from").asText().contains("\u2026@"), redacted.get("from").asText());
        assertTrue(redacted.get("headers").size() > 0);
        // read-only tokens never reveal (#14): not the addresses, not the original file
        assertEquals(403, http.get("/api/failures/" + id + "?reveal=1", "Authorization", "Bearer " + token).statusCode());
        assertEquals(403, http.get("/failures/" + id + "/original", "Authorization", "Bearer " + token).statusCode());
    }

    @Test
    void tlsReports() throws Exception {
        JsonNode list = get("/api/tls?" + ALL);
        assertEquals(app.samples.tlsReports, list.get("rows").size());
        csv("/api/tls.csv?" + ALL, keys(list));
        long id = list.get("rows").get(0).has("id") ? list.get("rows").get(0).get("id").asLong()
                : app.store.tlsReports().tlsReports(ReportFilter.all(), Page.first(1)).get(0).id();
        JsonNode detail = get("/api/tls/" + id);
        assertTrue(detail.get("policies").size() > 0);
        csv("/api/tls/failures.csv?" + ALL, null);
    }

    @Test
    void searchFindsRecordsAndRefusesBadQueries() throws Exception {
        String ip = app.samples.ips.stream().sorted().findFirst().orElseThrow();
        JsonNode hits = get("/api/search?" + ALL + "&q=" + java.net.URLEncoder.encode("ip:" + ip, StandardCharsets.UTF_8));
        assertTrue(hits.get("rows").size() > 0, "found " + ip);
        for (JsonNode h : hits.get("rows")) {
            assertEquals(ip, h.get("sourceIp").asText());
        }
        List<CSVRecord> rows = csv("/api/search.csv?" + ALL + "&q=" + java.net.URLEncoder.encode("ip:" + ip, StandardCharsets.UTF_8), keys(hits));
        assertEquals(hits.get("rows").size(), rows.size());
        HttpResponse<String> bad = http.get("/api/search?q=" + java.net.URLEncoder.encode("ip:999.1.1.1/99", StandardCharsets.UTF_8),
                "Authorization", "Bearer " + token);
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("error"));
        assertEquals(400, http.get("/api/search", "Authorization", "Bearer " + token).statusCode());
    }

    @Test
    void badFiltersAreRefusedWithTheReason() throws Exception {
        HttpResponse<String> r = http.get("/api/overview?range=custom&from=2024-13-01", "Authorization", "Bearer " + token);
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("from must be a date"), r.body());
        assertEquals(400, http.get("/api/overview?range=12", "Authorization", "Bearer " + token).statusCode());
    }

    @Test
    void uploadGoesThroughTheInboxAndABadFileEndsInQuarantine() throws Exception {
        WebClient session = app.loggedIn();
        byte[] good = Files.readAllBytes(SampleStore.SAMPLES.resolve("aggregate/opendmarc-style.xml"));
        HttpResponse<String> noCsrf = session.postFile("/api/ingest/upload", Map.of(), "files", "x.xml", good);
        assertEquals(403, noCsrf.statusCode());
        HttpResponse<String> up = session.postFile("/api/ingest/upload", Map.of("_csrf", session.csrf()), "files",
                "junk.xml", "<html>no report here</html>".getBytes(StandardCharsets.UTF_8));
        assertEquals(202, up.statusCode(), up.body());
        String id = json.readTree(up.body()).get("accepted").get(0).asText();
        app.ingestService().awaitIdle(java.time.Duration.ofSeconds(20));
        JsonNode quarantine = get("/api/ingest/quarantine");
        assertEquals(id, quarantine.get("rows").get(0).get("id").asText());
        assertTrue(quarantine.get("rows").get(0).get("reason").asText().length() > 5);
        csv("/api/ingest/quarantine.csv", keys(quarantine));
        HttpResponse<String> bytes = http.get("/api/ingest/quarantine/" + id, "Authorization", "Bearer " + token);
        assertEquals("<html>no report here</html>", bytes.body());
        JsonNode log = get("/api/ingest/log");
        assertEquals("quarantined", log.get("rows").get(0).get("outcome").asText());
        csv("/api/ingest/log.csv", keys(log));
        HttpResponse<String> retry = session.postForm("/api/ingest/quarantine/" + id + "/retry", Map.of("_csrf", session.csrf()));
        assertEquals(200, retry.statusCode());
        assertTrue(retry.body().contains("Still quarantined"), retry.body());
    }
}
