package io.dmarclens.parser.tlsrpt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.parser.ParserLimits;
import io.dmarclens.parser.Report;
import io.dmarclens.parser.ReportParser;
import io.dmarclens.parser.ReportSource;
import io.dmarclens.testkit.Corpus;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.junit.jupiter.api.Test;

/**
 * Facts of every TLS report in {@code sample-reports/tls/} (written by us). JSON is read with the TLS
 * parser directly; the gzip and the mail are opened here with the JDK and mime4j, since container
 * detection is the container layer's job. A new file fails {@link #everySampleHasItsFacts} until asserted.
 */
class TlsSamplesTest {
    private final TlsReportParser parser = new TlsReportParser(ParserLimits.DEFAULT);

    private static Path dir() {
        return Corpus.sampleReports().resolve("tls");
    }

    private TlsReport json(String name) throws Exception {
        try (InputStream in = Files.newInputStream(dir().resolve(name))) {
            return parser.parse(ReportSource.of(name), in);
        }
    }

    private TlsReport gzip(String name) throws Exception {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(dir().resolve(name)))) {
            return parser.parse(ReportSource.of(name), in);
        }
    }

    @Test
    void everySampleHasItsFacts() throws Exception {
        Set<String> asserted = Set.of("google-sts.json.gz", "microsoft-report-id-plus.json",
                "postfix-no-policy-found.json", "mx-host-string.json", "tlsrpt-mail.eml");
        try (Stream<Path> files = Files.list(dir())) {
            assertEquals(new TreeSet<>(asserted), files.map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals("README.md")).collect(Collectors.toCollection(TreeSet::new)));
        }
    }

    @Test
    void googleStyleGzip() throws Exception {
        assertGoogleReport(gzip("google-sts.json.gz"));
    }

    static void assertGoogleReport(TlsReport r) {
        assertEquals("Google Inc.", r.organizationName());
        assertEquals("2026-11-16T00:00:00Z_example.com", r.reportId());
        assertEquals("smtp-tls-reporting@google.com", r.contactInfo());
        assertEquals(Instant.parse("2026-11-16T00:00:00Z"), r.startDatetime());
        assertEquals(Instant.parse("2026-11-16T23:59:59Z"), r.endDatetime());
        assertEquals(1, r.policies().size());
        TlsPolicyResult p = r.policies().get(0);
        assertEquals("sts", p.policyType());
        assertEquals("example.com", p.policyDomain());
        assertEquals(List.of("mx1.example.com", "mx2.example.com"), p.mxHost());
        assertEquals(5, p.policyString().size());
        assertEquals(1843, p.totalSuccessfulSessionCount());
        assertEquals(12, p.totalFailureSessionCount());
        assertEquals(List.of("certificate-expired", "validation-failure"),
                p.failureDetails().stream().map(TlsFailureDetail::resultType).toList());
        assertEquals(12, p.failureDetails().stream().mapToLong(TlsFailureDetail::failedSessionCount).sum());
        assertEquals("2001:db8:4860::1b", p.failureDetails().get(1).sendingMtaIp());
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void microsoftStyle() throws Exception {
        TlsReport r = json("microsoft-report-id-plus.json");
        assertEquals("Microsoft Corporation", r.organizationName());
        assertEquals("134078112000000000+example.org", r.reportId());
        assertEquals(List.of("sts", "tlsa"), r.policies().stream().map(TlsPolicyResult::policyType).toList());
        TlsFailureDetail d = r.policies().get(0).failureDetails().get(0);
        assertEquals(new TlsFailureDetail("sts-policy-fetch-error", null, null, null, null, 4, null, null), d);
        assertEquals(212, r.policies().get(1).totalSuccessfulSessionCount());
        assertTrue(r.policies().get(1).policyString().get(0).startsWith("[\"3 1 1 "));
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void postfixNoPolicyFoundWithoutPolicyDomain() throws Exception {
        TlsReport r = json("postfix-no-policy-found.json");
        assertEquals("mail.example.net", r.organizationName());
        assertNull(r.contactInfo());
        TlsPolicyResult p = r.policies().get(0);
        assertEquals("no-policy-found", p.policyType());
        assertNull(p.policyDomain());
        assertEquals(57, p.totalSuccessfulSessionCount());
        assertEquals(List.of("policies[0].policy.policy-domain"),
                r.warnings().stream().map(w -> w.location()).toList());
    }

    @Test
    void mxHostAsAString() throws Exception {
        TlsReport r = json("mx-host-string.json");
        TlsPolicyResult p = r.policies().get(0);
        assertEquals(List.of("mail.example.org"), p.mxHost());
        assertEquals(5326, p.totalSuccessfulSessionCount());
        assertEquals(303, p.totalFailureSessionCount());
        assertEquals(List.of(100L, 200L, 3L), p.failureDetails().stream().map(TlsFailureDetail::failedSessionCount).toList());
        assertEquals("backup.example.org", p.failureDetails().get(1).receivingMxHelo());
        assertEquals("X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED", p.failureDetails().get(2).failureReasonCode());
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void tlsrptMail() throws Exception {
        MimeTokenStream stream = new MimeTokenStream(MimeConfig.PERMISSIVE);
        stream.parse(Files.newInputStream(dir().resolve("tlsrpt-mail.eml")));
        String reportType = null;
        byte[] gz = null;
        for (EntityState s = stream.getState(); s != EntityState.T_END_OF_STREAM; s = stream.next()) {
            if (s == EntityState.T_FIELD && stream.getField().getName().equalsIgnoreCase("Content-Type")
                    && reportType == null) {
                reportType = stream.getField().getBody();
            }
            if (s == EntityState.T_BODY && stream.getBodyDescriptor().getMimeType().equals("application/tlsrpt+gzip")) {
                gz = stream.getDecodedInputStream().readAllBytes();
            }
        }
        assertTrue(reportType.contains("report-type=tlsrpt"), reportType);
        assertNotNull(gz, "the mail has an application/tlsrpt+gzip part");
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            assertGoogleReport(parser.parse(ReportSource.of("tlsrpt-mail.eml"), in));
        }
        assertEquals(Files.readAllBytes(dir().resolve("google-sts.json.gz")).length, gz.length,
                "the mail carries the same report as google-sts.json.gz");
    }

    /** Each sample through the container layer, which finds JSON, gzip and mail by their bytes. */
    @Test
    void everySampleReadsTheSameThroughReportParser() throws Exception {
        ReportParser reportParser = new ReportParser();
        List<Report> mail = reportParser.parseAll(dir().resolve("tlsrpt-mail.eml"));
        assertEquals(1, mail.size());
        assertGoogleReport((TlsReport) mail.get(0));
        assertGoogleReport((TlsReport) reportParser.parseAll(dir().resolve("google-sts.json.gz")).get(0));
        for (String name : List.of("microsoft-report-id-plus.json", "postfix-no-policy-found.json", "mx-host-string.json")) {
            List<Report> reports = reportParser.parseAll(dir().resolve(name));
            assertEquals(1, reports.size(), name);
            TlsReport viaContainers = (TlsReport) reports.get(0);
            TlsReport direct = json(name);
            assertEquals(direct.policies(), viaContainers.policies(), name);
            assertEquals(direct.warnings(), viaContainers.warnings(), name);
            assertEquals(direct.reportId(), viaContainers.reportId(), name);
        }
    }
}
