package io.dmarclens.app.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmarclens.app.cli.ServeRuntime;
import io.dmarclens.app.config.ConfigLoader;
import io.dmarclens.app.config.ConfigOverrides;
import io.dmarclens.app.config.ServeConfig;
import io.dmarclens.opensearch.testing.DropIndicesAfterClass;
import io.dmarclens.opensearch.testing.OpenSearchTestNode;
import io.dmarclens.store.ingestlog.IngestLogEntry;
import io.dmarclens.store.ingestlog.IngestStatus;
import io.dmarclens.testkit.Corpus;
import io.dmarclens.web.WebClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest log and the quarantine of two {@code serve} nodes on one OpenSearch store: a message node A
 * quarantined (A reads at most 3 mail parts; the report is the 4th) is listed by node B with A's name, downloaded
 * through B byte for byte, and retried through B (which reads every part), where its report is stored; then
 * neither node lists it as quarantined any more.
 */
@ExtendWith(DropIndicesAfterClass.class)
class TwoNodeQuarantineTest {
    private static final String PASSWORD = "correct horse battery";
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    private ServeConfig node(String prefix, String name, Map<String, String> more) {
        Map<String, String> env = new HashMap<>(Map.of("DMARC_LENS_STORE_OPENSEARCH_INDEX_PREFIX", prefix,
                "DMARC_LENS_STORE_OPENSEARCH_REPLICAS", "0", "DMARC_LENS_NODE_NAME", name));
        env.putAll(more);
        return new ConfigLoader(env).load(null, new ConfigOverrides(dir.resolve(name), "127.0.0.1:0", "127.0.0.1:0",
                List.of(), true, OpenSearchTestNode.shared().url().toString()));
    }

    @Test
    void aMessageQuarantinedByOneNodeIsListedDownloadedAndRetriedThroughTheOther() throws Exception {
        String prefix = OpenSearchTestNode.prefix(getClass(), dir);
        try (ServeRuntime a = ServeRuntime.start(node(prefix, "node-a", Map.of("DMARC_LENS_INGEST_MAX_MAIL_PARTS", "3")));
             ServeRuntime b = ServeRuntime.start(node(prefix, "node-b", Map.of()))) {
            a.users().addOrReplace("alice", PASSWORD.toCharArray());
            WebClient viaA = new WebClient(a.web().port());
            assertEquals(303, viaA.login("alice", PASSWORD).statusCode());
            byte[] mail = mailWithReportInPart4();
            HttpResponse<String> up = viaA.postFile("/api/ingest/upload", Map.of("_csrf", viaA.csrf()), "files",
                    "parts.eml", mail);
            assertEquals(202, up.statusCode(), up.body());
            String id = json.readTree(up.body()).get("accepted").get(0).asText();
            a.ingest().awaitIdle(Duration.ofSeconds(60));
            IngestLogEntry quarantined = b.ingest().log().get(id).orElseThrow();
            assertEquals(IngestStatus.QUARANTINED, quarantined.status(), quarantined.detail());
            assertEquals("node-a", quarantined.node());

            WebClient viaB = viaA.at(b.web().port());
            JsonNode rows = json.readTree(viaB.get("/api/ingest/quarantine").body()).get("rows");
            assertEquals(1, rows.size(), rows.toString());
            assertEquals(id, rows.get(0).get("id").asText(), "B lists what A quarantined");
            assertEquals("node-a", rows.get(0).get("node").asText(), "with the node that received it");
            JsonNode log = json.readTree(viaB.get("/api/ingest/log").body()).get("rows");
            assertEquals("node-a", log.get(0).get("node").asText());

            HttpResponse<byte[]> download = viaB.getBytes("/api/ingest/quarantine/" + id, "Accept", "*/*");
            assertEquals(200, download.statusCode());
            assertArrayEquals(mail, download.body(), "B serves A's quarantined bytes as received");

            HttpResponse<String> retry = viaB.postForm("/api/ingest/quarantine/" + id + "/retry",
                    Map.of("_csrf", viaB.csrf()));
            assertEquals(200, retry.statusCode(), retry.body());
            assertTrue(retry.body().contains("Processed again: stored, 1 report(s)"), retry.body());
            IngestLogEntry stored = a.ingest().log().get(id).orElseThrow();
            assertEquals(IngestStatus.STORED, stored.status(), "A's log says what B did");
            assertEquals("node-a", stored.node(), "still the node that received it");
            assertEquals(0, json.readTree(viaA.at(a.web().port()).get("/api/ingest/quarantine").body()).get("rows").size(),
                    "listed on neither node once stored");
            assertEquals(0, json.readTree(viaB.get("/api/ingest/quarantine").body()).get("rows").size());
            assertEquals(404, viaB.getBytes("/api/ingest/quarantine/" + id, "Accept", "*/*").statusCode(), "its kept bytes are gone");
        }
    }

    /** A report mail of four parts: three text parts without a report, then the aggregate report. */
    private static byte[] mailWithReportInPart4() throws Exception {
        String report = Files.readString(Corpus.sampleReports().resolve("aggregate/opendmarc-style.xml"),
                StandardCharsets.UTF_8);
        StringBuilder mail = new StringBuilder("""
                From: <noreply-dmarc@reporter.example>\r
                To: <dmarc@reports.example.com>\r
                Subject: Report domain: example.com\r
                Message-ID: <four-parts@reporter.example>\r
                MIME-Version: 1.0\r
                Content-Type: multipart/mixed; boundary="b0undary"\r
                \r
                """);
        for (int i = 1; i <= 3; i++) {
            mail.append("--b0undary\r\nContent-Type: text/plain\r\n\r\nnot a report ").append(i).append("\r\n");
        }
        mail.append("--b0undary\r\nContent-Type: application/xml\r\nContent-Disposition: attachment;"
                + " filename=\"report.xml\"\r\n\r\n").append(report.replace("\r\n", "\n").replace("\n", "\r\n"))
                .append("\r\n--b0undary--\r\n");
        return mail.toString().getBytes(StandardCharsets.UTF_8);
    }
}
