package io.dmarclens.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A value written by a stranger may be 64 KiB long; a page or an API answer of 500 rows of them must not
 * be tens of megabytes (issue #14). Cells are cut on pages and in JSON, with a count; the CSV export keeps
 * every value whole.
 */
class CellBoundsTest {
    private static final String ORG = "long-org-" + "x".repeat(5_000);

    @TempDir
    Path dir;

    @Test
    void aLongValueIsCutOnThePageAndInTheApiButNotInTheExport() throws Exception {
        try (TestApp app = TestApp.withInbox(dir)) {
            WebClient session = app.loggedIn();
            HttpResponse<String> up = session.postFile("/api/ingest/upload", Map.of("_csrf", session.csrf()), "files",
                    "long.xml", report().getBytes(StandardCharsets.UTF_8));
            assertEquals(202, up.statusCode(), up.body());
            assertTrue(app.ingestService().awaitIdle(java.time.Duration.ofSeconds(20)));

            JsonNode rows = new ObjectMapper().readTree(session.get("/api/reporters?range=30").body()).get("rows");
            String cell = null;
            for (JsonNode row : rows) {
                if (row.get("reporter").asText().startsWith("long-org-")) {
                    cell = row.get("reporter").asText();
                }
            }
            assertTrue(cell != null, rows.toString());
            assertTrue(cell.length() <= 1_000, "a cell of " + cell.length() + " characters");
            assertTrue(cell.endsWith("more characters)"), cell);

            String page = session.get("/reporters?range=30").body();
            assertTrue(page.contains("long-org-xxx"), "the start is shown");
            // The link to the reporter's reports carries the whole value (it must find them); the text does not.
            assertFalse(page.contains(">" + ORG + "<"), "the whole value is not shown");
            assertTrue(page.contains("more characters)</a>"), "the cut is said");

            String csv = session.get("/api/reporters.csv?range=30").body();
            assertTrue(csv.contains(ORG), "the export keeps the whole value");
        }
    }

    private static String report() {
        long begin = LocalDate.of(2024, 6, 20).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
        return """
                <?xml version="1.0"?>
                <feedback>
                  <report_metadata><org_name>%s</org_name><email>dmarc@long.example</email>
                    <report_id>long-org-1</report_id><date_range><begin>%d</begin><end>%d</end></date_range>
                  </report_metadata>
                  <policy_published><domain>example.com</domain><adkim>r</adkim><aspf>r</aspf><p>none</p>
                    <sp>none</sp><pct>100</pct></policy_published>
                  <record>
                    <row><source_ip>192.0.2.10</source_ip><count>3</count>
                      <policy_evaluated><disposition>none</disposition><dkim>pass</dkim><spf>pass</spf></policy_evaluated>
                    </row>
                    <identifiers><header_from>example.com</header_from></identifiers>
                    <auth_results><dkim><domain>example.com</domain><result>pass</result></dkim>
                      <spf><domain>example.com</domain><result>pass</result></spf></auth_results>
                  </record>
                </feedback>
                """.formatted(ORG, begin, begin + 86_399);
    }
}
