package io.dmarclens.parser.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.parser.ParseWarning;
import io.dmarclens.parser.ReportParseException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One test per real-world quirk of aggregate XML (report-formats.md sections 1, 2 and 10). */
class AggregateXmlParserTest {
    static final String METADATA = "<report_metadata><org_name>google.com</org_name>"
            + "<email>noreply-dmarc-support@google.com</email><report_id>4711</report_id>"
            + "<date_range><begin>1700000000</begin><end>1700086399</end></date_range></report_metadata>";
    static final String POLICY = "<policy_published><domain>example.com</domain><adkim>r</adkim><aspf>s</aspf>"
            + "<p>reject</p><sp>quarantine</sp><pct>100</pct></policy_published>";

    static String record(String ip, int count) {
        return "<record><row><source_ip>" + ip + "</source_ip><count>" + count + "</count><policy_evaluated>"
                + "<disposition>none</disposition><dkim>pass</dkim><spf>fail</spf></policy_evaluated></row>"
                + "<identifiers><header_from>example.com</header_from><envelope_from>bounce.example.com</envelope_from></identifiers>"
                + "<auth_results><dkim><domain>example.com</domain><selector>s1</selector><result>pass</result></dkim>"
                + "<spf><domain>bounce.example.com</domain><scope>mfrom</scope><result>softfail</result></spf></auth_results></record>";
    }

    static String feedback(String body) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feedback>" + body + "</feedback>";
    }

    static boolean warned(AggregateReport r, String location, String text) {
        return r.warnings().stream().anyMatch(w -> w.location().equals(location) && w.message().contains(text));
    }

    static String warnings(AggregateReport r) {
        return r.warnings().toString();
    }

    @Test
    void readsAnRfc7489ReportWithoutWarnings() throws Exception {
        AggregateReport r = Collector.parse(feedback("<version>1.0</version>" + METADATA + POLICY
                + record("192.0.2.1", 3) + record("2001:db8::1", 4)));
        assertEquals(List.of(), r.warnings());
        assertEquals("1.0", r.header().version());
        assertEquals("", r.header().namespace());
        ReportMetadata m = r.metadata();
        assertEquals("google.com", m.orgName());
        assertEquals("4711", m.reportId());
        assertEquals(new DateRange(1700000000L, 1700086399L), m.dateRange());
        PolicyPublished p = r.policy();
        assertEquals("example.com", p.domain());
        assertEquals(Disposition.REJECT, p.p());
        assertEquals(Disposition.QUARANTINE, p.sp());
        assertEquals(Disposition.QUARANTINE, p.np(), "np defaults to sp");
        assertEquals(Alignment.STRICT, p.aspf());
        assertEquals(100, p.pct());
        assertEquals("0", p.fo());
        assertEquals("n", p.testing());
        assertEquals(2, r.records().size());
        assertEquals(7, r.messageCount());
        AggregateRecord rec = r.records().get(1);
        assertEquals(1, rec.index());
        assertEquals("2001:db8::1", rec.sourceIp());
        assertEquals(Disposition.NONE, rec.disposition());
        assertEquals(DmarcResult.PASS, rec.dkim());
        assertEquals(DmarcResult.FAIL, rec.spf());
        assertEquals("bounce.example.com", rec.envelopeFrom());
        assertNull(rec.envelopeTo());
        assertEquals(new DkimAuthResult("example.com", "s1", AuthResult.PASS, "pass", null), rec.dkimResults().get(0));
        assertEquals(new SpfAuthResult("bounce.example.com", "mfrom", AuthResult.SOFTFAIL, "softfail", null), rec.spfResults().get(0));
    }

    @Test
    void readsRfc9990NamespaceAndNewElements() throws Exception {
        String xml = "<feedback xmlns=\"urn:ietf:params:xml:ns:dmarc-2.0\" xmlns:ext=\"urn:example:ext\">"
                + "<version>1.0</version><report_metadata><org_name>GMX</org_name><email>dmarc@gmx.net</email>"
                + "<report_id>abc</report_id><date_range><begin>1</begin><end>2</end></date_range>"
                + "<generator>Example Reporter v1.2</generator></report_metadata>"
                + "<policy_published><domain>example.com</domain><p>quarantine</p><sp>none</sp><np>reject</np>"
                + "<testing>y</testing><discovery_method>treewalk</discovery_method></policy_published>"
                + "<extension><ext:arc-override>never</ext:arc-override></extension>"
                + "<record><row><source_ip>192.0.2.123</source_ip><count>123</count><policy_evaluated>"
                + "<disposition>pass</disposition><dkim>pass</dkim><spf>fail</spf>"
                + "<reason><type>policy_test_mode</type><comment lang=\"en\">t=y</comment></reason></policy_evaluated></row>"
                + "<identifiers><envelope_from></envelope_from><header_from>example.com</header_from></identifiers>"
                + "<auth_results><dkim><domain>example.com</domain><result>pass</result><selector>abc123</selector>"
                + "<human_result lang=\"en\">good signature</human_result></dkim>"
                + "<spf><domain>example.com</domain><result>policy</result><human_result>blocked</human_result></spf></auth_results>"
                + "<ext:arc-results><ext:x>1</ext:x></ext:arc-results></record></feedback>";
        AggregateReport r = Collector.parse(xml);
        assertEquals(List.of(), r.warnings(), "extensions are ignored without warnings");
        assertEquals("urn:ietf:params:xml:ns:dmarc-2.0", r.header().namespace());
        assertEquals("Example Reporter v1.2", r.metadata().generator());
        PolicyPublished p = r.policy();
        assertEquals(Disposition.REJECT, p.np());
        assertEquals("y", p.testing());
        assertEquals("treewalk", p.discoveryMethod());
        assertNull(p.pct());
        AggregateRecord rec = r.records().get(0);
        assertEquals(Disposition.PASS, rec.disposition());
        assertEquals(new PolicyOverrideReason(PolicyOverride.POLICY_TEST_MODE, "policy_test_mode", "t=y"), rec.reasons().get(0));
        assertNull(rec.envelopeFrom(), "empty envelope_from (null reverse-path) reads as absent");
        assertEquals("good signature", rec.dkimResults().get(0).humanResult());
        assertEquals(AuthResult.POLICY, rec.spfResults().get(0).result());
        assertEquals("blocked", rec.spfResults().get(0).humanResult());
    }

    @Test
    void readsTheOldDmarcOrgDraftShape() throws Exception {
        AggregateReport r = Collector.parse(feedback(METADATA
                + "<policy_published><domain>example.com</domain><adkim>r</adkim><aspf>r</aspf><p>none</p><sp>none</sp><pct>100</pct></policy_published>"
                + "<record><row><source_ip>192.0.2.9</source_ip><count>2</count></row>"
                + "<identifiers><header_from>example.com</header_from></identifiers>"
                + "<auth_results><dkim><domain>example.com</domain><result>pass</result><human_result></human_result></dkim>"
                + "<spf><domain>example.com</domain><result>pass</result></spf></auth_results></record>"));
        AggregateRecord rec = r.records().get(0);
        assertNull(r.header().version());
        assertNull(rec.dkimResults().get(0).humanResult());
        assertNull(rec.dkimResults().get(0).selector());
        assertNull(rec.spfResults().get(0).scope());
        assertTrue(warned(r, "record 0 row/policy_evaluated/disposition", "missing"), warnings(r));
    }

    @Test
    void matchesLocalNamesUnderAPrefixedRootAndForeignNamespaces() throws Exception {
        String xml = "<d:feedback xmlns:d=\"http//dmarc.org/dmarc-xml/0.1\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" "
                + "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
                + METADATA.replace("<", "<d:").replace("<d:/", "</d:") + POLICY.replace("<", "<d:").replace("<d:/", "</d:")
                + record("192.0.2.1", 5).replace("<", "<d:").replace("<d:/", "</d:") + "</d:feedback>";
        AggregateReport r = Collector.parse(xml);
        assertEquals(List.of(), r.warnings());
        assertEquals("http//dmarc.org/dmarc-xml/0.1", r.header().namespace());
        assertEquals(5, r.messageCount());
    }

    @Test
    void readsIdentitiesAsIdentifiers() throws Exception {
        AggregateReport r = Collector.parse(feedback(METADATA + POLICY
                + record("192.0.2.1", 1).replace("identifiers>", "identities>")));
        assertEquals(List.of(), r.warnings());
        assertEquals("example.com", r.records().get(0).headerFrom());
        assertEquals("bounce.example.com", r.records().get(0).envelopeFrom());
    }

    @Test
    void readsAReportWrappedInAStrayUnclosedSchemaElement() throws Exception {
        String xml = "<?xml version=\"1.0\"?> <xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" "
                + "targetNamespace=\"http://dmarc.org/dmarc-xml/0.1\">\n<feedback>" + METADATA + POLICY
                + record("192.0.2.1", 2) + "</feedback>";
        Collector c = Collector.collect(xml.getBytes(StandardCharsets.UTF_8), io.dmarclens.parser.ParserLimits.DEFAULT);
        assertEquals(1, c.reports.size());
        assertEquals(List.of(), c.aborts, "the fast pass stops before it begins the report");
        AggregateReport r = c.reports.get(0);
        assertEquals(2, r.messageCount());
        assertEquals("example.com", r.policy().domain());
        assertTrue(r.warnings().stream().anyMatch(w -> w.message().contains("stray <xs:schema> tags removed")), warnings(r));
    }

    @Test
    void acceptsAnyElementOrderAndHoldsRecordsBackUntilTheHeaderIsKnown() throws Exception {
        AggregateReport r = Collector.parse(feedback(
                "<record><auth_results><spf><result>pass</result><domain>a.example</domain></spf>"
                        + "<dkim><result>fail</result><domain>a.example</domain></dkim></auth_results>"
                        + "<identifiers><header_from>a.example</header_from></identifiers>"
                        + "<row><policy_evaluated><spf>pass</spf><dkim>fail</dkim><disposition>none</disposition></policy_evaluated>"
                        + "<count>9</count><source_ip>192.0.2.1</source_ip></row></record>"
                        + "<policy_published><pct>100</pct><np>none</np><p>none</p><domain>a.example</domain></policy_published>"
                        + record("192.0.2.2", 1)
                        + "<report_metadata><date_range><end>2</end><begin>1</begin></date_range><report_id>x</report_id>"
                        + "<email>a@b.example</email><org_name>b.example</org_name></report_metadata>"
                        + "<version>1.0</version>"));
        assertEquals(2, r.records().size());
        assertEquals(10, r.messageCount());
        assertEquals(AuthResult.FAIL, r.records().get(0).dkimResults().get(0).result());
        assertEquals("b.example", r.metadata().orgName());
        assertEquals(Disposition.NONE, r.policy().sp(), "sp defaults to p");
        assertEquals("1.0", r.header().version());
    }

    @Test
    void normalisesUpperCaseAndLegacyWordsKeepingTheRawWord() throws Exception {
        AggregateReport r = Collector.parse(feedback(METADATA + "<policy_published><domain>example.com</domain>"
                + "<p>Reject</p><adkim>S</adkim></policy_published>"
                + "<record><row><source_ip>192.0.2.1</source_ip><count>1</count><policy_evaluated>"
                + "<disposition>None</disposition><dkim>Pass</dkim><spf>FAIL</spf></policy_evaluated></row>"
                + "<identifiers><header_from>example.com</header_from></identifiers><auth_results>"
                + "<dkim><domain>example.com</domain><result>Pass</result></dkim>"
                + "<dkim><domain>example.com</domain><result>unknown</result></dkim>"
                + "<spf><domain>example.com</domain><result>HardFail</result></spf>"
                + "<spf><domain>example.com</domain><result>error</result></spf>"
                + "<spf><domain>example.com</domain><result>invalid</result></spf>"
                + "<spf><domain>example.com</domain><result>TempError</result></spf>"
                + "</auth_results></record>"));
        assertEquals(Disposition.REJECT, r.policy().p());
        assertEquals(Alignment.STRICT, r.policy().adkim());
        AggregateRecord rec = r.records().get(0);
        assertEquals(Disposition.NONE, rec.disposition());
        assertEquals(DmarcResult.PASS, rec.dkim());
        assertEquals(DmarcResult.FAIL, rec.spf());
        assertEquals(new DkimAuthResult("example.com", null, AuthResult.PASS, "Pass", null), rec.dkimResults().get(0));
        assertEquals(AuthResult.TEMPERROR, rec.dkimResults().get(1).result());
        assertEquals(List.of(AuthResult.FAIL, AuthResult.PERMERROR, AuthResult.PERMERROR, AuthResult.TEMPERROR),
                rec.spfResults().stream().map(SpfAuthResult::result).toList());
        assertEquals(List.of("HardFail", "error", "invalid", "TempError"),
                rec.spfResults().stream().map(SpfAuthResult::rawResult).toList());
        assertTrue(warned(r, "record 0 auth_results/spf/result", "legacy result word 'HardFail' read as fail"), warnings(r));
        assertTrue(warned(r, "record 0 auth_results/dkim/result", "legacy result word 'unknown' read as temperror"), warnings(r));
    }

    @Test
    void readsEmptyElementsAsAbsentAndWarnsWhereAValueWasRequired() throws Exception {
        AggregateReport r = Collector.parse(feedback(METADATA + "<policy_published><domain>example.com</domain>"
                + "<p>quarantine</p><sp></sp><adkim/><fo></fo></policy_published>"
                + "<record><row><source_ip>192.0.2.1</source_ip><count>1</count><policy_evaluated>"
                + "<disposition>15</disposition><dkim/><spf>fail</spf><reason><type></type></reason></policy_evaluated></row>"
                + "<identifiers><header_from>example.com</header_from></identifiers>"
                + "<auth_results><dkim><domain/><result/></dkim><spf><domain>example.com</domain></spf></auth_results></record>"));
        PolicyPublished p = r.policy();
        assertEquals(Disposition.QUARANTINE, p.sp(), "empty sp is absent: sp = p");
        assertEquals(Alignment.RELAXED, p.adkim());
        assertEquals("0", p.fo());
        AggregateRecord rec = r.records().get(0);
        assertNull(rec.disposition());
        assertNull(rec.dkim());
        assertEquals(new PolicyOverrideReason(null, "", null), rec.reasons().get(0));
        assertEquals(new DkimAuthResult("", null, null, "", null), rec.dkimResults().get(0));
        assertNull(rec.spfResults().get(0).result());
        assertTrue(warned(r, "record 0 row/policy_evaluated/disposition", "'15' is not a disposition"), warnings(r));
        assertTrue(warned(r, "record 0 row/policy_evaluated/dkim", "missing or empty"), warnings(r));
        assertTrue(warned(r, "record 0 row/policy_evaluated/reason/type", "missing or empty"), warnings(r));
        assertTrue(warned(r, "record 0 auth_results/dkim/domain", "missing or empty"), warnings(r));
        assertTrue(warned(r, "record 0 auth_results/dkim/result", "missing or empty"), warnings(r));
        assertTrue(warned(r, "record 0 auth_results/spf/result", "missing or empty"), warnings(r));
    }

    @Test
    void fillsRfcDefaultsForMissingOptionalPolicyFields() throws Exception {
        AggregateReport r = Collector.parse(feedback(METADATA
                + "<policy_published><domain>example.com</domain><p>reject</p></policy_published>" + record("192.0.2.1", 1)));
        assertEquals(new PolicyPublished("example.com", Disposition.REJECT, Disposition.REJECT, Disposition.REJECT,
                Alignment.RELAXED, Alignment.RELAXED, null, "0", "n", null), r.policy());
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void readsAlignmentWithStrayPunctuation() throws Exception {
        AggregateReport r = Collector.parse(feedback(METADATA
                + "<policy_published><domain>example.com</domain><p>none</p><adkim>s;</adkim><aspf>r;</aspf></policy_published>"
                + record("192.0.2.1", 1)));
        assertEquals(Alignment.STRICT, r.policy().adkim());
        assertEquals(Alignment.RELAXED, r.policy().aspf());
        assertTrue(warned(r, "policy_published/aspf", "'r;' read as r"), warnings(r));
    }

    @Test
    void readsDecimalTimestamps() throws Exception {
        AggregateReport r = Collector.parse(feedback(METADATA.replace("<begin>1700000000</begin>", "<begin>1700000000.0</begin>")
                + POLICY + record("192.0.2.1", 1)));
        assertEquals(1700000000L, r.metadata().dateRange().begin());
        assertTrue(warned(r, "report_metadata/date_range/begin", "decimal timestamp '1700000000.0' read as 1700000000"), warnings(r));
    }

    @Test
    void stripsAngleBracketsFromTheReportId() throws Exception {
        AggregateReport r = Collector.parse(feedback(METADATA.replace("<report_id>4711</report_id>",
                "<report_id>&lt;4711@mx.example&gt;</report_id>") + POLICY + record("192.0.2.1", 1)));
        assertEquals("4711@mx.example", r.metadata().reportId());
    }

    @Test
    void derivesAMissingOrgNameFromTheEmailDomain() throws Exception {
        AggregateReport r = Collector.parse(feedback(METADATA.replace("<org_name>google.com</org_name>", "<org_name></org_name>")
                .replace("noreply-dmarc-support@google.com", "dmarc@Reports.Example.NET") + POLICY + record("192.0.2.1", 1)));
        assertEquals("reports.example.net", r.metadata().orgName());
        assertTrue(warned(r, "report_metadata/org_name", "derived 'reports.example.net'"), warnings(r));
    }

    @Test
    void readsStrayWindows1252BytesAsSuchAndWarns() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        String[] halves = feedback(METADATA.replace("google.com</org_name>", "Caf#</org_name>") + POLICY + record("192.0.2.1", 4)).split("#");
        b.writeBytes(halves[0].getBytes(StandardCharsets.UTF_8));
        b.write(0x91);
        b.writeBytes(halves[1].getBytes(StandardCharsets.UTF_8));
        Collector c = Collector.collect(b.toByteArray(), io.dmarclens.parser.ParserLimits.DEFAULT);
        AggregateReport r = c.reports.get(0);
        // 0x91 is windows-1252's left single quote: a Windows program's text pasted into a UTF-8 report.
        assertEquals("Caf\u2018", r.metadata().orgName());
        assertEquals(4, r.messageCount());
        assertTrue(r.warnings().stream().anyMatch(w -> w.message().contains("1 byte not valid in UTF-8 read as windows-1252")),
                warnings(r));
        assertTrue(r.warnings().get(0).message().contains("not well-formed"), warnings(r));
    }

    @Test
    void readsUnescapedLessThanAndAmpersandInText() throws Exception {
        AggregateReport r = Collector.parse(feedback(METADATA.replace("<org_name>google.com</org_name>",
                        "<org_name>Smith & Sons <IT></org_name>")
                .replace("noreply-dmarc-support@google.com", "<bad-xml@bad-xml.net>") + POLICY + record("192.0.2.1", 1)));
        assertEquals("<bad-xml@bad-xml.net>", r.metadata().email());
        assertEquals("Smith & Sons <IT>", r.metadata().orgName(), "an unknown unprefixed tag in text is text");
        assertTrue(r.warnings().stream().anyMatch(w -> w.message().contains("unescaped '&'")), warnings(r));
        assertTrue(r.warnings().stream().anyMatch(w -> w.message().contains("unescaped '<'")), warnings(r));
        assertEquals(1, r.records().size());
    }

    @Test
    void keepsTheRecordsOfADocumentTruncatedNearTheEnd() throws Exception {
        String full = feedback(METADATA + POLICY + record("192.0.2.1", 1) + record("192.0.2.2", 2) + record("192.0.2.3", 3));
        Collector c = Collector.collect(full.substring(0, full.length() - 1).getBytes(StandardCharsets.UTF_8),
                io.dmarclens.parser.ParserLimits.DEFAULT);
        assertEquals(1, c.aborts.size(), "the fast pass had begun the report: it is withdrawn before the recovery pass");
        AggregateReport r = c.reports.get(0);
        assertEquals(3, r.records().size());
        assertEquals(6, r.messageCount());
        assertTrue(r.warnings().stream().anyMatch(w -> w.message().contains("cannot be read past this point")), warnings(r));

        String cut = full.substring(0, full.indexOf("<record>", full.indexOf("192.0.2.2")) + 60);
        AggregateReport partial = Collector.parse(cut);
        assertEquals(2, partial.records().size());
        assertTrue(warned(partial, "record 2", "incomplete at the end of the document; dropped"), warnings(partial));
    }

    @Test
    void takesTheFirstOfSeveralPolicyPublished() throws Exception {
        AggregateReport r = Collector.parse(feedback(METADATA + POLICY
                + "<policy_published><domain>other.example</domain><p>none</p></policy_published>" + record("192.0.2.1", 1)));
        assertEquals("example.com", r.policy().domain());
        assertTrue(warned(r, "policy_published", "second <policy_published> was ignored"), warnings(r));
    }

    @Test
    void keepsAnEmptyHeartbeatRecordWithAWarning() throws Exception {
        AggregateReport r = Collector.parse(feedback(METADATA + POLICY + record("", 0)));
        assertEquals(1, r.records().size());
        assertEquals("", r.records().get(0).sourceIp());
        assertTrue(warned(r, "record 0 row/source_ip", "empty heartbeat record"), warnings(r));
        assertTrue(r.warnings().stream().anyMatch(w -> w.message().contains("none of the 1 records")), warnings(r));
    }

    @Test
    void aReportWithoutRecordsIsStillAReport() throws Exception {
        AggregateReport r = Collector.parse(feedback(METADATA + POLICY));
        assertEquals(0, r.records().size());
        assertTrue(r.warnings().stream().anyMatch(w -> w.message().equals("the report holds no records")), warnings(r));
    }

    @Test
    void warnsOnInvalidIpAddressesKeepingTheText() throws Exception {
        AggregateReport r = Collector.parse(feedback(METADATA + POLICY + record("X.X.X.X", 1) + record("256.1.1.1", 1)
                + record("2001:db8::zz", 1) + record("::ffff:192.0.2.1", 1) + record("mail.example.com", 1)));
        assertEquals(List.of("X.X.X.X", "256.1.1.1", "2001:db8::zz", "::ffff:192.0.2.1", "mail.example.com"),
                r.records().stream().map(AggregateRecord::sourceIp).toList());
        assertTrue(warned(r, "record 0 row/source_ip", "'X.X.X.X' is not an IP address"), warnings(r));
        assertTrue(warned(r, "record 1 row/source_ip", "not an IP address"), warnings(r));
        assertTrue(warned(r, "record 2 row/source_ip", "not an IP address"), warnings(r));
        assertTrue(r.warnings().stream().noneMatch(w -> w.location().startsWith("record 3")), warnings(r));
        assertTrue(warned(r, "record 4 row/source_ip", "not an IP address"), warnings(r));
    }

    @Test
    void warnsAboutUnknownElementsInTheReportsOwnNamespace() throws Exception {
        AggregateReport r = Collector.parse(feedback(METADATA + POLICY
                + record("192.0.2.1", 1).replace("<count>", "<colour>red</colour><count>")));
        assertTrue(warned(r, "record 0 row/colour", "unknown element <colour> ignored"), warnings(r));
    }

    @Test
    void refusesADocumentThatIsNotADmarcReport() {
        ReportParseException e = assertThrows(ReportParseException.class,
                () -> Collector.parse("<!DOCTYPE html>\n<html><body>hello</body></html>".replace("<!DOCTYPE html>\n", "")));
        assertEquals("XML is not a DMARC report: root element <html>, expected <feedback>", e.getMessage());
        ReportParseException empty = assertThrows(ReportParseException.class, () -> Collector.parse("<feedback/>"));
        assertTrue(empty.getMessage().startsWith("XML is not a DMARC report"), empty.getMessage());
    }

    @Test
    void saysWhereADocumentIsNotWellFormedWhenNothingCanBeRead() {
        ReportParseException e = assertThrows(ReportParseException.class,
                () -> Collector.parse("<?xml version=\"1.0\"?>\n<feedback>\n  <report_metadata><org_name a=b>x</org_name>"));
        assertTrue(e.getMessage().startsWith("XML is not well-formed at line 3, column "), e.getMessage());
    }

    @Test
    void boundsTheWarningsOfAReportWithManyBadRecords() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 1_500; i++) {
            sb.append(record("bad-ip", 1));
        }
        AggregateReport r = Collector.parse(feedback(METADATA + POLICY + sb));
        assertEquals(1_500, r.records().size());
        List<ParseWarning> w = r.warnings();
        assertTrue(w.size() <= WarningLog.MAX_LISTED + 2, "warnings: " + w.size());
        assertTrue(w.stream().anyMatch(x -> x.message().equals("500 more warnings like the ones above were not listed")),
                w.subList(w.size() - 3, w.size()).toString());
    }

    @Test
    void holdsBackOnlyABoundedNumberOfRecordsBeforeTheHeader() {
        String records = record("192.0.2.1", 1).repeat(FeedbackReader.MAX_BUFFERED_RECORDS + 1);
        io.dmarclens.parser.LimitExceededException e = assertThrows(io.dmarclens.parser.LimitExceededException.class,
                () -> Collector.parse(feedback(records + METADATA + POLICY)));
        assertTrue(e.getMessage().contains("records come before <report_metadata>"), e.getMessage());
    }

    @Test
    void readsTheDeclaredEncodingInBothPasses() throws Exception {
        String xml = feedback(METADATA.replace("google.com</org_name>", "M\u00fcller \u2018GmbH\u2019</org_name>") + POLICY
                + record("192.0.2.1", 1)).replace("UTF-8", "windows-1252");
        AggregateReport fast = Collector.parse(xml.getBytes(java.nio.charset.Charset.forName("windows-1252")));
        assertEquals("M\u00fcller \u2018GmbH\u2019", fast.metadata().orgName());
        assertEquals(List.of(), fast.warnings());
        AggregateReport repaired = Collector.parse(xml.replace("<email>", "<email>a & b ").getBytes(java.nio.charset.Charset.forName("windows-1252")));
        assertEquals("M\u00fcller \u2018GmbH\u2019", repaired.metadata().orgName());
        assertTrue(repaired.metadata().email().startsWith("a & b "), repaired.metadata().email());
    }
}
