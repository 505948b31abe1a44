package io.dmarclens.app.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.app.cli.ServeRuntime;
import io.dmarclens.app.config.ConfigLoader;
import io.dmarclens.app.config.ConfigOverrides;
import io.dmarclens.app.config.ServeConfig;
import io.dmarclens.ingest.testing.SmtpSender;
import io.dmarclens.store.ingestlog.IngestLogEntry;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ingest.max_mail_parts} sets the part cap of the parser {@code serve} runs: a mail of 12 parts (far
 * under the default of 1,000) is cut after the configured 5, on a real runtime fed by a real SMTP client.
 */
class MaxMailPartsKeyTest {
    private static final String RECIPIENT = "dmarc@reports.example.com";

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void theKeySetsTheCapOfServesParser() throws Exception {
        ServeConfig config = new ConfigLoader(Map.of("DMARC_LENS_INGEST_MAX_MAIL_PARTS", "5")).load(null,
                new ConfigOverrides(dir.resolve("data"), "127.0.0.1:0", "127.0.0.1:0", List.of("reports.example.com"),
                        true));
        assertEquals(5, config.parserLimits().maxMailParts());
        try (ServeRuntime serve = ServeRuntime.start(config)) {
            int smtpPort = serve.ingest().smtp().orElseThrow().port();
            try (SmtpSender smtp = new SmtpSender(smtpPort)) {
                smtp.send(new MimeMessage(smtp.session(), new ByteArrayInputStream(mailOfParts(12))));
            }
            IngestLogEntry entry = awaitQuarantined(serve, Duration.ofSeconds(60));
            assertTrue(entry.detail().contains("more than 5 mail parts in one input; part 6 and the rest were not read"),
                    entry.detail());
            assertFalse(entry.detail().contains("part 7 ("), "nothing past the cap was read: " + entry.detail());
        }
    }

    /** A mail of {@code parts} text parts, none of them a report. */
    private static byte[] mailOfParts(int parts) {
        StringBuilder mail = new StringBuilder("""
                From: <someone@sender.example>\r
                To: <%s>\r
                Subject: parts\r
                Message-ID: <parts@sender.example>\r
                MIME-Version: 1.0\r
                Content-Type: multipart/mixed; boundary="b0undary"\r
                \r
                """.formatted(RECIPIENT));
        for (int i = 1; i <= parts; i++) {
            mail.append("--b0undary\r\nContent-Type: application/octet-stream\r\n\r\nnot a report ").append(i)
                    .append("\r\n");
        }
        mail.append("--b0undary--\r\n");
        return mail.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static IngestLogEntry awaitQuarantined(ServeRuntime serve, Duration max) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            List<IngestLogEntry> entries = serve.ingest().quarantine().list(0, 10).entries();
            if (!entries.isEmpty()) {
                return entries.get(0);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no message quarantined within " + max.toSeconds() + " s: "
                + serve.ingest().log().countByStatus());
    }
}
