package io.dmarclens.ingest.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.index.EmbeddedStore;
import io.dmarclens.index.ingestlog.SqliteIngestLog;
import io.dmarclens.ingest.IngestService;
import io.dmarclens.ingest.IngestSettings;
import io.dmarclens.ingest.PipelineProcessor;
import io.dmarclens.ingest.dkim.DkimTestKeys;
import io.dmarclens.ingest.dkim.ReportMails;
import io.dmarclens.ingest.enrich.EnrichmentSettings;
import io.dmarclens.ingest.pipeline.PipelineSetup;
import io.dmarclens.ingest.smtp.SmtpSettings;
import io.dmarclens.ingest.testing.SmtpSender;
import io.dmarclens.parser.ReportParser;
import io.dmarclens.store.Authenticity;
import io.dmarclens.store.Authenticity.Verdict;
import io.dmarclens.store.CommitMode;
import io.dmarclens.store.Store;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.ReportSort;
import io.dmarclens.store.query.ReportSummary;
import io.dmarclens.store.query.SourceSort;
import io.dmarclens.testdns.LoopbackDnsServer;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #14, "Reports anyone can forge": a stranger mails a report claiming to be Google's to the real SMTP
 * receiver on loopback. The report is stored, but marked unverified with the reason, and one filter flag
 * leaves it out of every figure; Google's own signed report is verified; the same file imported by hand is
 * marked imported. DKIM keys come from a real DNS server on loopback.
 */
@Timeout(120)
class ForgedReportAttackTest {
    private static final String RCPT = "dmarc@reports.example.com";

    @TempDir
    Path dir;

    @Test
    void aReportMailedByAStrangerClaimingGoogleIsStoredUnverifiedAndCanBeLeftOutOfEveryFigure() throws Exception {
        try (LoopbackDnsServer dns = new LoopbackDnsServer()) {
            DkimTestKeys google = new DkimTestKeys("google.com", "20230601").publish(dns);
            DkimTestKeys evil = new DkimTestKeys("evil.test", "k1").publish(dns);
            // Google's genuine report: 3 records, 1 + 2 + 3 = 6 messages.
            byte[] genuine = google.sign(ReportMails.report("noreply-dmarc-support@google.com", RCPT, "google.com",
                    "genuine-1", 3));
            // The attacker's: 100 records claiming 5,050 messages, once signed with the attacker's own key and
            // once not signed at all.
            byte[] forgedSigned = evil.sign(ReportMails.report("attacker@evil.test", RCPT, "google.com", "forged-1", 100));
            byte[] forgedPlain = ReportMails.report("attacker@evil.test", RCPT, "google.com", "forged-2", 100);

            Path data = dir.resolve("data");
            Files.createDirectories(data);
            EnrichmentSettings online = new EnrichmentSettings(false, dns.hostPort(), List.of(), null, List.of());
            try (Store store = EmbeddedStore.open(data);
                 PipelineSetup pipeline = PipelineSetup.open(store, new ReportParser()::parse, online, CommitMode.GROUPED,
                         io.dmarclens.store.Clocks.system())) {
                SmtpSettings smtp = SmtpSettings.defaults().withListen("127.0.0.1", 0).withRecipients(List.of(RCPT));
                try (IngestService ingest = IngestService.start(data, SqliteIngestLog.open(data),
                        new IngestSettings(2, smtp, List.of()), PipelineProcessor.grouped(pipeline.pipeline(), store))) {
                    try (SmtpSender sender = new SmtpSender(ingest.smtp().orElseThrow().port())) {
                        for (byte[] mail : List.of(genuine, forgedSigned, forgedPlain)) {
                            // Sent as it was signed: a message read from bytes is written out unchanged.
                            sender.send(new MimeMessage(Session.getInstance(new Properties()),
                                    new ByteArrayInputStream(mail)));
                        }
                    }
                    assertTrue(ingest.awaitIdle(Duration.ofSeconds(60)));
                }

                Map<String, Authenticity> byId = store.reports().reports(ReportFilter.all(), ReportSort.NEWEST, Page.first(10))
                        .stream().collect(Collectors.toMap(ReportSummary::reportId, ReportSummary::authenticity));
                assertEquals(Authenticity.verified("DKIM signature of google.com"), byId.get("genuine-1"), byId.toString());
                assertEquals(Authenticity.unverified("signed by evil.test, not by the reporter's domain google.com"),
                        byId.get("forged-1"));
                assertEquals(Authenticity.unverified("no DKIM signature"), byId.get("forged-2"));

                ReportFilter all = ReportFilter.all();
                ReportFilter trusted = all.excludingUnverified(true);
                assertEquals(6 + 2 * 5050, store.overview().totals(all).messages());
                assertEquals(6, store.overview().totals(trusted).messages());
                assertEquals(6, store.overview().daily(trusted).stream().mapToLong(d -> d.totals().messages()).sum());
                assertEquals(3, store.sources().countSources(trusted));
                assertEquals(6, store.sources().sources(trusted, SourceSort.MESSAGES, Page.first(500)).stream()
                        .mapToLong(s -> s.messages()).sum());
                assertEquals(1, store.reports().countReports(trusted));
                assertEquals(3, store.reports().countReports(all));
                assertEquals(2L, store.reports().countByVerdict().get(Verdict.UNVERIFIED));

                // The attacker's file imported by hand is the user's own doing: imported, not unverified.
                Path file = dir.resolve("forged-3.eml");
                Files.write(file, ReportMails.report("attacker@evil.test", RCPT, "google.com", "forged-3", 2));
                pipeline.pipeline().importFile("file:" + file, file);
                store.flush();
                assertEquals(Authenticity.imported(), store.reports().reports(ReportFilter.all(), ReportSort.NEWEST,
                        Page.first(10)).stream().filter(r -> r.reportId().equals("forged-3")).findFirst().orElseThrow()
                        .authenticity());
                assertEquals(6 + 3, store.overview().totals(trusted).messages());
            }
        }
    }

    @Test
    void aForgeryMailedFirstUnderTheRealReportsIdentityDoesNotKeepTheSignedReportOut() throws Exception {
        try (LoopbackDnsServer dns = new LoopbackDnsServer()) {
            DkimTestKeys google = new DkimTestKeys("google.com", "20230601").publish(dns);
            // Same organisation, address, report id, domain and dates as Google's report, but 100 records.
            byte[] forged = ReportMails.report("attacker@evil.test", RCPT, "google.com", "same-id", 100);
            byte[] genuine = google.sign(ReportMails.report("noreply-dmarc-support@google.com", RCPT, "google.com",
                    "same-id", 3));
            Path data = dir.resolve("data");
            Files.createDirectories(data);
            EnrichmentSettings online = new EnrichmentSettings(false, dns.hostPort(), List.of(), null, List.of());
            try (Store store = EmbeddedStore.open(data);
                 PipelineSetup pipeline = PipelineSetup.open(store, new ReportParser()::parse, online, CommitMode.GROUPED,
                         io.dmarclens.store.Clocks.system())) {
                SmtpSettings smtp = SmtpSettings.defaults().withListen("127.0.0.1", 0).withRecipients(List.of(RCPT));
                try (IngestService ingest = IngestService.start(data, SqliteIngestLog.open(data),
                        new IngestSettings(1, smtp, List.of()), PipelineProcessor.grouped(pipeline.pipeline(), store))) {
                    int port = ingest.smtp().orElseThrow().port();
                    for (byte[] mail : List.of(forged, genuine, forged)) { // and the forgery again afterwards
                        try (SmtpSender sender = new SmtpSender(port)) {
                            sender.send(new MimeMessage(Session.getInstance(new Properties()),
                                    new ByteArrayInputStream(mail)));
                        }
                        assertTrue(ingest.awaitIdle(Duration.ofSeconds(60)));
                    }
                }
                List<ReportSummary> stored = store.reports().reports(ReportFilter.all(), ReportSort.NEWEST, Page.first(10));
                assertEquals(1, stored.size(), stored.toString());
                assertEquals(Verdict.VERIFIED, stored.get(0).authenticity().verdict());
                assertEquals(6, store.overview().totals(ReportFilter.all()).messages());
            }
        }
    }
}
