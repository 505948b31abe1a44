package io.dmarclens.store.contract;

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
import io.dmarclens.store.ImportBatch;
import io.dmarclens.store.ImportResult;
import io.dmarclens.store.SourceFile;
import io.dmarclens.store.Store;
import io.dmarclens.store.enrichment.Classification;
import io.dmarclens.store.enrichment.RecordEnrichment;
import io.dmarclens.store.enrichment.SenderInfo;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/** Builds reports and enrichment for the contract tests, the way the parser and the pipeline hand them over. */
public final class KitReports {
    private KitReports() {
    }

    public static long epoch(LocalDate day) {
        return day.atStartOfDay().toEpochSecond(ZoneOffset.UTC);
    }

    public static AggregateHeader header(String org, String reportId, String domain, long begin, long end) {
        return header(org, reportId, domain, begin, end, Disposition.NONE);
    }

    public static AggregateHeader header(String org, String reportId, String domain, long begin, long end, Disposition p) {
        return new AggregateHeader(new ReportSource("test.xml", "part-" + reportId), "1.0", "",
                new ReportMetadata(org, "noreply-dmarc@" + org, null, reportId, new DateRange(begin, end), List.of(), null),
                new PolicyPublished(domain, p, p, p, Alignment.RELAXED, Alignment.RELAXED, 100, "0", "n", null));
    }

    /** A record that passes DKIM and SPF aligned. */
    public static AggregateRecord passing(int index, String ip, long count, String headerFrom) {
        return new AggregateRecord(index, ip, count, Disposition.NONE, DmarcResult.PASS, DmarcResult.PASS, List.of(),
                headerFrom, headerFrom, "example.net",
                List.of(new DkimAuthResult(headerFrom, "s1", AuthResult.PASS, "pass", null)),
                List.of(new SpfAuthResult(headerFrom, "mfrom", AuthResult.PASS, "pass", null)));
    }

    /** A forwarded record: DKIM survived, SPF failed, the receiver said "forwarded". */
    public static AggregateRecord forwarded(int index, String ip, long count, String headerFrom) {
        return new AggregateRecord(index, ip, count, Disposition.NONE, DmarcResult.PASS, DmarcResult.FAIL,
                List.of(new PolicyOverrideReason(PolicyOverride.FORWARDED, "forwarded", "via list")),
                headerFrom, "lists.example.org", "example.net",
                List.of(new DkimAuthResult(headerFrom, "s2", AuthResult.PASS, "pass", null)),
                List.of(new SpfAuthResult("lists.example.org", "mfrom", AuthResult.FAIL, "fail", null)));
    }

    /** A spoofed record failing both. */
    public static AggregateRecord spoofed(int index, String ip, long count, String headerFrom) {
        return new AggregateRecord(index, ip, count, Disposition.REJECT, DmarcResult.FAIL, DmarcResult.FAIL, List.of(),
                headerFrom, "evil.example", "example.net",
                List.of(new DkimAuthResult("evil.example", "x", AuthResult.FAIL, "fail", null)),
                List.of(new SpfAuthResult("evil.example", "mfrom", AuthResult.SOFTFAIL, "softfail", null)));
    }

    public static final SenderInfo GOOGLE = new SenderInfo("mail-yw1-f170.google.com", "google.com", "US", 15169L,
            "GOOGLE", "Google", "Email provider");

    public static RecordEnrichment enrichment(AggregateRecord r, SenderInfo sender) {
        boolean dkim = r.dkim() == DmarcResult.PASS;
        boolean spf = r.spf() == DmarcResult.PASS;
        Classification c;
        String reason;
        if (dkim || spf) {
            if (!spf && !r.reasons().isEmpty()) {
                c = Classification.FORWARDED;
                reason = "DKIM aligned pass while SPF fails; receiver said forwarded";
            } else {
                c = Classification.COMPLIANT;
                reason = "DMARC pass";
            }
        } else {
            c = Classification.THREAT;
            reason = "fails DKIM and SPF from an unknown source";
        }
        if (c == Classification.COMPLIANT && !spf) {
            c = Classification.FORWARDED;
        }
        return new RecordEnrichment(sender, dkim, spf, dkim || spf, false, c, reason);
    }

    public static SourceFile source(String name) {
        return SourceFile.of(name, "test", ("<feedback>" + name + "</feedback>").getBytes(StandardCharsets.UTF_8));
    }

    /** Stores one aggregate report in its own batch. */
    public static ImportResult store(Store store, SourceFile source, AggregateHeader header, List<AggregateRecord> records,
                              SenderInfo sender) {
        ImportBatch batch = store.beginImport(source);
        if (batch.beginAggregate(header)) {
            for (AggregateRecord r : records) {
                batch.record(r, enrichment(r, sender));
            }
            batch.endAggregate(List.of());
        }
        return batch.commit();
    }

    public static io.dmarclens.parser.failure.FailureReport failureReport(String sourceIp, String subject, String from,
                                                                   String messageId, java.time.Instant arrival) {
        var original = new io.dmarclens.parser.failure.OriginalMessage(from, "victim@example.net", subject,
                "Wed, 1 May 2024 10:00:00 +0000", messageId,
                List.of(new io.dmarclens.parser.failure.OriginalMessage.DkimSignatureRef("example.com", "sel1")),
                List.of("mx.example.net; dmarc=fail header.from=example.com"),
                List.of(new io.dmarclens.parser.failure.OriginalMessage.Header("Subject", subject)), true, 0);
        return new io.dmarclens.parser.failure.FailureReport(new ReportSource("ruf.eml", ""), "arf", "auth-failure",
                "Yahoo!-Mail-Feedback/2.0", "1", arrival, sourceIp, "mta.yahoo.com", "bounce@evil.example",
                List.of("victim@example.net"), List.of("example.com"), List.of("dmarc", "dkim"), List.of("none"),
                "reject", "example.com", "sel1", null, "v=spf1 -all", List.of(), 2,
                java.util.Map.of("feedback-type", List.of("auth-failure")), original, "This is a DMARC failure report",
                List.of(new io.dmarclens.parser.ParseWarning("Arrival-Date", "read as UTC")));
    }

    public static io.dmarclens.parser.tlsrpt.TlsReport tlsReport(String reportId, java.time.Instant start) {
        var detail = new io.dmarclens.parser.tlsrpt.TlsFailureDetail("certificate-expired", "198.51.100.20",
                "mx1.example.com", "mx1.example.com", "192.0.2.25", 7, "cert expired on 2024-04-30", "X509_EXPIRED");
        var policy = new io.dmarclens.parser.tlsrpt.TlsPolicyResult("sts", List.of("version: STSv1", "mode: enforce"),
                "example.com", List.of("mx1.example.com"), 100, 7, List.of(detail));
        return new io.dmarclens.parser.tlsrpt.TlsReport(new ReportSource("tls.json.gz", ""), "Google Inc.", start,
                start.plusSeconds(86_399), "smtp-tls-reporting@google.com", reportId, List.of(policy), List.of());
    }
}
