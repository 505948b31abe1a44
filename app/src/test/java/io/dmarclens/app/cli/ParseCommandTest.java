package io.dmarclens.app.cli;

import static io.dmarclens.parser.ContainerFixtures.aggregateXml;
import static io.dmarclens.parser.ContainerFixtures.arfMail;
import static io.dmarclens.parser.ContainerFixtures.base64Part;
import static io.dmarclens.parser.ContainerFixtures.googleZipMail;
import static io.dmarclens.parser.ContainerFixtures.gzip;
import static io.dmarclens.parser.ContainerFixtures.mixedMail;
import static io.dmarclens.parser.ContainerFixtures.textPart;
import static io.dmarclens.parser.ContainerFixtures.tlsJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dmarc-lens parse}: run through {@link Main#run} with stdout captured, its JSON lines read back. */
class ParseCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private record Run(int status, String stdout) {
        List<JsonNode> lines() throws Exception {
            List<JsonNode> nodes = new ArrayList<>();
            for (String line : stdout.split("\n")) {
                nodes.add(JSON.readTree(line));
            }
            return nodes;
        }
    }

    private static synchronized Run run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setOut(out);
            int status = Main.run(args);
            out.flush();
            return new Run(status, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
        }
    }

    private Path write(String name, byte[] data) throws Exception {
        return Files.write(dir.resolve(name), data);
    }

    @Test
    void everyReportOfEveryFileIsOneJsonLine() throws Exception {
        Path gz = write("google.com!example.com!1700006400!1700092799.xml.gz", gzip(aggregateXml("gz-1", "example.com", 2)));
        Path eml = write("two.eml", mixedMail("Reports", textPart("Two reports."),
                base64Part("application/gzip", "a.xml.gz", gzip(aggregateXml("eml-1", "a.example", 1))),
                base64Part("application/tlsrpt+gzip", "tls.json.gz", gzip(tlsJson("tls-1")))));
        Run run = run("parse", gz.toString(), eml.toString());
        assertEquals(0, run.status(), run.stdout());
        List<JsonNode> lines = run.lines();
        assertEquals(3, lines.size(), run.stdout());

        JsonNode agg = lines.get(0);
        assertEquals(gz.toString(), agg.at("/source/file").asText());
        assertEquals("", agg.at("/source/part").asText());
        assertEquals("aggregate", agg.get("type").asText());
        assertEquals("google.com", agg.get("org_name").asText());
        assertEquals("noreply-dmarc-support@google.com", agg.get("org_email").asText());
        assertEquals("gz-1", agg.get("report_id").asText());
        assertEquals("example.com", agg.get("policy_domain").asText());
        assertEquals(1700006400L, agg.get("begin").asLong());
        assertEquals(1700092799L, agg.get("end").asLong());
        assertEquals("reject", agg.at("/policy/p").asText());
        assertEquals(100, agg.at("/policy/pct").asInt());
        assertEquals(2, agg.get("records").size());
        assertEquals("192.0.2.2", agg.at("/records/1/source_ip").asText());
        assertEquals(2, agg.at("/records/1/count").asLong());
        assertEquals("pass", agg.at("/records/1/dkim_results/0/result").asText());
        assertEquals("s1", agg.at("/records/1/dkim_results/0/selector").asText());
        assertEquals("example.com", agg.at("/records/1/spf_results/0/domain").asText());
        assertTrue(agg.get("warnings").isArray());

        assertEquals("eml-1", lines.get(1).get("report_id").asText());
        assertEquals(eml.toString(), lines.get(1).at("/source/file").asText());
        assertEquals("a.xml.gz", lines.get(1).at("/source/part").asText());

        JsonNode tls = lines.get(2);
        assertEquals("tlsrpt", tls.get("type").asText());
        assertEquals("Google Inc.", tls.get("organization_name").asText());
        assertEquals("2024-01-01T00:00:00Z", tls.at("/date_range/start_datetime").asText());
        assertEquals("tls-1", tls.get("report_id").asText());
        assertEquals("sts", tls.at("/policies/0/policy/policy_type").asText());
        assertEquals(42, tls.at("/policies/0/summary/total_successful_session_count").asLong());
        assertEquals("certificate-expired", tls.at("/policies/0/failure_details/0/result_type").asText());
    }

    @Test
    void failureReportFields() throws Exception {
        Path arf = write("arf.eml", arfMail());
        Run run = run("parse", arf.toString());
        assertEquals(0, run.status(), run.stdout());
        JsonNode f = run.lines().get(0);
        assertEquals("failure", f.get("type").asText());
        assertEquals("auth-failure", f.get("feedback_type").asText());
        assertEquals("192.0.2.1", f.get("source_ip").asText());
        assertEquals("example.com", f.at("/reported_domain/0").asText());
        assertEquals("dmarc", f.at("/auth_failure/0").asText());
        assertEquals("reject", f.get("delivery_result").asText());
        assertTrue(f.get("sample_headers_only").asBoolean());
        List<String> headerNames = new ArrayList<>();
        f.get("original_headers").forEach(h -> headerNames.add(h.get("name").asText()));
        assertTrue(headerNames.contains("Subject"), headerNames::toString);
    }

    @Test
    void aFileWithoutReportIsAnErrorLineAndExitStatusTwoButOthersAreStillRead() throws Exception {
        Path empty = write("empty.xml", new byte[0]);
        Path good = write("good.eml", googleZipMail("g-1", "example.com"));
        byte[] gz = gzip(aggregateXml("cut", "example.com", 300));
        Path cut = write("cut.xml.gz", Arrays.copyOf(gz, 30));
        Run run = run("parse", empty.toString(), good.toString(), cut.toString());
        assertEquals(2, run.status(), run.stdout());
        List<JsonNode> lines = run.lines();
        assertEquals(3, lines.size(), run.stdout());
        assertEquals(empty.toString(), lines.get(0).at("/source/file").asText());
        assertEquals("zero-byte input", lines.get(0).get("error").asText());
        assertEquals("g-1", lines.get(1).get("report_id").asText());
        assertTrue(lines.get(2).get("error").asText().startsWith("gzip stream truncated after 30 bytes"),
                lines.get(2).toString());
    }

    @Test
    void anUnreadablePartBesideAGoodOneIsAnErrorLineButTheFileCounts() throws Exception {
        byte[] cut = Arrays.copyOf(gzip(aggregateXml("cut", "x.example", 300)), 30);
        Path eml = write("mixed.eml", mixedMail("Reports",
                base64Part("application/gzip", "good.xml.gz", gzip(aggregateXml("good", "example.com", 1))),
                base64Part("application/gzip", "bad.xml.gz", cut)));
        Run run = run("parse", eml.toString());
        assertEquals(0, run.status(), run.stdout());
        List<JsonNode> lines = run.lines();
        assertEquals(2, lines.size(), run.stdout());
        assertEquals("good", lines.get(0).get("report_id").asText());
        assertEquals("bad.xml.gz", lines.get(1).at("/source/part").asText());
        assertTrue(lines.get(1).get("error").asText().startsWith("gzip stream truncated after 30 bytes"),
                lines.get(1).toString());
    }

    @Test
    void eachTruncatedFileIsPrintedAsPartialWithAnErrorObjectAndExitStatusOne() throws Exception {
        byte[] xml = aggregateXml("cut-1", "example.com", 50);
        byte[] gz = gzip(xml);
        byte[] zip = io.dmarclens.parser.ContainerFixtures.zip("cut.xml", xml);
        Path whole = write("whole.xml", xml);
        List<Path> cuts = List.of(write("cut.xml", Arrays.copyOf(xml, 3000)),
                write("cut.xml.gz", Arrays.copyOf(gz, gz.length - 40)),
                write("cut.zip", Arrays.copyOf(zip, zip.length - 100)));
        for (Path cut : cuts) {
            Run run = run("parse", whole.toString(), cut.toString());
            assertEquals(1, run.status(), run.stdout());
            List<JsonNode> lines = run.lines();
            assertEquals(3, lines.size(), run.stdout());
            assertEquals(false, lines.get(0).get("partial").asBoolean(), "the whole copy is not partial");
            JsonNode report = lines.get(1);
            assertEquals(cut.toString(), report.at("/source/file").asText());
            assertTrue(report.get("partial").asBoolean(), report.toString());
            int salvaged = report.get("records").size();
            assertTrue(salvaged > 0 && salvaged < 50, cut + ": " + salvaged + " records");
            JsonNode error = lines.get(2);
            assertEquals(cut.toString(), error.at("/source/file").asText());
            String reason = report.get("partial_reason").asText();
            assertEquals("partial report: " + reason, error.get("error").asText());
            assertTrue(reason.contains("cannot be read past line") || reason.contains("truncated after"), reason);
        }
        assertEquals(0, run("parse", whole.toString()).status());
    }

    @Test
    void prettyIndentsButStaysReadable() throws Exception {
        Path xml = write("r.xml", aggregateXml("p-1", "example.com", 1));
        Run run = run("parse", "--pretty", xml.toString());
        assertEquals(0, run.status());
        assertTrue(run.stdout().lines().count() > 20, run.stdout());
        List<JsonNode> values = JSON.readerFor(JsonNode.class).<JsonNode>readValues(run.stdout()).readAll();
        assertEquals(1, values.size());
        assertEquals("p-1", values.get(0).get("report_id").asText());
    }

    @Test
    void noFileIsAUsageError() {
        assertEquals(2, run("parse").status(), "picocli's usage error status");
    }
}
