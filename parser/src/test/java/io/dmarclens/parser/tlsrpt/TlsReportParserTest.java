package io.dmarclens.parser.tlsrpt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.parser.LimitExceededException;
import io.dmarclens.parser.ParseWarning;
import io.dmarclens.parser.ParserLimits;
import io.dmarclens.parser.ReportParseException;
import io.dmarclens.parser.ReportSource;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TlsReportParserTest {
    private static final ReportSource SOURCE = ReportSource.of("test.json");
    private final TlsReportParser parser = new TlsReportParser(ParserLimits.DEFAULT);

    private TlsReport parse(String json) throws ReportParseException {
        return parser.parse(SOURCE, new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static String report(String policies) {
        return """
                {"organization-name": "Example Sender", "contact-info": "tlsrpt@example.net",
                 "report-id": "2026-11-01T00:00:00Z_example.com",
                 "date-range": {"start-datetime": "2026-11-01T00:00:00Z", "end-datetime": "2026-11-01T23:59:59Z"},
                 "policies": %s}
                """.formatted(policies);
    }

    private static boolean hasWarning(TlsReport r, String location, String words) {
        return r.warnings().stream().anyMatch(w -> w.location().equals(location) && w.message().contains(words));
    }

    @Test
    void readsEveryFieldOfAFullReport() throws Exception {
        TlsReport r = parse(report("""
                [{"policy": {"policy-type": "sts", "policy-string": ["version: STSv1", "mode: enforce",
                   "mx: *.mail.example.com", "max_age: 86400"], "policy-domain": "example.com",
                   "mx-host": ["*.mail.example.com"]},
                  "summary": {"total-successful-session-count": 5326, "total-failure-session-count": 303},
                  "failure-details": [
                   {"result-type": "certificate-expired", "sending-mta-ip": "2001:db8::25",
                    "receiving-mx-hostname": "mx1.mail.example.com", "receiving-mx-helo": "mx1",
                    "receiving-ip": "203.0.113.56", "failed-session-count": 100,
                    "additional-information": "https://reports.example.net/info?id=1",
                    "failure-reason-code": "X509_V_ERR_CERT_HAS_EXPIRED"},
                   {"result-type": "starttls-not-supported", "failed-session-count": 203}]}]"""));
        assertEquals("Example Sender", r.organizationName());
        assertEquals("tlsrpt@example.net", r.contactInfo());
        assertEquals("2026-11-01T00:00:00Z_example.com", r.reportId());
        assertEquals(Instant.parse("2026-11-01T00:00:00Z"), r.startDatetime());
        assertEquals(Instant.parse("2026-11-01T23:59:59Z"), r.endDatetime());
        assertEquals(List.of(), r.warnings());
        TlsPolicyResult p = r.policies().get(0);
        assertEquals("sts", p.policyType());
        assertEquals(4, p.policyString().size());
        assertEquals("example.com", p.policyDomain());
        assertEquals(List.of("*.mail.example.com"), p.mxHost());
        assertEquals(5326, p.totalSuccessfulSessionCount());
        assertEquals(303, p.totalFailureSessionCount());
        TlsFailureDetail d = p.failureDetails().get(0);
        assertEquals(new TlsFailureDetail("certificate-expired", "2001:db8::25", "mx1.mail.example.com", "mx1",
                "203.0.113.56", 100, "https://reports.example.net/info?id=1", "X509_V_ERR_CERT_HAS_EXPIRED"), d);
        assertEquals(new TlsFailureDetail("starttls-not-supported", null, null, null, null, 203, null, null),
                p.failureDetails().get(1));
    }

    @Test
    void mxHostMayBeAStringOrAList() throws Exception {
        TlsReport r = parse(report("""
                [{"policy": {"policy-type": "sts", "policy-domain": "example.com", "mx-host": "mx.example.com"},
                  "summary": {"total-successful-session-count": 1, "total-failure-session-count": 0}},
                 {"policy": {"policy-type": "sts", "policy-domain": "example.org", "mx-host": ["a.example.org", "b.example.org"]},
                  "summary": {"total-successful-session-count": 2, "total-failure-session-count": 0}}]"""));
        assertEquals(List.of("mx.example.com"), r.policies().get(0).mxHost());
        assertEquals(List.of("a.example.org", "b.example.org"), r.policies().get(1).mxHost());
        assertEquals(List.of(), r.warnings(), "RFC 8460's own example writes mx-host as a string");
    }

    @Test
    void missingPolicyDomainIsKeptAsNullWithAWarning() throws Exception {
        TlsReport r = parse(report("""
                [{"policy": {"policy-type": "no-policy-found"},
                  "summary": {"total-successful-session-count": 12, "total-failure-session-count": 0}}]"""));
        TlsPolicyResult p = r.policies().get(0);
        assertEquals("no-policy-found", p.policyType());
        assertNull(p.policyDomain());
        assertEquals(12, p.totalSuccessfulSessionCount());
        assertTrue(hasWarning(r, "policies[0].policy.policy-domain", "Postfix"), r.warnings().toString());
    }

    @Test
    void contactInfoNullIsAbsentWithoutWarning() throws Exception {
        TlsReport r = parse("""
                {"organization-name": "server.example", "contact-info": null, "report-id": "123_456",
                 "date-range": {"start-datetime": "2026-01-11T00:00:00Z", "end-datetime": "2026-01-12T00:00:00Z"},
                 "policies": [{"policy": {"policy-type": "sts", "policy-domain": "server.example"},
                   "summary": {"total-successful-session-count": 1, "total-failure-session-count": 0},
                   "failure-details": []}]}""");
        assertNull(r.contactInfo());
        assertEquals(List.of(), r.warnings());
        assertEquals(List.of(), r.policies().get(0).failureDetails());
    }

    @Test
    void microsoftReportIdAndDetailWithoutAddresses() throws Exception {
        TlsReport r = parse("""
                {"organization-name": "Microsoft Corporation", "contact-info": "tlsrpt-noreply@microsoft.com",
                 "report-id": "133944884956529435+example.com",
                 "date-range": {"start-datetime": "2026-06-14T00:00:00Z", "end-datetime": "2026-06-14T23:59:59Z"},
                 "policies": [{"policy": {"policy-type": "sts", "policy-domain": "example.com"},
                   "summary": {"total-successful-session-count": 0, "total-failure-session-count": 3},
                   "failure-details": [{"result-type": "sts-policy-fetch-error", "failed-session-count": 3}]}]}""");
        assertEquals("133944884956529435+example.com", r.reportId());
        TlsFailureDetail d = r.policies().get(0).failureDetails().get(0);
        assertEquals("sts-policy-fetch-error", d.resultType());
        assertNull(d.sendingMtaIp());
        assertNull(d.receivingMxHostname());
        assertEquals(3, d.failedSessionCount());
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void badCountsBecomeWarningsWithTheirPath() throws Exception {
        TlsReport r = parse(report("""
                [{"policy": {"policy-type": "sts", "policy-domain": "example.com"},
                  "summary": {"total-successful-session-count": "17", "total-failure-session-count": -4},
                  "failure-details": [{"result-type": "validation-failure", "failed-session-count": "many"},
                                      {"result-type": "validation-failure", "failed-session-count": 2.5}]},
                 {"policy": {"policy-type": "tlsa", "policy-domain": "example.org"},
                  "summary": {"total-successful-session-count": 1},
                  "failure-details": [{"failed-session-count": 1}]}]"""));
        TlsPolicyResult p = r.policies().get(0);
        assertEquals(17, p.totalSuccessfulSessionCount());
        assertEquals(0, p.totalFailureSessionCount());
        assertEquals(0, p.failureDetails().get(0).failedSessionCount());
        assertTrue(hasWarning(r, "policies[0].summary.total-successful-session-count", "string"));
        assertTrue(hasWarning(r, "policies[0].summary.total-failure-session-count", "negative"));
        assertTrue(hasWarning(r, "policies[0].failure-details[0].failed-session-count", "not a number"));
        assertTrue(hasWarning(r, "policies[0].failure-details[1].failed-session-count", "fractional"));
        assertTrue(hasWarning(r, "policies[1].summary.total-failure-session-count", "missing"));
        assertEquals("unknown", r.policies().get(1).failureDetails().get(0).resultType());
        assertTrue(hasWarning(r, "policies[1].failure-details[0].result-type", "missing"));
    }

    @Test
    void datesAreReadLeniently() throws Exception {
        TlsReport r = parse("""
                {"organization-name": "x", "report-id": "r1",
                 "date-range": {"start-datetime": "2026-11-01 00:00:00", "end-datetime": "yesterday"},
                 "policies": []}""");
        assertEquals(Instant.parse("2026-11-01T00:00:00Z"), r.startDatetime());
        assertNull(r.endDatetime());
        assertTrue(hasWarning(r, "date-range.start-datetime", "no time zone"));
        assertTrue(hasWarning(r, "date-range.end-datetime", "unreadable"));
        assertTrue(hasWarning(r, "policies", "no policy results"));
        assertTrue(hasWarning(r, "contact-info", "") == false, "contact-info is optional");
    }

    @Test
    void unknownAndRepeatedMembersAreReported() throws Exception {
        TlsReport r = parse(report("""
                [{"policy": {"policy-type": "STS", "policy-domain": "example.com", "policy-domain": "example.net",
                   "colour": "blue"},
                  "summary": {"total-successful-session-count": 1, "total-failure-session-count": 0}}]"""));
        assertEquals("sts", r.policies().get(0).policyType());
        assertEquals("example.net", r.policies().get(0).policyDomain());
        assertTrue(hasWarning(r, "policies[0].policy.policy-domain", "repeated"));
        assertTrue(hasWarning(r, "policies[0].policy.colour", "unknown member"));
    }

    @Test
    void malformedJsonSaysWhere() {
        ReportParseException e = assertThrows(ReportParseException.class,
                () -> parse("{\"organization-name\": \"x\",\n \"policies\": [}"));
        assertTrue(e.getMessage().startsWith("malformed JSON at line 2"), e.getMessage());
    }

    @Test
    void jsonThatIsNotATlsReportIsRejectedWithTheReason() {
        ReportParseException e = assertThrows(ReportParseException.class,
                () -> parse("{\"feedback\": {\"report_metadata\": {}}}"));
        assertEquals("JSON is not an SMTP TLS report: no \"policies\" member (members: \"feedback\")", e.getMessage());
        ReportParseException array = assertThrows(ReportParseException.class, () -> parse("[1, 2]"));
        assertTrue(array.getMessage().contains("the document is a list, not an object"), array.getMessage());
        ReportParseException empty = assertThrows(ReportParseException.class, () -> parse("  \n"));
        assertTrue(empty.getMessage().startsWith("zero-byte input"), empty.getMessage());
        ReportParseException trailing = assertThrows(ReportParseException.class, () -> parse(report("[]") + " {}"));
        assertTrue(trailing.getMessage().contains("content after the end"), trailing.getMessage());
    }

    @Test
    void capsOnStringsDepthAndSize() {
        TlsReportParser small = new TlsReportParser(new ParserLimits(1 << 20, 10, 8, 64, 1_000));
        String longName = report("[]").replace("Example Sender", "x".repeat(5_000));
        ReportParseException s = assertThrows(ReportParseException.class,
                () -> small.parse(SOURCE, new ByteArrayInputStream(longName.getBytes(StandardCharsets.UTF_8))));
        assertInstanceOf(LimitExceededException.class, s);
        String deep = "{\"policies\": " + "[".repeat(200) + "]".repeat(200) + "}";
        ReportParseException d = assertThrows(ReportParseException.class, () -> parse(deep));
        assertInstanceOf(LimitExceededException.class, d);
        assertTrue(d.getMessage().contains("depth"), d.getMessage());
        String chunk = "\"" + "y".repeat(900) + "\",";
        byte[] big = ("{\"policies\": [], \"z\": [" + chunk.repeat(1_200) + "1]}").getBytes(StandardCharsets.UTF_8);
        ReportParseException b = assertThrows(ReportParseException.class,
                () -> small.parse(SOURCE, new ByteArrayInputStream(big)));
        assertInstanceOf(LimitExceededException.class, b);
    }

    @Test
    void arbitraryBytesNeverEscapeAsAnotherException() {
        Random random = new Random(8460);
        for (int i = 0; i < 200; i++) {
            byte[] junk = new byte[random.nextInt(400)];
            random.nextBytes(junk);
            if (i % 3 == 0 && junk.length > 0) {
                junk[0] = '{';
            }
            try {
                parser.parse(SOURCE, new ByteArrayInputStream(junk));
            } catch (ReportParseException expected) {
                // the only exception allowed out
            }
        }
        // Mutations of a valid report: every outcome is a report or a ReportParseException.
        byte[] valid = report("[{\"policy\": {\"policy-type\": \"sts\"}, \"summary\": {}}]").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 300; i++) {
            byte[] mutated = valid.clone();
            mutated[random.nextInt(mutated.length)] = (byte) "{}[]\":,0-aZ\u0000".charAt(random.nextInt(12));
            try {
                TlsReport r = parser.parse(SOURCE, new ByteArrayInputStream(mutated));
                for (ParseWarning w : r.warnings()) {
                    assertTrue(w.message() != null && !w.message().isBlank());
                }
            } catch (ReportParseException expected) {
                assertTrue(expected.getMessage() != null && !expected.getMessage().isBlank());
            }
        }
    }
}
