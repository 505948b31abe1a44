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
import io.dmarclens.store.query.FailureRow;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.TlsReportSummary;
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
 * Issue #14, "Reports anyone can forge", for failure (ARF) and SMTP TLS reports: mailed to the real SMTP
 * receiver on loopback, each is stored with the verdict on its origin, and one filter flag leaves the
 * unverified ones out of the lists. A failure report is verified by a signature aligned with its mail's From
 * (and with its Reporting-MTA when it names one); a TLS report by a signature of the domain it names itself.
 * DKIM keys are the test's own, served by a real DNS server on loopback.
 */
@Timeout(120)
class ForgedFailureAndTlsReportAttackTest {
    private static final String RCPT = "dmarc@reports.example.com";

    @TempDir
    Path dir;

    @Test
    void failureAndTlsReportsMailedByStrangersAreStoredUnverifiedAndCanBeLeftOut() throws Exception {
        try (LoopbackDnsServer dns = new LoopbackDnsServer()) {
            DkimTestKeys yahoo = new DkimTestKeys("yahoo.com", "s2048").publish(dns);
            DkimTestKeys box = new DkimTestKeys("box.example.org", "dkim").publish(dns);
            DkimTestKeys google = new DkimTestKeys("google.com", "20230601").publish(dns);
            DkimTestKeys evil = new DkimTestKeys("evil.test", "k1").publish(dns);
            List<byte[]> mails = List.of(
                    // Failure reports, told apart by the Source-IP of the failed message.
                    yahoo.sign(ReportMails.failure("dmarc-ruf@yahoo.com", RCPT, "mta.yahoo.com", "192.0.2.1")),
                    box.sign(ReportMails.failure("opendmarc@box.example.org", RCPT, null, "192.0.2.2")),
                    evil.sign(ReportMails.failure("attacker@evil.test", RCPT, "mta.yahoo.com", "192.0.2.3")),
                    ReportMails.failure("dmarc-ruf@yahoo.com", RCPT, "mta.yahoo.com", "192.0.2.4"),
                    // TLS reports, told apart by their report id.
                    google.sign(ReportMails.tls("noreply-smtp-tls-reporting@google.com", RCPT, "Google Inc.",
                            "smtp-tls-reporting@google.com", "tls-genuine", "198.51.100.1")),
                    evil.sign(ReportMails.tls("attacker@evil.test", RCPT, "Google Inc.",
                            "smtp-tls-reporting@google.com", "tls-forged-signed", "198.51.100.2")),
                    ReportMails.tls("noreply-smtp-tls-reporting@google.com", RCPT, "google.com", null,
                            "tls-forged-plain", "198.51.100.3"),
                    // A report that names no domain of its own: its sender's signature is all there is.
                    google.sign(ReportMails.tls("noreply-smtp-tls-reporting@google.com", RCPT, "Google Inc.", null,
                            "tls-no-domain", "198.51.100.4")));

            Path data = dir.resolve("data");
            Files.createDirectories(data);
            EnrichmentSettings online = new EnrichmentSettings(false, dns.hostPort(), List.of(), null, List.of());
            try (Store store = EmbeddedStore.open(data);
                 PipelineSetup pipeline = PipelineSetup.open(store, new ReportParser()::parse, online, CommitMode.GROUPED,
                         io.dmarclens.store.Clocks.system())) {
                send(data, store, pipeline, mails, false);

                ReportFilter all = ReportFilter.all();
                Map<String, Authenticity> failures = store.failureReports().failureReports(all, Page.first(10)).stream()
                        .collect(Collectors.toMap(FailureRow::sourceIp, FailureRow::authenticity));
                assertEquals(Authenticity.verified("DKIM signature of yahoo.com"), failures.get("192.0.2.1"),
                        failures.toString());
                assertEquals(Authenticity.verified("DKIM signature of box.example.org"), failures.get("192.0.2.2"));
                assertEquals(Authenticity.unverified("signed by evil.test, but the report names Reporting-MTA"
                        + " mta.yahoo.com of another domain"), failures.get("192.0.2.3"));
                assertEquals(Authenticity.unverified("no DKIM signature"), failures.get("192.0.2.4"));

                Map<String, Authenticity> tls = store.tlsReports().tlsReports(all, Page.first(10)).stream()
                        .collect(Collectors.toMap(TlsReportSummary::reportId, TlsReportSummary::authenticity));
                assertEquals(Authenticity.verified("DKIM signature of google.com"), tls.get("tls-genuine"), tls.toString());
                assertEquals(Authenticity.unverified("signed by evil.test, not by the reporter's domain google.com"),
                        tls.get("tls-forged-signed"));
                assertEquals(Authenticity.unverified("no DKIM signature"), tls.get("tls-forged-plain"));
                assertEquals(Authenticity.verified("DKIM signature of google.com"), tls.get("tls-no-domain"));

                ReportFilter trusted = all.excludingUnverified(true);
                assertEquals(List.of("192.0.2.1", "192.0.2.2"), store.failureReports()
                        .failureReports(trusted, Page.first(10)).stream().map(FailureRow::sourceIp).sorted().toList());
                assertEquals(List.of("tls-genuine", "tls-no-domain"), store.tlsReports().tlsReports(trusted, Page.first(10))
                        .stream().map(TlsReportSummary::reportId).sorted().toList());
                assertEquals(2L, store.failureReports().countByVerdict().get(Verdict.UNVERIFIED));
                assertEquals(2L, store.tlsReports().countByVerdict().get(Verdict.UNVERIFIED));

                // The attacker's TLS file imported by hand is the user's own doing: imported, not unverified.
                Path file = dir.resolve("tls-by-hand.eml");
                Files.write(file, ReportMails.tls("attacker@evil.test", RCPT, "Google Inc.",
                        "smtp-tls-reporting@google.com", "tls-by-hand", "198.51.100.5"));
                pipeline.pipeline().importFile("file:" + file, file);
                store.flush();
                assertEquals(Authenticity.imported(), store.tlsReports().tlsReports(trusted, Page.first(10)).stream()
                        .filter(r -> r.reportId().equals("tls-by-hand")).findFirst().orElseThrow().authenticity());
            }
        }
    }

    @Test
    void aTlsForgeryMailedFirstUnderTheRealReportsIdentityDoesNotKeepTheSignedReportOut() throws Exception {
        try (LoopbackDnsServer dns = new LoopbackDnsServer()) {
            DkimTestKeys google = new DkimTestKeys("google.com", "20230601").publish(dns);
            byte[] forged = ReportMails.tls("attacker@evil.test", RCPT, "Google Inc.", "smtp-tls-reporting@google.com",
                    "same-id", "198.51.100.66");
            byte[] genuine = google.sign(ReportMails.tls("noreply-smtp-tls-reporting@google.com", RCPT, "Google Inc.",
                    "smtp-tls-reporting@google.com", "same-id", "198.51.100.1"));
            Path data = dir.resolve("data");
            Files.createDirectories(data);
            EnrichmentSettings online = new EnrichmentSettings(false, dns.hostPort(), List.of(), null, List.of());
            try (Store store = EmbeddedStore.open(data);
                 PipelineSetup pipeline = PipelineSetup.open(store, new ReportParser()::parse, online, CommitMode.GROUPED,
                         io.dmarclens.store.Clocks.system())) {
                // One after the other (and the forgery again afterwards), each stored before the next arrives.
                send(data, store, pipeline, List.of(forged, genuine, forged), true);
                List<TlsReportSummary> stored = store.tlsReports().tlsReports(ReportFilter.all(), Page.first(10));
                assertEquals(1, stored.size(), stored.toString());
                assertEquals(Verdict.VERIFIED, stored.get(0).authenticity().verdict());
                store.awaitIndexed();
                assertEquals(0, store.search("ip:198.51.100.66", 10).totalHits());
                assertEquals(1, store.search("ip:198.51.100.1", 10).totalHits());
            }
        }
    }

    /**
     * Sends the mails to a receiver started for them, and waits until they are stored; {@code oneByOne}: each
     * in its own session, stored before the next is sent.
     */
    private static void send(Path data, Store store, PipelineSetup pipeline, List<byte[]> mails, boolean oneByOne)
            throws Exception {
        SmtpSettings smtp = SmtpSettings.defaults().withListen("127.0.0.1", 0).withRecipients(List.of(RCPT));
        try (IngestService ingest = IngestService.start(data, SqliteIngestLog.open(data),
                new IngestSettings(1, smtp, List.of()), PipelineProcessor.grouped(pipeline.pipeline(), store))) {
            int port = ingest.smtp().orElseThrow().port();
            SmtpSender sender = new SmtpSender(port);
            try {
                for (byte[] mail : mails) {
                    // Sent as it was signed: a message read from bytes is written out unchanged.
                    sender.send(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(mail)));
                    if (oneByOne) {
                        sender.close();
                        assertTrue(ingest.awaitIdle(Duration.ofSeconds(60)));
                        sender = new SmtpSender(port);
                    }
                }
            } finally {
                sender.close();
            }
            assertTrue(ingest.awaitIdle(Duration.ofSeconds(60)));
        }
    }
}
