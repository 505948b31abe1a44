package io.dmarclens.parser.tlsrpt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmarclens.parser.ParserLimits;
import io.dmarclens.parser.Report;
import io.dmarclens.parser.ReportParser;
import io.dmarclens.parser.ReportSource;
import io.dmarclens.testkit.Corpus;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every TLS-RPT JSON file of the shared corpus (mail-auth and dmarc-report-viewer test data): parsed,
 * compared field by field with a plain Jackson reading of the same file, plus the facts that make each
 * file interesting. Skipped when ../shared/corpus is absent.
 */
class TlsCorpusTest {
    private final TlsReportParser parser = new TlsReportParser(ParserLimits.DEFAULT);
    private final ObjectMapper mapper = new ObjectMapper();

    private static List<Path> corpusJson() throws Exception {
        Path corpus = Corpus.sharedCorpusOrSkip();
        List<Path> files = new ArrayList<>();
        for (Path dir : List.of(corpus.resolve("mail-auth/tlsrpt"), corpus.resolve("dmarc-report-viewer/smtp-tls-reports"))) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> s = Files.list(dir)) {
                    s.filter(p -> p.toString().endsWith(".json")).sorted().forEach(files::add);
                }
            }
        }
        return files;
    }

    private TlsReport parse(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return parser.parse(ReportSource.of(file.getFileName().toString()), in);
        }
    }

    private TlsReport parse(String relative) throws Exception {
        return parse(Corpus.sharedCorpusOrSkip().resolve(relative));
    }

    @TestFactory
    Stream<DynamicTest> everyFileMatchesAPlainJacksonReading() throws Exception {
        List<Path> files = corpusJson();
        assertFalse(files.isEmpty(), "the corpus has TLS-RPT JSON files");
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(),
                () -> assertMatches(mapper.readTree(file.toFile()), parse(file))));
    }

    /**
     * mail-auth's TLS-RPT mails, found and unpacked by the container layer (rpt01: application/tlsrpt+gzip
     * in base64; rpt02: application/tlsrpt JSON as text), against the JSON files beside them.
     */
    @TestFactory
    Stream<DynamicTest> tlsReportMailsMatchTheirJson() throws Exception {
        Path dir = Corpus.sharedCorpusOrSkip().resolve("mail-auth/tlsrpt");
        ReportParser reportParser = new ReportParser();
        return Stream.of("rpt01", "rpt02").map(name -> DynamicTest.dynamicTest(name + ".eml", () -> {
            List<Report> reports = reportParser.parseAll(dir.resolve(name + ".eml"));
            assertEquals(1, reports.size());
            assertMatches(mapper.readTree(dir.resolve(name + ".json").toFile()), (TlsReport) reports.get(0));
        }));
    }

    private static void assertMatches(JsonNode json, TlsReport r) {
        assertEquals(json.path("organization-name").asText(null), r.organizationName());
        assertEquals(json.path("report-id").asText(null), r.reportId());
        JsonNode contact = json.get("contact-info");
        assertEquals(contact == null || contact.isNull() ? null : contact.asText(), r.contactInfo());
        assertEquals(Instant.parse(json.path("date-range").path("start-datetime").asText()), r.startDatetime());
        assertEquals(Instant.parse(json.path("date-range").path("end-datetime").asText()), r.endDatetime());
        JsonNode policies = json.path("policies");
        assertEquals(policies.size(), r.policies().size());
        for (int i = 0; i < policies.size(); i++) {
            JsonNode p = policies.get(i);
            TlsPolicyResult ours = r.policies().get(i);
            assertEquals(p.path("policy").path("policy-type").asText(), ours.policyType());
            assertEquals(p.path("policy").path("policy-domain").asText(null), ours.policyDomain());
            assertEquals(p.path("policy").path("policy-string").size(), ours.policyString().size());
            assertEquals(p.path("summary").path("total-successful-session-count").asLong(0),
                    ours.totalSuccessfulSessionCount());
            assertEquals(p.path("summary").path("total-failure-session-count").asLong(0),
                    ours.totalFailureSessionCount());
            JsonNode details = p.path("failure-details");
            assertEquals(details.size(), ours.failureDetails().size());
            for (int j = 0; j < details.size(); j++) {
                JsonNode d = details.get(j);
                TlsFailureDetail od = ours.failureDetails().get(j);
                assertEquals(d.path("result-type").asText(), od.resultType());
                assertEquals(d.path("sending-mta-ip").asText(null), od.sendingMtaIp());
                assertEquals(d.path("receiving-mx-hostname").asText(null), od.receivingMxHostname());
                assertEquals(d.path("receiving-ip").asText(null), od.receivingIp());
                assertEquals(d.path("failed-session-count").asLong(), od.failedSessionCount());
                assertEquals(d.path("failure-reason-code").asText(null), od.failureReasonCode());
                assertEquals(d.path("additional-information").asText(null), od.additionalInformation());
            }
        }
    }

    @Test
    void rfcExampleAndItsMailAuthCopy() throws Exception {
        TlsReport r = parse("dmarc-report-viewer/smtp-tls-reports/rfc-example.json");
        assertEquals("Company-X", r.organizationName());
        assertEquals("5065427c-23d3-47ca-b6e0-946ea0e8c4be", r.reportId());
        TlsPolicyResult p = r.policies().get(0);
        assertEquals(List.of("*.mail.company-y.example"), p.mxHost());
        assertEquals(5326, p.totalSuccessfulSessionCount());
        assertEquals(303, p.totalFailureSessionCount());
        assertEquals(List.of("certificate-expired", "starttls-not-supported", "validation-failure"),
                p.failureDetails().stream().map(TlsFailureDetail::resultType).toList());
        assertEquals("X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED", p.failureDetails().get(2).failureReasonCode());
        assertEquals(List.of(), r.warnings());
        // mail-auth's copy has the URL with spaces inserted (a PDF-extraction artefact of the RFC text);
        // we keep additional-information exactly as written: it is a stranger's string, not ours to repair.
        TlsReport copy = parse("mail-auth/tlsrpt/rpt01.json");
        assertTrue(copy.policies().get(0).failureDetails().get(1).additionalInformation().contains("? id = 5065427 c"));
    }

    @Test
    void edgeCasesOfTheCorpus() throws Exception {
        TlsReport noPolicy = parse("dmarc-report-viewer/smtp-tls-reports/no-policy.json");
        assertEquals("no-policy-found", noPolicy.policies().get(0).policyType());
        assertEquals("foo-bar.io", noPolicy.policies().get(0).policyDomain());

        TlsReport noContact = parse("dmarc-report-viewer/smtp-tls-reports/no-contact.json");
        assertNull(noContact.contactInfo());
        // The reporter copied the policy line into mx-host ("mx: mx.server.com"); kept as written.
        assertEquals(List.of("mx: mx.server.com"), noContact.policies().get(0).mxHost());

        TlsReport microsoft = parse("dmarc-report-viewer/smtp-tls-reports/no_ip_and_mx.json");
        assertEquals("1234567890+", microsoft.reportId());
        TlsFailureDetail d = microsoft.policies().get(0).failureDetails().get(0);
        assertEquals("sts-policy-fetch-error", d.resultType());
        assertNull(d.sendingMtaIp());
        assertNull(d.receivingMxHostname());
        assertEquals(3, d.failedSessionCount());
        assertTrue(microsoft.policies().get(0).policyString().isEmpty());

        TlsReport tlsa = parse("dmarc-report-viewer/smtp-tls-reports/microsoft.json");
        assertEquals("133925885310113267+random.net", tlsa.reportId());
        assertEquals(List.of("sts", "tlsa"), tlsa.policies().stream().map(TlsPolicyResult::policyType).toList());

        // rpt03: an invalid policy type and summaries without total-failure-session-count, both kept and warned.
        TlsReport rpt03 = parse("mail-auth/tlsrpt/rpt03.json");
        assertEquals(List.of("no-policy-found", "invalid-policy-type"),
                rpt03.policies().stream().map(TlsPolicyResult::policyType).toList());
        assertTrue(rpt03.warnings().stream().anyMatch(w -> w.location().equals("policies[1].policy.policy-type")));
        assertTrue(rpt03.warnings().stream().anyMatch(
                w -> w.location().equals("policies[0].summary.total-failure-session-count")));
    }
}
