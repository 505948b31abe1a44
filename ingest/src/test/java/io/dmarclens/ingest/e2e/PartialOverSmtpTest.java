package io.dmarclens.ingest.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.index.EmbeddedStore;
import io.dmarclens.index.ingestlog.SqliteIngestLog;
import io.dmarclens.ingest.IngestService;
import io.dmarclens.ingest.IngestSettings;
import io.dmarclens.ingest.PipelineProcessor;
import io.dmarclens.ingest.enrich.EnrichmentSettings;
import io.dmarclens.ingest.pipeline.PipelineSetup;
import io.dmarclens.ingest.smtp.SmtpSettings;
import io.dmarclens.ingest.testing.SmtpSender;
import io.dmarclens.parser.ContainerFixtures;
import io.dmarclens.parser.ReportParser;
import io.dmarclens.store.CommitMode;
import io.dmarclens.store.Store;
import io.dmarclens.store.ingestlog.IngestLogEntry;
import io.dmarclens.store.ingestlog.IngestStatus;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.ReportSort;
import io.dmarclens.store.query.ReportSummary;
import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.dmarclens.store.Clocks;

/**
 * Issue #12 part 2 through a real SMTP session, the durable inbox and the grouped pipeline: a report whose
 * gzip attachment was cut off is stored as partial and logged so; the complete copy sent later replaces it,
 * and the cut copy sent again is a duplicate.
 */
class PartialOverSmtpTest {
    private static final String RCPT = "dmarc@reports.example.com";
    private static final EnrichmentSettings OFFLINE = new EnrichmentSettings(true, null, List.of(), null, List.of());

    @TempDir
    Path dir;

    private static MimeMessage mail(Session session, String subject, String file, byte[] data) throws Exception {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress("noreply-dmarc-support@google.com"));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(RCPT));
        m.setSubject(subject);
        MimeBodyPart part = new MimeBodyPart();
        part.setDataHandler(new DataHandler(new ByteArrayDataSource(data, "application/gzip")));
        part.setFileName(file);
        m.setContent(new MimeMultipart(part));
        m.saveChanges();
        return m;
    }

    private static IngestLogEntry newest(IngestService ingest) throws Exception {
        return ingest.log().page(null, 0, 1).entries().get(0);
    }

    @Test
    void aCutAttachmentIsStoredPartialAndTheCompleteCopyReplacesIt() throws Exception {
        byte[] gz = ContainerFixtures.gzip(ContainerFixtures.aggregateXml("smtp-cut-1", "example.com", 50));
        byte[] cut = Arrays.copyOf(gz, gz.length - 40);
        String file = "google.com!example.com!1700006400!1700092799.xml.gz";
        Path data = Files.createDirectories(dir.resolve("data"));
        Session session = Session.getInstance(new Properties());
        try (Store store = EmbeddedStore.open(data);
             PipelineSetup pipeline = PipelineSetup.open(store, new ReportParser()::parse, OFFLINE, CommitMode.GROUPED,
                     Clocks.system());
             IngestService ingest = IngestService.start(data, SqliteIngestLog.open(data), new IngestSettings(1,
                     SmtpSettings.defaults().withListen("127.0.0.1", 0).withRecipients(List.of(RCPT)), List.of()),
                     PipelineProcessor.grouped(pipeline.pipeline(), store))) {
            int port = ingest.smtp().orElseThrow().port();

            try (SmtpSender smtp = new SmtpSender(port)) {
                smtp.send(mail(session, "Report Domain: example.com (cut)", file, cut));
            }
            assertTrue(ingest.awaitIdle(Duration.ofSeconds(60)));
            IngestLogEntry first = newest(ingest);
            assertEquals(IngestStatus.STORED, first.status(), first.toString());
            assertEquals(1, first.partial(), first.toString());
            assertTrue(first.detail().startsWith("partial report: "), first.detail());
            assertTrue(first.detail().contains("gzip stream truncated after"), first.detail());
            ReportSummary partial = store.reports().reports(ReportFilter.all(), ReportSort.NEWEST, Page.first(5)).get(0);
            assertTrue(partial.isPartial());
            assertTrue(partial.records() < 50, partial.toString());

            try (SmtpSender smtp = new SmtpSender(port)) {
                smtp.send(mail(session, "Report Domain: example.com", file, gz));
            }
            assertTrue(ingest.awaitIdle(Duration.ofSeconds(60)));
            IngestLogEntry second = newest(ingest);
            assertEquals(IngestStatus.STORED, second.status(), second.toString());
            assertEquals(0, second.partial());
            assertEquals(1, second.reports());
            assertEquals(50, second.records());
            List<ReportSummary> reports = store.reports().reports(ReportFilter.all(), ReportSort.NEWEST, Page.first(5));
            assertEquals(1, reports.size(), reports.toString());
            assertEquals(50, reports.get(0).records());
            assertTrue(!reports.get(0).isPartial());
            assertEquals(1, store.reports().report(reports.get(0).id()).orElseThrow().superseded().size());

            try (SmtpSender smtp = new SmtpSender(port)) {
                smtp.send(mail(session, "Report Domain: example.com (cut, again)", file, cut));
            }
            assertTrue(ingest.awaitIdle(Duration.ofSeconds(60)));
            IngestLogEntry third = newest(ingest);
            assertEquals(IngestStatus.DUPLICATE, third.status(), third.toString());
            assertEquals(0, third.partial());
        }
    }
}
