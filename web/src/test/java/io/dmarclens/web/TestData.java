package io.dmarclens.web;

import io.dmarclens.ingest.enrich.Enricher;
import io.dmarclens.parser.ReportSource;
import io.dmarclens.parser.aggregate.AggregateHeader;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.aggregate.Alignment;
import io.dmarclens.parser.aggregate.AuthResult;
import io.dmarclens.parser.aggregate.DateRange;
import io.dmarclens.parser.aggregate.Disposition;
import io.dmarclens.parser.aggregate.DkimAuthResult;
import io.dmarclens.parser.aggregate.DmarcResult;
import io.dmarclens.parser.aggregate.PolicyOverride;
import io.dmarclens.parser.aggregate.PolicyOverrideReason;
import io.dmarclens.parser.aggregate.PolicyPublished;
import io.dmarclens.parser.aggregate.ReportMetadata;
import io.dmarclens.parser.aggregate.SpfAuthResult;
import io.dmarclens.parser.failure.FailureReport;
import io.dmarclens.parser.failure.OriginalMessage;
import io.dmarclens.parser.tlsrpt.TlsFailureDetail;
import io.dmarclens.parser.tlsrpt.TlsPolicyResult;
import io.dmarclens.parser.tlsrpt.TlsReport;
import io.dmarclens.store.ImportBatch;
import io.dmarclens.store.SourceFile;
import io.dmarclens.store.Store;
import io.dmarclens.store.enrichment.SenderInfo;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fills a real store with a month of reports through the real enricher: own servers, a forwarder, a
 * misconfigured ESP, a spoofing campaign, one report full of script payloads, a failure report and a
 * TLS report. "Today" is {@link #TODAY}; tests run the app with {@link #CLOCK}.
 */
public final class TestData {
    public static final LocalDate TODAY = LocalDate.of(2024, 6, 30);
    public static final Clock CLOCK = Clock.fixed(TODAY.atTime(12, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
    public static final String SPOOFER = "192.0.2.66";
    public static final String XSS = "<script>window.__xss=1</script>";
    public static final String XSS_ATTR = "\"><img src=x onerror=\"window.__xss=2\">";

    private TestData() {
    }

    /** Messages in the last 7 days (for filter checks). */
    public static long messagesLast7Days() {
        long n = 0;
        for (int d = 0; d < 7; d++) {
            n += dayMessages(TODAY.minusDays(d));
        }
        return n + 1; // the report with script payloads, yesterday
    }

    static long dayMessages(LocalDate day) {
        boolean spoof = day.getDayOfMonth() % 3 == 0;
        return 120 + 40 + 12 + 5 + (spoof ? 30 : 0) + 7;
    }

    public static void fill(Store store) {
        Enricher enricher = Enricher.basic();
        for (int i = 0; i < 30; i++) {
            LocalDate day = TODAY.minusDays(i);
            long begin = day.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
            List<AggregateRecord> records = new ArrayList<>();
            records.add(record(0, "203.0.113.5", 120, "example.com", "example.com", "s1", AuthResult.PASS,
                    "example.com", AuthResult.PASS, DmarcResult.PASS, DmarcResult.PASS, List.of()));
            records.add(record(1, "209.85.220.41", 40, "example.com", "example.com", "google", AuthResult.PASS,
                    "bounce.example.com", AuthResult.PASS, DmarcResult.PASS, DmarcResult.PASS, List.of()));
            records.add(record(2, "198.51.100.7", 12, "example.com", "example.com", "s1", AuthResult.PASS,
                    "lists.example.net", AuthResult.FAIL, DmarcResult.PASS, DmarcResult.FAIL,
                    List.of(new PolicyOverrideReason(PolicyOverride.FORWARDED, "forwarded", "looks forwarded"))));
            records.add(record(3, "198.51.100.99", 5, "example.com", "esp.example.net", "k1", AuthResult.PASS,
                    "esp.example.net", AuthResult.PASS, DmarcResult.FAIL, DmarcResult.FAIL, List.of()));
            if (day.getDayOfMonth() % 3 == 0) {
                records.add(record(4, SPOOFER, 30, "example.com", "evil.example", "x", AuthResult.FAIL,
                        "evil.example", AuthResult.FAIL, DmarcResult.FAIL, DmarcResult.FAIL, List.of()));
            }
            store(store, enricher, "google-" + day + ".xml", header("google.com", "noreply-dmarc-support@google.com",
                    "g-" + day, "example.com", begin, Disposition.NONE), records);
            List<AggregateRecord> org = List.of(record(0, "203.0.113.6", 7, "example.org", "example.org", "s2",
                    AuthResult.PASS, "example.org", AuthResult.PASS, DmarcResult.PASS, DmarcResult.PASS, List.of()));
            store(store, enricher, "yahoo-" + day + ".xml", header("Yahoo", "dmarchelp@yahooinc.com", "y-" + day,
                    "example.org", begin, Disposition.REJECT), org);
        }
        long xssBegin = TODAY.minusDays(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        store(store, enricher, "xss.xml", header(XSS, "x@evil.example", "xss-1", "example.com", xssBegin,
                Disposition.NONE), List.of(record(0, "198.51.100.200", 1, XSS_ATTR + ".example.com", "evil.example",
                XSS, AuthResult.FAIL, "evil.example", AuthResult.FAIL, DmarcResult.FAIL, DmarcResult.FAIL, List.of())));
        failure(store, "failure-1.eml", "Quarterly invoice", "john.doe@example.com", SPOOFER);
        failure(store, "failure-xss.eml", XSS + XSS_ATTR, "mallory@example.com", "198.51.100.200");
        tls(store);
    }

    static AggregateHeader header(String org, String email, String reportId, String domain, long begin, Disposition p) {
        ReportMetadata meta = new ReportMetadata(org, email, null, reportId, new DateRange(begin, begin + 86_399),
                List.of(), null);
        PolicyPublished policy = new PolicyPublished(domain, p, p, p, Alignment.RELAXED, Alignment.RELAXED, 100, "0",
                "n", null);
        return new AggregateHeader(ReportSource.of(reportId + ".xml"), "1.0", "", meta, policy);
    }

    static AggregateRecord record(int index, String ip, long count, String headerFrom, String dkimDomain,
                                  String selector, AuthResult dkim, String spfDomain, AuthResult spf,
                                  DmarcResult dkimEval, DmarcResult spfEval, List<PolicyOverrideReason> reasons) {
        Disposition applied = dkimEval == DmarcResult.PASS || spfEval == DmarcResult.PASS ? Disposition.NONE
                : Disposition.QUARANTINE;
        return new AggregateRecord(index, ip, count, applied, dkimEval, spfEval, reasons, headerFrom, spfDomain, null,
                List.of(new DkimAuthResult(dkimDomain, selector, dkim, dkim.token(), null)),
                List.of(new SpfAuthResult(spfDomain, "mfrom", spf, spf.token(), null)));
    }

    static void store(Store store, Enricher enricher, String name, AggregateHeader header, List<AggregateRecord> records) {
        ImportBatch batch = store.beginImport(SourceFile.of(name, "test",
                ("<feedback><!-- " + name + " --></feedback>").getBytes(StandardCharsets.UTF_8)));
        if (batch.beginAggregate(header)) {
            for (AggregateRecord r : records) {
                SenderInfo sender = enricher.sender(r.sourceIp(), null);
                batch.record(r, enricher.enrich(header.policy(), r, sender));
            }
            batch.endAggregate(List.of());
        }
        batch.commit();
    }

    static void failure(Store store, String name, String subject, String from, String ip) {
        failure(store, name, subject, from, ip, TODAY.minusDays(1).atTime(10, 0).toInstant(ZoneOffset.UTC));
    }

    /** A failure report that arrived at {@code arrival}. */
    static void failure(Store store, String name, String subject, String from, String ip, Instant arrival) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        fields.put("feedback-type", List.of("auth-failure"));
        fields.put("source-ip", List.of(ip));
        OriginalMessage original = new OriginalMessage("Someone <" + from + ">", "alice@example.com", subject,
                "Sat, 29 Jun 2024 10:00:00 +0000", "<abc@evil.example>",
                List.of(new OriginalMessage.DkimSignatureRef("evil.example", XSS)), List.of("spf=fail"),
                List.of(new OriginalMessage.Header("From", "Someone <" + from + ">"),
                        new OriginalMessage.Header("Subject", subject)), true, 0);
        FailureReport report = new FailureReport(ReportSource.of(name), "arf", "auth-failure", "Mail.ru/1.0", "1",
                arrival, ip, "mx.receiver.example", from,
                List.of("alice@example.com"), List.of("example.com"), List.of("dmarc"), List.of("none"), "reject",
                "evil.example", XSS, null, null, List.of("dmarc=fail"), 1, fields, original, "A message failed DMARC.",
                List.of());
        ImportBatch batch = store.beginImport(SourceFile.of(name, "test", ("failure " + name).getBytes(StandardCharsets.UTF_8)));
        batch.failure(report);
        batch.commit();
    }

    static void tls(Store store) {
        tls(store, "tls.json", "Google Inc.", "smtp-tls-reporting@google.com", "tls-1", TODAY.minusDays(2),
                "certificate-expired");
    }

    /** A TLS report from file {@code name} for one day, with one STS policy and one failure detail of {@code result}. */
    static void tls(Store store, String name, String organization, String contact, String reportId, LocalDate day,
                    String result) {
        Instant start = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        TlsReport report = new TlsReport(ReportSource.of(name), organization, start, start.plusSeconds(86_399),
                contact, reportId, List.of(new TlsPolicyResult("sts",
                List.of("version: STSv1", "mode: enforce"), "example.com", List.of("mx1.example.com"), 900, 3,
                List.of(new TlsFailureDetail(result, "209.85.220.41", "mx1.example.com", null,
                        "203.0.113.25", 3, null, null)))), List.of());
        // the bytes differ per report id: the store keeps one copy of identical files
        ImportBatch batch = store.beginImport(SourceFile.of(name, "test", (reportId.equals("tls-1") ? "{\"tls\":1}"
                : "{\"tls\":\"" + reportId + "\"}").getBytes(StandardCharsets.UTF_8)));
        batch.tls(report);
        batch.commit();
    }
}
