package io.dmarclens.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmarclens.ingest.enrich.EnrichmentSettings;
import io.dmarclens.ingest.pipeline.ImportOutcome;
import io.dmarclens.ingest.pipeline.PipelineSetup;
import io.dmarclens.parser.ContainerFixtures;
import io.dmarclens.parser.ReportParser;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.dmarclens.store.Clocks;
import io.dmarclens.store.CommitMode;

/**
 * A report cut off in transit (issue #12 part 2), imported through the real pipeline, over real HTTP: the
 * list, the detail, the API and the CSV export mark it partial with the reason; once the complete copy
 * arrives the mark is gone and the cut copy's original file is still downloadable from the report.
 */
class PartialReportWebTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The generated report covers 2023-11-15. */
    private static final String PERIOD = "range=custom&from=2023-11-01&to=2023-11-30";
    private static final EnrichmentSettings OFFLINE = new EnrichmentSettings(true, null, List.of(), null, List.of());

    private final byte[] xml = ContainerFixtures.aggregateXml("cut-web-1", "partial.example", 50);
    private final byte[] cut = Arrays.copyOf(xml, 3000);
    private TestApp app;
    private WebClient http;
    private String token;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        app = TestApp.start(dir);
        http = app.loggedIn();
        token = app.users.issueToken(TestApp.USER);
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    private ImportOutcome importCopy(String name, byte[] data) throws Exception {
        try (PipelineSetup setup = PipelineSetup.open(app.store, new ReportParser()::parse, OFFLINE,
                CommitMode.EACH_REPORT, Clocks.system())) {
            ImportOutcome outcome = setup.pipeline().importBytes("upload:" + name, name, data);
            app.store.awaitIndexed();
            return outcome;
        }
    }

    private JsonNode api(String path) throws Exception {
        HttpResponse<String> r = http.get(path, "Authorization", "Bearer " + token);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    private JsonNode ourReport() throws Exception {
        for (JsonNode row : api("/api/reports?" + PERIOD).get("rows")) {
            if (row.get("reportId").asText().equals("cut-web-1")) {
                return row;
            }
        }
        throw new AssertionError("the report is not listed");
    }

    @Test
    void aCutCopyIsMarkedPartialEverywhereUntilTheCompleteCopyReplacesIt() throws Exception {
        ImportOutcome first = importCopy("cut.xml", cut);
        assertEquals(1, first.partialReports().size(), first.toString());
        assertTrue(first.partialReports().get(0).startsWith("cut.xml: the XML cannot be read past line"),
                first.partialReports().toString());

        JsonNode row = ourReport();
        assertTrue(row.get("partial").asBoolean(), row.toString());
        String reason = row.get("partialReason").asText();
        assertTrue(reason.startsWith("the XML cannot be read past line"), reason);

        HttpResponse<String> csv = http.get("/api/reports.csv?" + PERIOD);
        assertEquals(200, csv.statusCode());
        String header = csv.body().lines().findFirst().orElseThrow();
        assertTrue(header.contains("partial") && header.contains("partialReason"), header);
        assertTrue(csv.body().lines().anyMatch(l -> l.contains("cut-web-1") && l.contains(",true,")), csv.body());

        String list = http.get("/reports?" + PERIOD).body();
        assertTrue(list.contains("<span class=\"badge badge-warn\">partial</span>"), list);
        assertTrue(list.contains("the XML cannot be read past line"), "the reason is listed");

        String detailPath = list.substring(list.indexOf("/reports/", list.indexOf("cut-web-1") - 200));
        detailPath = detailPath.substring(0, detailPath.indexOf('"'));
        String detail = http.get(detailPath).body();
        assertTrue(detail.contains("Only part of this report could be read: the XML cannot be read past line"), detail);
        JsonNode detailJson = api("/api" + detailPath);
        assertTrue(detailJson.at("/report/partial").asBoolean(), detailJson.toString());

        ImportOutcome complete = importCopy("whole.xml.gz", ContainerFixtures.gzip(xml));
        assertEquals(1, complete.reports());
        assertEquals(List.of(), complete.partialReports());
        JsonNode after = ourReport();
        assertFalse(after.get("partial").asBoolean(), after.toString());
        assertEquals(50, after.get("records").asLong());

        String afterList = http.get("/reports?" + PERIOD).body();
        assertFalse(afterList.contains(">partial</span>"), "no badge once the complete copy replaced the cut one");
        String newPath = afterList.substring(afterList.indexOf("/reports/", afterList.indexOf("cut-web-1") - 200));
        newPath = newPath.substring(0, newPath.indexOf('"'));
        String newDetail = http.get(newPath).body();
        assertFalse(newDetail.contains("Only part of this report"), newDetail);
        assertTrue(newDetail.contains("Replaced copies") && newDetail.contains("cut.xml"), newDetail);
        HttpResponse<byte[]> original = http.getBytes(newPath + "/superseded/0/original", "Accept", "*/*");
        assertEquals(200, original.statusCode());
        assertArrayEquals(cut, original.body(), "the cut copy's raw source stays downloadable");
        assertEquals(404, http.get(newPath + "/superseded/1/original").statusCode());
        JsonNode newJson = api("/api" + newPath);
        assertEquals("cut.xml", newJson.at("/superseded/0/sourceName").asText(), newJson.toString());
    }
}
