package io.dmarclens.parser.failure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.parser.ParserLimits;
import io.dmarclens.parser.Report;
import io.dmarclens.parser.ReportParser;
import io.dmarclens.parser.ReportSource;
import io.dmarclens.testkit.Corpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Facts of every failure report in {@code sample-reports/failure/} (written by us, see the README there),
 * read with the failure parser directly. A new file in that folder fails {@link #everySampleHasItsFacts}
 * until its facts are asserted here.
 */
class FailureSamplesTest {
    private final FailureReportParser parser = new FailureReportParser(ParserLimits.DEFAULT);

    private static Path dir() {
        return Corpus.sampleReports().resolve("failure");
    }

    private FailureReport arf(String name) throws Exception {
        return parser.parseArf(ReportSource.of(name), Files.readAllBytes(dir().resolve(name)));
    }

    private static boolean warned(FailureReport r, String location) {
        return r.warnings().stream().anyMatch(w -> w.location().equals(location));
    }

    @Test
    void everySampleHasItsFacts() throws Exception {
        Set<String> asserted = Set.of("arf-full-message.eml", "arf-headers-only.eml", "arf-missing-fields.eml",
                "exim-plain-text.eml", "netease-style.eml");
        try (Stream<Path> files = Files.list(dir())) {
            assertEquals(new TreeSet<>(asserted), files.map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals("README.md")).collect(Collectors.toCollection(TreeSet::new)));
        }
    }

    /** What a report says, without where it was read from (the source differs between the two paths). */
    static List<Object> essence(FailureReport r) {
        return java.util.Arrays.asList(r.format(), r.feedbackType(), r.userAgent(), r.version(), r.arrivalDate(),
                r.sourceIp(), r.reportingMta(), r.originalMailFrom(), r.originalRcptTo(), r.reportedDomain(),
                r.authFailure(), r.identityAlignment(), r.deliveryResult(), r.dkimDomain(), r.dkimSelector(),
                r.dkimIdentity(), r.spfDns(), r.authenticationResults(), r.incidents(), r.fields(), r.original(),
                r.humanReadable(), r.warnings());
    }

    /** The container layer finds each sample by content and hands it to the same reading as above. */
    @Test
    void everySampleReadsTheSameThroughReportParser() throws Exception {
        ReportParser reportParser = new ReportParser();
        try (Stream<Path> files = Files.list(dir())) {
            for (Path file : files.filter(p -> p.toString().endsWith(".eml")).sorted().toList()) {
                List<Report> reports = reportParser.parseAll(file);
                assertEquals(1, reports.size(), file.toString());
                FailureReport viaContainers = (FailureReport) reports.get(0);
                String name = file.getFileName().toString();
                FailureReport direct = name.startsWith("exim")
                        ? parser.parsePlainTextNotice(ReportSource.of(name), Files.readAllBytes(file))
                        : arf(name);
                assertEquals(essence(direct), essence(viaContainers), name);
            }
        }
    }

    @Test
    void arfWithTheFullMessage() throws Exception {
        FailureReport r = arf("arf-full-message.eml");
        assertEquals("arf", r.format());
        assertEquals("auth-failure", r.feedbackType());
        assertEquals("ExampleMail-DMARC/3.2", r.userAgent());
        assertEquals(Instant.parse("2026-11-17T09:13:58Z"), r.arrivalDate());
        assertEquals("203.0.113.177", r.sourceIp());
        assertEquals("mx1.mail.example.net", r.reportingMta());
        assertEquals("<billing@example.com>", r.originalMailFrom());
        assertEquals(List.of("<j.doe@example.net>", "<accounts@example.net>"), r.originalRcptTo());
        assertEquals(List.of("example.com"), r.reportedDomain());
        assertEquals(List.of("dmarc"), r.authFailure());
        assertEquals(List.of("none"), r.identityAlignment());
        assertEquals("reject", r.deliveryResult());
        assertEquals("example.com", r.dkimDomain());
        assertEquals("google", r.dkimSelector());
        assertEquals("@example.com", r.dkimIdentity());
        assertTrue(r.spfDns().contains("v=spf1 include:_spf.google.com"));
        assertEquals(2, r.authenticationResults().size());
        assertEquals(2, r.incidents());
        assertEquals(List.of("50412"), r.fields().get("source-port"));
        assertEquals(List.of("4Rk2Xw0b7Qz"), r.fields().get("original-envelope-id"));
        assertEquals(List.of(), r.warnings());
        OriginalMessage o = r.original();
        assertFalse(o.headersOnly());
        assertEquals("\"Example Billing\" <billing@example.com>", o.from());
        assertEquals("<j.doe@example.net>", o.to());
        assertEquals("Ihre Rechnung Nr. 2026-1147 \u2013 249,00 \u20ac", o.subject());
        assertEquals("Tue, 17 Nov 2026 10:13:55 +0100", o.date());
        assertEquals("<20261117101355.8812@billing-example.test>", o.messageId());
        assertEquals(List.of(new OriginalMessage.DkimSignatureRef("example.com", "google")), o.dkimSignatures());
        assertEquals(1, o.authenticationResults().size());
        assertEquals(12, o.headers().size());
        assertTrue(o.bodyBytes() > 150, "the 8-bit German body is counted in bytes: " + o.bodyBytes());
        assertTrue(r.humanReadable().contains("received from IP 203.0.113.177"));
    }

    @Test
    void arfWithHeadersOnly() throws Exception {
        FailureReport r = arf("arf-headers-only.eml");
        assertEquals("OpenDMARC-Filter/1.4.2", r.userAgent());
        assertEquals("203.0.113.51", r.sourceIp(), "the host name after the address is dropped");
        assertEquals(List.of("203.0.113.51 (lists.example.net)"), r.fields().get("source-ip"));
        assertEquals(List.of("example.org"), r.reportedDomain());
        assertEquals("steering-bounces@lists.example.net", r.originalMailFrom());
        assertNull(r.arrivalDate(), "OpenDMARC sends no Arrival-Date");
        assertEquals(List.of("none"), r.identityAlignment());
        assertTrue(warned(r, "feedback-report/Identity-Alignment"));
        OriginalMessage o = r.original();
        assertTrue(o.headersOnly());
        assertEquals(0, o.bodyBytes());
        assertEquals("Maria Example <maria@example.org>", o.from());
        assertEquals("[steering] Minutes of the steering group, 17 November", o.subject());
        assertEquals(List.of(new OriginalMessage.DkimSignatureRef("example.org", "google")), o.dkimSignatures());
        assertEquals(2, o.authenticationResults().size());
        assertTrue(o.authenticationResults().get(0).contains("dkim=fail reason=\"signature verification failed\""));
    }

    @Test
    void arfWithMissingFieldsAndUndeclaredBase64() throws Exception {
        FailureReport r = arf("arf-missing-fields.eml");
        assertEquals("MailAppliance-Reporter/7.1", r.userAgent());
        assertEquals("198.51.100.135", r.sourceIp());
        assertEquals(Instant.parse("2026-11-21T07:20:11Z"), r.arrivalDate());
        assertEquals(List.of("example.org"), r.reportedDomain());
        assertEquals("auth-failure", r.feedbackType());
        assertEquals(List.of("dmarc"), r.authFailure());
        assertEquals(List.of("none"), r.identityAlignment());
        for (String location : List.of("part 2", "feedback-report/Arrival-Date", "feedback-report/Feedback-Type",
                "feedback-report/Auth-Failure", "feedback-report/Identity-Alignment")) {
            assertTrue(warned(r, location), location + " in " + r.warnings());
        }
        assertEquals(5, r.warnings().size(), r.warnings().toString());
        assertEquals(List.of(new OriginalMessage.DkimSignatureRef("mc.example.org", "k1")), r.original().dkimSignatures());
    }

    @Test
    void eximPlainTextNotice() throws Exception {
        byte[] mail = Files.readAllBytes(dir().resolve("exim-plain-text.eml"));
        String text = new String(mail, java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(FailureReportParser.looksLikeFailureNotice("DMARC Forensic Report for example.com from IP 203.0.113.188", text));
        FailureReport r = parser.parsePlainTextNotice(ReportSource.of("exim-plain-text.eml"), mail);
        assertEquals("plain-text", r.format());
        assertEquals("203.0.113.188", r.sourceIp());
        assertEquals(Instant.parse("2026-11-19T21:16:08Z"), r.arrivalDate());
        assertEquals(List.of("example.com"), r.reportedDomain());
        assertEquals(List.of("dmarc"), r.authFailure());
        assertEquals(List.of("none"), r.identityAlignment(), "SPF Alignment: no, DKIM Alignment: no");
        assertEquals(Map.of("dmarc-results", List.of("Reject")).get("dmarc-results"), r.fields().get("dmarc-results"));
        assertTrue(r.original().headersOnly());
        assertEquals("\"CEO\" <ceo@example.com>", r.original().from());
        assertEquals("Urgent wire transfer today", r.original().subject());
        assertEquals("<5E0C2B11-7A41-4C0B-9D33-0E5F1AA2C001@example.com>", r.original().messageId());
        assertEquals(1, r.authenticationResults().size());
        assertEquals(List.of("feedback-report/Feedback-Type"), r.warnings().stream().map(w -> w.location()).toList());
    }

    @Test
    void neteaseStyleMultipartMixedWithBase64FeedbackAndCrlf() throws Exception {
        byte[] mail = Files.readAllBytes(dir().resolve("netease-style.eml"));
        assertTrue(new String(mail, java.nio.charset.StandardCharsets.US_ASCII).contains("\r\n"), "the sample is CRLF");
        FailureReport r = arf("netease-style.eml");
        assertEquals("arf", r.format());
        assertEquals("ExampleDmarcReporter/1.0", r.userAgent());
        assertEquals("198.51.100.64", r.sourceIp());
        assertEquals(Instant.parse("2026-11-20T08:48:42Z"), r.arrivalDate());
        assertEquals(List.of("example.com"), r.reportedDomain());
        assertEquals(List.of("spf", "dkim"), r.identityAlignment());
        assertEquals("delivered", r.deliveryResult());
        assertEquals("em.example.com", r.dkimDomain());
        assertEquals(List.of("dmarc"), r.authFailure());
        assertEquals(List.of("feedback-report/Auth-Failure"), r.warnings().stream().map(w -> w.location()).toList());
        assertFalse(r.original().headersOnly());
        assertEquals("Rent Reminder", r.original().subject());
        assertEquals("Your rent of November is due on the 1st of December.\r\n".length(), r.original().bodyBytes());
        assertTrue(r.humanReadable().startsWith("This is a spf/dkim authentication-failure report"));
    }
}
