package io.dmarclens.parser;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.aggregate.AggregateReport;
import io.dmarclens.parser.aggregate.Alignment;
import io.dmarclens.parser.aggregate.AuthResult;
import io.dmarclens.parser.aggregate.DkimAuthResult;
import io.dmarclens.parser.aggregate.Disposition;
import io.dmarclens.parser.aggregate.DmarcResult;
import io.dmarclens.parser.aggregate.PolicyOverride;
import io.dmarclens.parser.aggregate.PolicyOverrideReason;
import io.dmarclens.parser.aggregate.SpfAuthResult;
import io.dmarclens.testkit.Corpus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Concrete facts of every report in {@code sample-reports/aggregate/}, which we wrote ourselves (see
 * its README for what each file shows). The expected values were written down from the files, never
 * copied from the parser's output. Then one test per quirk checks how the quirk was read.
 */
class SampleReportsTest {
    private static final Path AGGREGATE = Corpus.sampleReports().resolve("aggregate");

    /** file in sample-reports/aggregate -> every aggregate report it holds, in report-id order. */
    static final Map<String, List<AggregateFacts>> FACTS = new LinkedHashMap<>();

    static {
        one("google-zip-attachment.eml", "10749268118374625601", "google.com", "example.com",
                1793491200, 1793577599, 7, 2794);
        one("microsoft-nested-multipart.eml", "4c2b6a0e9f1d4b7fa3c1d2e5f6a7b8c9", "Enterprise Outlook",
                "example.com", 1793577600, 1793664000, 3, 1265);
        one("yahoo-trailing-tabs.xml", "1794015019.487850", "Yahoo", "example.com", 1793923200, 1794009599, 3, 382);
        one("amazonses-octet-stream.eml", "3f6c2b1e-8d4a-4e7b-9c0f-5a2d1e6b7c84", "AMAZON-SES", "example.org",
                1793664000, 1793750400, 2, 61);
        one("mailru-single-line.eml", "28551467700969547611793750400", "Mail.Ru", "example.org",
                1793750400, 1793836800, 2, 16);
        one("gmx-dmarc-2.0.xml", "0c8f3e2a9b7d4c1e8f6a5b4c3d2e1f0a", "GMX", "example.org",
                1794009600, 1794095999, 2, 11);
        one("mimecast-gzip-body.eml", "9d4e1f0a7b3c25e8f6a1d0c9b8e7f6a5d4c3b2a1908f7e6d5c4b3a29180f7e6d", "Mimecast",
                "example.net", 1793836800, 1793923199, 2, 65);
        one("opendmarc-style.xml", "example.com:1795910400", "mx.campus.example", "example.com",
                1795824000, 1795910400, 3, 3);
        one("quirk-ikea-stray-schema.xml", "aggr_report_2026_11_12_6a1f3c9e2b7d4", "retail.example", "example.com",
                1794441600, 1794528000, 1, 3);
        one("quirk-identities.xml", "uni.example-1794528000", "Universita di Esempio", "example.com",
                1794528000, 1794614399, 1, 4);
        one("quirk-element-order.xml", "7d1e5c2a-order-20261114", "Unordered Mail", "example.com",
                1794614400, 1794700799, 2, 12);
        one("quirk-upper-case-words.xml", "acme-20261115-example.com", "Acme Mail Filter", "example.com",
                1794700800, 1794787199, 3, 8);
        one("quirk-hardfail.xml", "rh-2026-11-16-example.org", "Relay Hosting", "example.org",
                1794787200, 1794873599, 1, 4);
        one("quirk-unknown.xml", "centera-1794873600-example.com", "Centera Security Gateway", "example.com",
                1794873600, 1794959999, 1, 2);
        one("quirk-error.xml", "nfm-2026-11-18-0042", "NFM Mail", "example.net", 1794960000, 1795046399, 1, 9);
        one("quirk-empty-elements.xml", "kddi-example.net-1795046400", "KDDI Mail Example", "example.net",
                1795046400, 1795132799, 1, 3);
        one("quirk-aspf-semicolon.xml", "comcast.net:1795219199:example.com", "comcast.net", "example.com",
                1795132800, 1795219199, 1, 27);
        // org_name is missing: derived from the email's domain, as the model documents.
        one("quirk-missing-optional.xml", "minimal-20261121", "example.net", "example.org",
                1795219200, 1795305599, 1, 12);
        one("quirk-fractional-timestamps.xml", "appliance-8813", "Legacy Filter Appliance", "example.com",
                1795305600, 1795391999, 1, 15);
        one("quirk-report-id-angle-brackets.xml", "20261123.7f3a9c@mx.example.net", "Mail Exchanger Example",
                "example.com", 1795392000, 1795478399, 1, 31);
        one("quirk-truncated-end-tag.xml", "hx-2026-11-25-example.org", "Hosted Exchange Example", "example.org",
                1795564800, 1795651199, 2, 19);
        one("quirk-multi-day-range.xml", "sp-weekly-2026-46", "Small Provider", "example.net",
                1794441600, 1794787199, 2, 57);
        one("quirk-heartbeat.xml", "poczta-example.net-1795651200", "Wirtualna Poczta Example", "example.net",
                1795651200, 1795737599, 1, 0);
        one("quirk-rfc9990-extensions.xml", "1795737600-example.com@receiver.example", "Modern Receiver",
                "example.com", 1795737600, 1795823999, 2, 126);
        one("quirk-ipv6-compressed.xml", "isp-6f2d-20261128", "Example ISP", "example.com",
                1795824000, 1795910399, 3, 62);
        FACTS.put("two-reports.zip", List.of(
                new AggregateFacts("2001001", "Fastmail Pty Ltd", "example.org", 1794096000, 1794182399, 2, 22),
                new AggregateFacts("2001002", "Fastmail Pty Ltd", "example.net", 1794096000, 1794182399, 2, 8)));
        FACTS.put("two-attachments.eml", List.of(
                new AggregateFacts("comcast.net:1794268799:example.com", "comcast.net", "example.com",
                        1794182400, 1794268799, 1, 88),
                new AggregateFacts("comcast.net:1794268799:example.org", "comcast.net", "example.org",
                        1794182400, 1794268799, 2, 24)));
        one("forwarded-as-rfc822.eml", "5264580628977113351", "google.com", "example.net",
                1794268800, 1794355199, 2, 201);
        one("base64-text.txt", "orange-example.org-20261111", "Orange", "example.org",
                1794355200, 1794441599, 2, 39);
    }

    /** Files whose facts are asserted in their own test below rather than in {@link #FACTS}. */
    static final java.util.Set<String> ASSERTED_APART = java.util.Set.of("quirk-invalid-utf8.xml",
            "quirk-unescaped-org-name.xml");

    private static void one(String file, String reportId, String org, String domain, long begin, long end,
                            int records, long messages) {
        FACTS.put(file, List.of(new AggregateFacts(reportId, org, domain, begin, end, records, messages)));
    }

    @TestFactory
    Stream<DynamicTest> everyAggregateSampleHasItsFacts() {
        return FACTS.entrySet().stream().map(e -> dynamicTest(e.getKey(),
                () -> assertEquals(e.getValue(), AggregateFacts.ofAll(Parsing.parse(AGGREGATE.resolve(e.getKey()))))));
    }

    /** The file with the invalid byte is listed separately: how the byte reads is not a fact we pin. */
    @Test
    void invalidUtf8ByteIsReadAsOneCharacterAndWarned() throws Exception {
        AggregateReport r = single("quirk-invalid-utf8.xml");
        assertAll(
                () -> assertEquals("relay-nord-20261107-0001", r.metadata().reportId()),
                () -> assertTrue(r.metadata().orgName().matches("Relay .Nord. GmbH"), r.metadata().orgName()),
                () -> assertEquals("example.net", r.policy().domain()),
                () -> assertEquals(1794009600, r.metadata().dateRange().begin()),
                () -> assertEquals(1794095999, r.metadata().dateRange().end()),
                () -> assertEquals(1, r.records().size()),
                () -> assertEquals(6, r.messageCount()),
                () -> assertFalse(r.warnings().isEmpty(), "a warning names the undecodable bytes"));
    }

    @Test
    void google() throws Exception {
        AggregateReport r = single("google-zip-attachment.eml");
        AggregateRecord forwarded = r.records().get(5);
        assertAll(
                () -> assertNull(r.header().version()),
                () -> assertEquals(Disposition.REJECT, r.policy().p()),
                () -> assertEquals(Disposition.REJECT, r.policy().np(), "np written after pct"),
                () -> assertEquals(100, r.policy().pct()),
                () -> assertEquals("https://support.google.com/a/answer/2466580", r.metadata().extraContactInfo()),
                () -> assertTrue(r.records().stream().allMatch(x -> x.envelopeFrom() == null)),
                () -> assertTrue(r.records().stream().flatMap(x -> x.spfResults().stream())
                        .allMatch(s -> s.scope() == null)),
                () -> assertEquals("203.0.113.23", forwarded.sourceIp()),
                () -> assertEquals(Disposition.QUARANTINE, forwarded.disposition()),
                () -> assertEquals(List.of(new PolicyOverrideReason(PolicyOverride.FORWARDED, "forwarded",
                        "looks forwarded, downgrade to quarantine with phishing warning")), forwarded.reasons()),
                () -> assertEquals(List.of("example.com", "sendgrid.net"),
                        r.records().get(2).dkimResults().stream().map(DkimAuthResult::domain).toList()),
                () -> assertEquals("u1234567.wl068.sendgrid.net", r.records().get(2).spfResults().get(0).domain()));
    }

    @Test
    void microsoft() throws Exception {
        AggregateReport r = single("microsoft-nested-multipart.eml");
        AggregateRecord first = r.records().get(0);
        assertAll(
                () -> assertEquals("1.0", r.header().version()),
                () -> assertEquals("", r.header().namespace(), "xmlns:xsd and xmlns:xsi declare prefixes only"),
                () -> assertEquals("outlook.com", first.envelopeTo()),
                () -> assertEquals("example.com", first.envelopeFrom()),
                () -> assertEquals("hotmail.com", r.records().get(1).envelopeTo()),
                () -> assertEquals(2, first.dkimResults().size(), "the duplicated DKIM result is kept as written"),
                () -> assertEquals(first.dkimResults().get(0), first.dkimResults().get(1)),
                () -> assertEquals("mfrom", first.spfResults().get(0).scope()),
                () -> assertEquals("0", r.policy().fo()),
                () -> assertTrue(r.source().part().contains("protection.outlook.com!example.com!1793577600!1793664000.xml.gz"),
                        r.source().toString()));
    }

    @Test
    void yahoo() throws Exception {
        AggregateReport r = single("yahoo-trailing-tabs.xml");
        assertAll(
                () -> assertNull(r.header().version()),
                () -> assertEquals(Disposition.REJECT, r.policy().sp(), "sp absent: defaults to p"),
                () -> assertEquals("192.0.2.43", r.records().get(0).sourceIp(), "tabs trimmed"),
                () -> assertEquals("example.com", r.records().get(0).headerFrom()),
                () -> assertNull(r.records().get(0).envelopeFrom()),
                () -> assertNull(r.records().get(0).spfResults().get(0).scope()),
                () -> assertEquals(AuthResult.PASS, r.records().get(0).spfResults().get(0).result()),
                () -> assertEquals("mail136.suw121.mcsv.net", r.records().get(1).spfResults().get(0).domain()));
    }

    @Test
    void amazonSes() throws Exception {
        AggregateReport r = single("amazonses-octet-stream.eml");
        assertAll(
                () -> assertEquals("0.1", r.header().version()),
                () -> assertNull(r.records().get(0).dkimResults().get(0).selector(), "SES sends no selector"),
                () -> assertEquals("example.org", r.records().get(0).dkimResults().get(0).domain()),
                () -> assertEquals("mail.example.org", r.records().get(0).envelopeFrom()),
                () -> assertEquals(Disposition.REJECT, r.records().get(1).disposition()));
    }

    @Test
    void mailRu() throws Exception {
        AggregateReport r = single("mailru-single-line.eml");
        SpfAuthResult spf = r.records().get(1).spfResults().get(0);
        assertAll(
                () -> assertEquals("http://help.mail.ru/mail-help", r.metadata().extraContactInfo()),
                () -> assertEquals(AuthResult.SOFTFAIL, spf.result()),
                () -> assertEquals("softfail", spf.rawResult()),
                () -> assertEquals("203.0.113.201", r.records().get(1).sourceIp()));
    }

    @Test
    void gmxDmarc2() throws Exception {
        AggregateReport r = single("gmx-dmarc-2.0.xml");
        assertAll(
                () -> assertEquals("urn:ietf:params:xml:ns:dmarc-2.0", r.header().namespace()),
                () -> assertEquals("1.0", r.header().version()),
                () -> assertEquals("psl", r.policy().discoveryMethod()),
                () -> assertEquals("n", r.policy().testing()),
                () -> assertNull(r.policy().pct()),
                () -> assertEquals(DmarcResult.FAIL, r.records().get(1).spf()),
                () -> assertEquals(DmarcResult.PASS, r.records().get(1).dkim()));
    }

    @Test
    void mimecast() throws Exception {
        AggregateReport r = single("mimecast-gzip-body.eml");
        AggregateRecord sendgrid = r.records().get(1);
        assertAll(
                () -> assertEquals(Disposition.NONE, r.policy().p()),
                () -> assertTrue(sendgrid.dkimResults().isEmpty(), "SendGrid signed nothing"),
                () -> assertEquals(DmarcResult.FAIL, sendgrid.dkim()),
                () -> assertEquals("bounces.sendgrid.net", sendgrid.envelopeFrom()));
    }

    @Test
    void openDmarcUnknownResults() throws Exception {
        AggregateReport r = single("opendmarc-style.xml");
        SpfAuthResult spf = r.records().get(1).spfResults().get(0);
        DkimAuthResult dkim = r.records().get(2).dkimResults().get(0);
        assertAll(
                () -> assertEquals(AuthResult.TEMPERROR, spf.result()),
                () -> assertEquals("unknown", spf.rawResult()),
                () -> assertEquals(AuthResult.TEMPERROR, dkim.result()),
                () -> assertEquals("unknown", dkim.rawResult()),
                () -> assertNull(r.records().get(0).dkimResults().get(0).selector()));
    }

    @Test
    void identitiesReadAsIdentifiers() throws Exception {
        AggregateRecord rec = single("quirk-identities.xml").records().get(0);
        assertAll(
                () -> assertEquals("example.com", rec.headerFrom()),
                () -> assertEquals("example.com", rec.envelopeFrom()));
    }

    @Test
    void elementOrderDoesNotMatter() throws Exception {
        AggregateReport r = single("quirk-element-order.xml");
        AggregateRecord first = r.records().get(0);
        assertAll(
                () -> assertEquals(Alignment.STRICT, r.policy().adkim()),
                () -> assertEquals(Disposition.QUARANTINE, r.policy().sp()),
                () -> assertEquals("192.0.2.41", first.sourceIp()),
                () -> assertEquals(10, first.count()),
                () -> assertEquals("example.com", first.headerFrom()),
                () -> assertEquals(List.of(new DkimAuthResult("example.com", "google", AuthResult.PASS, "pass", null)),
                        first.dkimResults()),
                () -> assertEquals(List.of(new SpfAuthResult("example.com", "mfrom", AuthResult.PASS, "pass", null)),
                        first.spfResults()),
                () -> assertEquals("s1", r.records().get(1).dkimResults().get(0).selector()));
    }

    @Test
    void upperCaseWordsAreNormalisedAndKeptRaw() throws Exception {
        AggregateReport r = single("quirk-upper-case-words.xml");
        AggregateRecord pass = r.records().get(0);
        AggregateRecord hard = r.records().get(1);
        AggregateRecord temp = r.records().get(2);
        assertAll(
                () -> assertEquals(Disposition.REJECT, r.policy().p()),
                () -> assertEquals(Disposition.NONE, pass.disposition()),
                () -> assertEquals(DmarcResult.PASS, pass.dkim()),
                () -> assertEquals(DmarcResult.PASS, pass.spf()),
                () -> assertEquals(Disposition.REJECT, hard.disposition()),
                () -> assertEquals(DmarcResult.FAIL, hard.spf()),
                () -> assertEquals(AuthResult.FAIL, hard.spfResults().get(0).result()),
                () -> assertEquals("HardFail", hard.spfResults().get(0).rawResult()),
                () -> assertEquals(AuthResult.PERMERROR, hard.dkimResults().get(0).result()),
                () -> assertEquals("PermError", hard.dkimResults().get(0).rawResult()),
                () -> assertEquals(AuthResult.TEMPERROR, temp.dkimResults().get(0).result()),
                () -> assertEquals(AuthResult.NEUTRAL, temp.dkimResults().get(1).result()),
                () -> assertEquals(AuthResult.SOFTFAIL, temp.spfResults().get(0).result()),
                () -> assertEquals("SoftFail", temp.spfResults().get(0).rawResult()));
    }

    @Test
    void hardfailIsFailWithTheWordKept() throws Exception {
        AggregateReport r = single("quirk-hardfail.xml");
        SpfAuthResult spf = r.records().get(0).spfResults().get(0);
        assertAll(
                () -> assertEquals(AuthResult.FAIL, spf.result()),
                () -> assertEquals("hardfail", spf.rawResult()),
                () -> assertTrue(warned(r, "hardfail"), () -> "warnings: " + r.warnings()));
    }

    @Test
    void unknownIsTemperrorWithTheWordKept() throws Exception {
        AggregateReport r = single("quirk-unknown.xml");
        AggregateRecord rec = r.records().get(0);
        assertAll(
                () -> assertEquals(AuthResult.TEMPERROR, rec.spfResults().get(0).result()),
                () -> assertEquals("unknown", rec.spfResults().get(0).rawResult()),
                () -> assertEquals(AuthResult.PASS, rec.dkimResults().get(0).result()),
                () -> assertEquals(AuthResult.TEMPERROR, rec.dkimResults().get(1).result()),
                () -> assertEquals("unknown", rec.dkimResults().get(1).rawResult()),
                () -> assertTrue(warned(r, "unknown"), () -> "warnings: " + r.warnings()));
    }

    @Test
    void errorAndInvalidArePermerrorWithTheWordKept() throws Exception {
        AggregateReport r = single("quirk-error.xml");
        AggregateRecord rec = r.records().get(0);
        assertAll(
                () -> assertEquals(AuthResult.PERMERROR, rec.spfResults().get(0).result()),
                () -> assertEquals("error", rec.spfResults().get(0).rawResult()),
                () -> assertEquals(AuthResult.PERMERROR, rec.dkimResults().get(0).result()),
                () -> assertEquals("invalid", rec.dkimResults().get(0).rawResult()),
                () -> assertTrue(warned(r, "error"), () -> "warnings: " + r.warnings()));
    }

    @Test
    void emptyElementsAreAbsentValues() throws Exception {
        AggregateReport r = single("quirk-empty-elements.xml");
        AggregateRecord rec = r.records().get(0);
        assertAll(
                () -> assertEquals(Disposition.NONE, r.policy().sp(), "<sp></sp> is absent: sp = p"),
                () -> assertEquals(1, rec.reasons().size()),
                () -> assertNull(rec.reasons().get(0).type(), "empty <type></type>"),
                () -> assertEquals("", rec.reasons().get(0).rawType()),
                () -> assertEquals(1, rec.dkimResults().size(), "the empty <dkim> is kept, not dropped silently"),
                () -> assertEquals("", rec.dkimResults().get(0).domain()),
                () -> assertNull(rec.dkimResults().get(0).result()),
                () -> assertEquals(AuthResult.SOFTFAIL, rec.spfResults().get(0).result()),
                () -> assertFalse(r.warnings().isEmpty(), "the empty values are warned"));
    }

    @Test
    void aspfWithSemicolonIsRelaxed() throws Exception {
        AggregateReport r = single("quirk-aspf-semicolon.xml");
        assertAll(
                () -> assertEquals(Alignment.RELAXED, r.policy().aspf()),
                () -> assertEquals(Alignment.RELAXED, r.policy().adkim()),
                () -> assertTrue(r.warnings().stream().anyMatch(w -> w.toString().contains("aspf")),
                        () -> "a warning names policy_published/aspf: " + r.warnings()));
    }

    @Test
    void missingOptionalFieldsGetTheRfcDefaults() throws Exception {
        AggregateReport r = single("quirk-missing-optional.xml");
        AggregateRecord rec = r.records().get(0);
        assertAll(
                () -> assertNull(r.header().version()),
                () -> assertEquals(Disposition.REJECT, r.policy().p()),
                () -> assertEquals(Disposition.REJECT, r.policy().sp()),
                () -> assertEquals(Disposition.REJECT, r.policy().np()),
                () -> assertEquals(Alignment.RELAXED, r.policy().adkim()),
                () -> assertEquals(Alignment.RELAXED, r.policy().aspf()),
                () -> assertNull(r.policy().pct()),
                () -> assertEquals("0", r.policy().fo()),
                () -> assertEquals("n", r.policy().testing()),
                () -> assertNull(rec.envelopeFrom()),
                () -> assertNull(rec.dkimResults().get(0).selector()),
                () -> assertNull(rec.spfResults().get(0).scope()));
    }

    @Test
    void unescapedAmpersandAndLessThanAreRecoveredAndWarned() throws Exception {
        AggregateReport r = single("quirk-unescaped-org-name.xml");
        assertAll(
                () -> assertEquals("bw-20261124-001", r.metadata().reportId()),
                () -> assertEquals("example.com", r.policy().domain()),
                () -> assertEquals(1795478400, r.metadata().dateRange().begin()),
                () -> assertEquals(1795564799, r.metadata().dateRange().end()),
                () -> assertEquals(8, r.messageCount()),
                () -> assertEquals(1, r.records().size()),
                () -> assertEquals("192.0.2.41", r.records().get(0).sourceIp()),
                () -> assertFalse(r.warnings().isEmpty(), "the malformed XML is warned"));
    }

    /** The org name as the reporter wrote it: recovery keeps the stray '&' and '<Mail>' as text. */
    @Test
    void unescapedOrgNameIsReadAsWritten() throws Exception {
        assertEquals("Black & White <Mail> Ltd", single("quirk-unescaped-org-name.xml").metadata().orgName());
    }

    @Test
    void truncatedEndTagKeepsEveryRecordAndWarns() throws Exception {
        AggregateReport r = single("quirk-truncated-end-tag.xml");
        assertAll(
                () -> assertEquals("203.0.113.186", r.records().get(1).sourceIp()),
                () -> assertFalse(r.warnings().isEmpty(), "the missing '>' is warned"),
                () -> assertFalse(r.partial(), "only the root end tag is cut short: every record is whole"));
    }

    @Test
    void heartbeatRecordHasNoSourceAndNoMessages() throws Exception {
        AggregateRecord rec = single("quirk-heartbeat.xml").records().get(0);
        assertAll(
                () -> assertEquals("", rec.sourceIp()),
                () -> assertEquals(0, rec.count()),
                () -> assertEquals(AuthResult.NONE, rec.spfResults().get(0).result()));
    }

    @Test
    void rfc9990ElementsAndExtensions() throws Exception {
        AggregateReport r = single("quirk-rfc9990-extensions.xml");
        AggregateRecord pass = r.records().get(0);
        AggregateRecord tested = r.records().get(1);
        assertAll(
                () -> assertEquals("urn:ietf:params:xml:ns:dmarc-2.0", r.header().namespace()),
                () -> assertEquals("Receiver DMARC Reporter 4.2.1", r.metadata().generator()),
                () -> assertEquals("https://receiver.example/dmarc", r.metadata().extraContactInfo()),
                () -> assertEquals(Disposition.QUARANTINE, r.policy().sp()),
                () -> assertEquals(Disposition.REJECT, r.policy().np()),
                () -> assertEquals(Alignment.STRICT, r.policy().adkim()),
                () -> assertEquals("treewalk", r.policy().discoveryMethod()),
                () -> assertEquals("y", r.policy().testing()),
                () -> assertEquals(Disposition.PASS, pass.disposition()),
                () -> assertEquals("signature verified", pass.dkimResults().get(0).humanResult()),
                () -> assertEquals("sender IP authorised by ip4:192.0.2.0/24", pass.spfResults().get(0).humanResult()),
                () -> assertNull(pass.spfResults().get(0).scope()),
                () -> assertEquals(List.of(new PolicyOverrideReason(PolicyOverride.POLICY_TEST_MODE, "policy_test_mode",
                        "t=y: reject applied as quarantine")), tested.reasons()),
                () -> assertEquals("helo.spoofer.invalid", tested.spfResults().get(0).domain()),
                () -> assertEquals(1, tested.spfResults().size(), "the record-level extension adds no results"));
    }

    @Test
    void compressedIpv6SourcesAreKeptAsWritten() throws Exception {
        AggregateReport r = single("quirk-ipv6-compressed.xml");
        assertEquals(List.of("2001:db8:4006:80b::1a", "2001:db8::25", "192.0.2.41"),
                r.records().stream().map(AggregateRecord::sourceIp).toList());
    }

    @Test
    void mailingListRecordInTheDigestMail() throws Exception {
        AggregateReport org = Parsing.parse(AGGREGATE.resolve("two-attachments.eml")).stream()
                .map(AggregateReport.class::cast)
                .filter(x -> x.policy().domain().equals("example.org")).findFirst().orElseThrow();
        AggregateRecord list = org.records().get(1);
        assertAll(
                () -> assertEquals(PolicyOverride.MAILING_LIST, list.reasons().get(0).type()),
                () -> assertEquals("list footer broke DKIM", list.reasons().get(0).comment()),
                () -> assertEquals(AuthResult.FAIL, list.dkimResults().get(0).result()),
                () -> assertEquals(AuthResult.PASS, list.dkimResults().get(1).result()));
    }

    /**
     * Every file under sample-reports/ (but the README and the generator script) must be pinned by an
     * assertion: named in this class's tables or in some other test of this module (the failure and TLS
     * samples have their own tests).
     */
    @Test
    void everySampleFileIsCoveredBySomeAssertion() throws IOException {
        Path root = Corpus.sampleReports();
        String otherTests = testSources().stream().map(SampleReportsTest::read).collect(Collectors.joining("\n"));
        List<String> uncovered = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = f.getFileName().toString();
                if (name.equals("README.md") || name.endsWith(".py") || name.endsWith(".sh")) {
                    continue;
                }
                boolean covered = f.getParent().equals(AGGREGATE)
                        ? FACTS.containsKey(name) || ASSERTED_APART.contains(name)
                        : otherTests.contains('"' + name + '"')
                        || otherTests.contains('"' + root.relativize(f).toString() + '"');
                if (!covered) {
                    uncovered.add(root.relativize(f).toString());
                }
            }
        }
        assertEquals(List.of(), uncovered, "sample files that no test asserts facts about");
    }

    @Test
    void everyTabledFileExists() {
        TreeSet<String> missing = new TreeSet<>();
        FACTS.keySet().stream().filter(f -> !Files.isRegularFile(AGGREGATE.resolve(f))).forEach(missing::add);
        assertEquals(new TreeSet<String>(), missing);
    }

    private static AggregateReport single(String file) throws Exception {
        List<Report> reports = Parsing.parse(AGGREGATE.resolve(file));
        assertEquals(1, reports.size(), () -> file + " holds one report: " + reports);
        return (AggregateReport) reports.get(0);
    }

    private static boolean warned(AggregateReport r, String word) {
        return r.warnings().stream().anyMatch(w -> w.toString().contains(word));
    }

    private static List<Path> testSources() throws IOException {
        Path tests = Corpus.repositoryRoot().resolve("parser/src/test/java");
        try (Stream<Path> s = Files.walk(tests)) {
            return s.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !p.getFileName().toString().equals("SampleReportsTest.java"))
                    .toList();
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
