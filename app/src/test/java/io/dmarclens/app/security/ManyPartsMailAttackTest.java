package io.dmarclens.app.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmarclens.app.cli.ServeRuntime;
import io.dmarclens.app.config.ConfigLoader;
import io.dmarclens.app.config.ConfigOverrides;
import io.dmarclens.app.config.ServeConfig;
import io.dmarclens.demo.SyntheticReports;
import io.dmarclens.ingest.testing.SmtpSender;
import io.dmarclens.parser.Bounded;
import io.dmarclens.store.ingestlog.IngestLogEntry;
import io.dmarclens.store.ingestlog.IngestStatus;
import io.dmarclens.web.WebClient;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #14, the worst: a mail under the size limit holding a huge number of tiny gzip parts that are no
 * reports. It used to join one reason per part into a reason of 41 MB, kill inbox workers with an
 * OutOfMemoryError, and break the Ingest page for good. Here the attack runs against a real {@code serve}
 * runtime on loopback, sent by a real SMTP client (Jakarta Mail): two such mails, then a valid report.
 * The mail is smaller than the original (20,000 parts, about 2 MB) but far past the part cap, which is what
 * the original hit; the test asserts the cap was hit and the reason stayed short.
 */
class ManyPartsMailAttackTest {
    private static final int PARTS = 20_000;
    private static final String RECIPIENT = "dmarc@reports.example.com";
    private static final int ONE_MB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void twoMailsOfManyTinyPartsCostNeitherAWorkerNorTheIngestPage() throws Exception {
        ServeConfig config = new ConfigLoader(Map.of()).load(null, new ConfigOverrides(dir.resolve("data"),
                "127.0.0.1:0", "127.0.0.1:0", List.of("reports.example.com"), true));
        assertEquals(2, config.inboxWorkers(), "the default: two inbox workers");
        try (ServeRuntime serve = ServeRuntime.start(config)) {
            serve.users().addOrReplace("alice", "correct horse battery".toCharArray());
            int smtpPort = serve.ingest().smtp().orElseThrow().port();
            byte[] attack = manyPartsMail(PARTS);
            assertTrue(attack.length > 2_000_000, "a mail of " + attack.length + " bytes");

            try (SmtpSender smtp = new SmtpSender(smtpPort)) {
                for (int i = 0; i < 2; i++) {
                    MimeMessage m = new MimeMessage(smtp.session(), new ByteArrayInputStream(attack));
                    smtp.send(m); // throws unless the receiver answered 250
                }
            }
            awaitStatus(serve, IngestStatus.QUARANTINED, 2, Duration.ofSeconds(90));

            long sent = System.nanoTime();
            try (SmtpSender smtp = new SmtpSender(smtpPort)) {
                smtp.send(SyntheticReports.aggregateMail(smtp.session(), RECIPIENT, "after-the-attack", 5));
            }
            awaitStatus(serve, IngestStatus.STORED, 1, Duration.ofSeconds(20));
            Duration took = Duration.ofNanos(System.nanoTime() - sent);
            assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "the next report is stored within seconds: " + took);

            assertEquals(2, serve.ingest().liveWorkers(), "both inbox workers alive");
            assertEquals(0, serve.ingest().workerRestarts(), "no worker died: the cap stopped the mail first");
            List<String> threads = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                    .map(Thread::getName).toList();
            assertTrue(threads.containsAll(List.of("inbox-worker-1", "inbox-worker-2")), threads.toString());

            List<IngestLogEntry> quarantined = serve.ingest().quarantine().list(0, 10).entries();
            assertEquals(2, quarantined.size());
            for (IngestLogEntry e : quarantined) {
                assertTrue(e.detail().length() <= Bounded.REASON, "reason of " + e.detail().length() + " characters");
                assertTrue(e.detail().contains("more than 1,000 mail parts in one input; part 1,001 and the rest "
                        + "were not read"), e.detail());
                assertTrue(e.detail().contains("(991 more)"), "the parts not listed are counted: " + e.detail());
            }

            WebClient web = new WebClient(serve.web().port());
            assertEquals(200, web.get("/ready").statusCode());
            assertEquals(303, web.login("alice", "correct horse battery").statusCode());
            Answer page = bytes(web.get("/ingest"));
            assertEquals(200, page.status());
            assertTrue(page.body().length < ONE_MB, "/ingest is " + page.body().length + " bytes");
            assertTrue(new String(page.body(), StandardCharsets.UTF_8).contains("more than 1,000 mail parts"));
            Answer api = bytes(web.get("/api/ingest/quarantine?size=500"));
            assertEquals(200, api.status());
            assertTrue(api.body().length < ONE_MB, "/api/ingest/quarantine is " + api.body().length + " bytes");
            JsonNode rows = new ObjectMapper().readTree(api.body()).get("rows");
            assertEquals(2, rows.size());
            assertTrue(rows.get(0).get("reason").asText().contains("more than 1,000 mail parts"), rows.toString());
            Answer log = bytes(web.get("/api/ingest/log?size=500"));
            assertTrue(log.body().length < ONE_MB, "/api/ingest/log is " + log.body().length + " bytes");
        }
    }

    /** An HTTP answer with its body as sent (UTF-8 bytes), for its size. */
    private record Answer(int status, byte[] body) {
    }

    private static Answer bytes(HttpResponse<String> r) {
        return new Answer(r.statusCode(), r.body().getBytes(StandardCharsets.UTF_8));
    }

    /** A mail of {@code parts} base64 gzip parts, each of which unpacks to a line that is no report. */
    private static byte[] manyPartsMail(int parts) throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write("not a report\n".getBytes(StandardCharsets.US_ASCII));
        }
        String part = "--b0undary\r\nContent-Type: application/gzip\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getEncoder().encodeToString(gz.toByteArray()) + "\r\n";
        StringBuilder mail = new StringBuilder("""
                From: <attacker@attacker.example>\r
                To: <%s>\r
                Subject: many parts\r
                Message-ID: <many-parts@attacker.example>\r
                MIME-Version: 1.0\r
                Content-Type: multipart/mixed; boundary="b0undary"\r
                \r
                """.formatted(RECIPIENT));
        mail.append(part.repeat(parts)).append("--b0undary--\r\n");
        return mail.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void awaitStatus(ServeRuntime serve, IngestStatus status, long count, Duration max) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        long seen = 0;
        while (System.nanoTime() < deadline) {
            seen = serve.ingest().log().countByStatus().get(status);
            if (seen >= count) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("expected " + count + " " + status + " messages within " + max.toSeconds()
                + " s, saw " + seen + ": " + serve.ingest().log().countByStatus());
    }
}
