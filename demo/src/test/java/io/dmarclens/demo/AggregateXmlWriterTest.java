package io.dmarclens.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.parser.Report;
import io.dmarclens.parser.ReportParser;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.aggregate.AggregateReport;
import io.dmarclens.parser.aggregate.Alignment;
import io.dmarclens.parser.aggregate.AuthResult;
import io.dmarclens.parser.aggregate.Disposition;
import io.dmarclens.parser.aggregate.DmarcResult;
import io.dmarclens.parser.aggregate.PolicyOverride;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one aggregate XML writer: what it writes is well-formed, and our parser reads back exactly the
 * values it was given, strangers' strings included.
 */
class AggregateXmlWriterTest {
    private static final String DMARC2 = "urn:ietf:params:xml:ns:dmarc-2.0";
    private static final String HOSTILE_ORG = "Evil <org> & \"Co\" 'Ltd' ]]> <!-- x --> &amp; Ünïcødé ✉ 😀";
    private static final String HOSTILE_ID = "id</report_id><report_id>2";
    private static final String HOSTILE_COMMENT = "</comment></reason></policy_evaluated><script>alert(1)</script>";

    private static final FeedbackHeader HEADER = new FeedbackHeader(DMARC2, "1.0",
            new FeedbackHeader.Metadata(HOSTILE_ORG, "dmarc@reporter.example", "https://reporter.example/?a=1&b=<2>",
                    HOSTILE_ID, 1764288000L, 1764374399L),
            new FeedbackHeader.Policy("example.com", "psl", "s", "r", "reject", "quarantine", "y", null, "none", "1"));

    private static final FeedbackRecord FULL = new FeedbackRecord("2001:db8::1", 42, "quarantine", "fail", "pass",
            List.of(new FeedbackRecord.Reason("forwarded", HOSTILE_COMMENT), new FeedbackRecord.Reason("local_policy", null)),
            "example.com", "bounce.example.com", "example.net",
            List.of(new FeedbackRecord.Dkim("example.com", "s1&<2>", "fail"), new FeedbackRecord.Dkim("esp.example", null, "pass")),
            List.of(new FeedbackRecord.Spf("bounce.example.com", "mfrom", "softfail")));

    private static final FeedbackRecord BARE = new FeedbackRecord("192.0.2.7", 1, "none", "pass", "fail", List.of(),
            "example.com", null, null, List.of(), List.of(new FeedbackRecord.Spf("example.com", null, "none")));

    @Test
    void theParserReadsBackEveryValueWritten() throws Exception {
        byte[] xml = AggregateXmlWriter.toBytes(XmlLayout.PRETTY, HEADER, List.of(FULL, BARE));
        AggregateReport report = parse(xml);

        assertEquals("1.0", report.header().version());
        assertEquals(DMARC2, report.header().namespace());
        assertEquals(HOSTILE_ORG, report.metadata().orgName());
        assertEquals("dmarc@reporter.example", report.metadata().email());
        assertEquals("https://reporter.example/?a=1&b=<2>", report.metadata().extraContactInfo());
        assertEquals(HOSTILE_ID, report.metadata().reportId());
        assertEquals(1764288000L, report.metadata().dateRange().begin());
        assertEquals(1764374399L, report.metadata().dateRange().end());
        assertEquals("example.com", report.policy().domain());
        assertEquals("psl", report.policy().discoveryMethod());
        assertEquals(Alignment.STRICT, report.policy().adkim());
        assertEquals(Alignment.RELAXED, report.policy().aspf());
        assertEquals(Disposition.REJECT, report.policy().p());
        assertEquals(Disposition.QUARANTINE, report.policy().sp());
        assertEquals(Disposition.NONE, report.policy().np());
        assertEquals("y", report.policy().testing());
        assertNull(report.policy().pct());
        assertEquals("1", report.policy().fo());

        assertEquals(2, report.records().size());
        AggregateRecord full = report.records().get(0);
        assertEquals("2001:db8::1", full.sourceIp());
        assertEquals(42, full.count());
        assertEquals(Disposition.QUARANTINE, full.disposition());
        assertEquals(DmarcResult.FAIL, full.dkim());
        assertEquals(DmarcResult.PASS, full.spf());
        assertEquals(2, full.reasons().size());
        assertEquals(PolicyOverride.FORWARDED, full.reasons().get(0).type());
        assertEquals(HOSTILE_COMMENT, full.reasons().get(0).comment());
        assertEquals(PolicyOverride.LOCAL_POLICY, full.reasons().get(1).type());
        assertNull(full.reasons().get(1).comment());
        assertEquals("example.com", full.headerFrom());
        assertEquals("bounce.example.com", full.envelopeFrom());
        assertEquals("example.net", full.envelopeTo());
        assertEquals(2, full.dkimResults().size());
        assertEquals("example.com", full.dkimResults().get(0).domain());
        assertEquals("s1&<2>", full.dkimResults().get(0).selector());
        assertEquals(AuthResult.FAIL, full.dkimResults().get(0).result());
        assertNull(full.dkimResults().get(1).selector());
        assertEquals(AuthResult.PASS, full.dkimResults().get(1).result());
        assertEquals("bounce.example.com", full.spfResults().get(0).domain());
        assertEquals("mfrom", full.spfResults().get(0).scope());
        assertEquals(AuthResult.SOFTFAIL, full.spfResults().get(0).result());

        AggregateRecord bare = report.records().get(1);
        assertEquals("192.0.2.7", bare.sourceIp());
        assertEquals(List.of(), bare.reasons());
        assertNull(bare.envelopeFrom());
        assertNull(bare.envelopeTo());
        assertEquals(List.of(), bare.dkimResults());
        assertNull(bare.spfResults().get(0).scope());
        assertEquals(AuthResult.NONE, bare.spfResults().get(0).result());
    }

    @Test
    void hostileStringsStayText() {
        String xml = new String(AggregateXmlWriter.toBytes(XmlLayout.PRETTY, HEADER, List.of(FULL)), StandardCharsets.UTF_8);
        assertFalse(xml.contains("<script>"), xml);
        assertFalse(xml.contains("<org>"), xml);
        assertFalse(xml.contains("<!-- x -->"), xml);
        assertEquals(1, count(xml, "<report_id>"), xml);
        assertEquals(1, count(xml, "</policy_evaluated>"), xml);
    }

    @Test
    void refusesCharactersXmlCannotCarry() {
        for (String bad : List.of("a\u0000b", "bell\u0007", "\uD800 lone surrogate", "\uFFFE")) {
            FeedbackHeader header = new FeedbackHeader(null, null,
                    new FeedbackHeader.Metadata(bad, "e@example.com", null, "r", 0, 1),
                    FeedbackHeader.Policy.rfc7489("example.com", "none", null, null, null));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> AggregateXmlWriter.toBytes(XmlLayout.PRETTY, header, List.of()));
            assertTrue(e.getMessage().startsWith("org_name holds U+"), e.getMessage());
        }
    }

    /** Every layout a demo reporter uses changes whitespace only: the parser reads the same report. */
    @Test
    void layoutsChangeWhitespaceOnly() throws Exception {
        List<XmlLayout> layouts = List.of(XmlLayout.PRETTY, ReporterShape.GOOGLE,
                new XmlLayout("<?xml version='1.0' encoding='utf-8'?>", "", "", List.of(), false),
                new XmlLayout("<?xml version=\"1.0\"?>\r\n", "\r\n", "\t",
                        List.of(new XmlLayout.Prefix("xsi", "http://www.w3.org/2001/XMLSchema-instance")), true));
        AggregateReport first = parse(AggregateXmlWriter.toBytes(layouts.get(0), HEADER, List.of(FULL, BARE)));
        for (XmlLayout layout : layouts) {
            AggregateReport other = parse(AggregateXmlWriter.toBytes(layout, HEADER, List.of(FULL, BARE)));
            assertEquals(first.metadata(), other.metadata(), layout.toString());
            assertEquals(first.policy(), other.policy(), layout.toString());
            assertEquals(first.records(), other.records(), layout.toString());
        }
    }

    /** Records reach the output as they are written, not when the report ends. */
    @Test
    void streamsRecordsAsTheyAreWritten() throws Exception {
        ByteArrayOutputStream target = new ByteArrayOutputStream();
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) {
                target.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                target.write(b, off, len);
            }
        };
        long before;
        try (AggregateXmlWriter writer = AggregateXmlWriter.start(out, XmlLayout.PRETTY, HEADER)) {
            for (int i = 0; i < 2_000; i++) {
                writer.record(FULL);
            }
            before = target.size();
        }
        assertTrue(before > target.size() / 2, before + " of " + target.size() + " bytes before the end");
        assertEquals(2_000, parse(target.toByteArray()).records().size());
    }

    private static AggregateReport parse(byte[] xml) throws Exception {
        List<Report> reports = new ReportParser().parseAll("writer-test.xml", xml);
        assertEquals(1, reports.size());
        AggregateReport report = (AggregateReport) reports.get(0);
        assertTrue(report.warnings().isEmpty(), () -> report.warnings() + "\n" + new String(xml, StandardCharsets.UTF_8));
        return report;
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
