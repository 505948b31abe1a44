package io.dmarclens.parser;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.aggregate.AggregateReport;
import io.dmarclens.parser.aggregate.Alignment;
import io.dmarclens.parser.aggregate.AuthResult;
import io.dmarclens.parser.aggregate.DkimAuthResult;
import io.dmarclens.parser.aggregate.Disposition;
import io.dmarclens.parser.aggregate.PolicyOverride;
import io.dmarclens.parser.aggregate.PolicyOverrideReason;
import io.dmarclens.parser.aggregate.SpfAuthResult;
import io.dmarclens.parser.failure.FailureReport;
import io.dmarclens.parser.failure.OriginalMessage;
import io.dmarclens.parser.tlsrpt.TlsPolicyResult;
import io.dmarclens.parser.tlsrpt.TlsReport;
import io.dmarclens.testkit.Corpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * Concrete facts of EVERY file of {@code ../shared/corpus} (real reports from public projects' test
 * data), read by hand from the files. Skipped when the corpus is absent (a user's machine). The
 * mail-auth {@code .json} files are that project's parse of their neighbour: they are loaded and
 * compared field by field; where they disagree with us, {@link #mailAuthAggregateCrossCheck()} says
 * which reading is right and why.
 */
class CorpusTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** corpus-relative path -> every aggregate report in the file, in report-id order. */
    static final Map<String, List<AggregateFacts>> AGGREGATE = new LinkedHashMap<>();
    /** corpus-relative path -> the checks of its one failure report. */
    static final Map<String, Consumer<FailureReport>> FAILURE = new LinkedHashMap<>();
    /** corpus-relative path -> the facts of its one TLS report. */
    static final Map<String, TlsFacts> TLS = new LinkedHashMap<>();
    /** corpus-relative path -> a word the error message must contain ("" = any clear message). */
    static final Map<String, String> NOT_A_REPORT = new LinkedHashMap<>();

    record TlsFacts(String organizationName, String reportId, String start, String end, int policies,
                    long successfulSessions, long failedSessions) {
        static TlsFacts of(TlsReport r) {
            return new TlsFacts(r.organizationName(), r.reportId(), r.startDatetime().toString(),
                    r.endDatetime().toString(), r.policies().size(),
                    r.policies().stream().mapToLong(TlsPolicyResult::totalSuccessfulSessionCount).sum(),
                    r.policies().stream().mapToLong(TlsPolicyResult::totalFailureSessionCount).sum());
        }
    }

    private static void agg(String path, String reportId, String org, String domain, long begin, long end,
                            int records, long messages) {
        AGGREGATE.put(path, List.of(new AggregateFacts(reportId, org, domain, begin, end, records, messages)));
    }

    static {
        // --- parsedmarc/aggregate
        // org_name is empty: derived from the email domain (administrator@accurateplastics.com).
        agg("parsedmarc/aggregate/!example.com!1538204542!1538463818.xml", "example.com:1538463741",
                "accurateplastics.com", "example.com", 1538413632, 1538413632, 1, 1);
        agg("parsedmarc/aggregate/!large-example.com!1711897200!1711983600.xml", "example.com:1711897200",
                "accurateplastics.com", "example.com", 1711897200, 1711983600, 2286, 2286);
        agg("parsedmarc/aggregate/Report domain- borschow.com Submitter- google.com Report-ID- 949348866075514174.eml",
                "949348866075514174", "google.com", "borschow.com", 1549929600, 1550015999, 1, 1);
        agg("parsedmarc/aggregate/addisonfoods.com!example.com!1536105600!1536191999.xml",
                "3ceb5548498640beaeb47327e202b0b9", "addisonfoods.com", "example.com", 1536105600, 1536191999, 1, 1);
        agg("parsedmarc/aggregate/empty_reason.xml", "20240125141224705995", "example.org", "example.com",
                1706159544, 1706185733, 1, 2);
        agg("parsedmarc/aggregate/estadocuenta1.infonacot.gob.mx!example.com!1536853302!1536939702!2940.xml.zip",
                "2940", "XYZ Corporation", "example.com", 1536853302, 1536939702, 1, 1);
        agg("parsedmarc/aggregate/example.net!example.com!1529366400!1529452799.xml",
                "b043f0e264cf4ea995e93765242f6dfb", "example.net", "example.com", 1529366400, 1529452799, 1, 1);
        agg("parsedmarc/aggregate/fastmail.com!example.com!1516060800!1516147199!102675056.xml.gz", "102675056",
                "FastMail Pty Ltd", "indemed.com", 1516060800, 1516147199, 1, 1);
        agg("parsedmarc/aggregate/ikea.com!example.de!1538690400!1538776800.xml",
                "aggr_report_2018_10_05_5bc7e9b4f3e8a", "ikea.com", "example.de", 1538690400, 1538776800, 1, 1);
        agg("parsedmarc/aggregate/invalid_utf_8.xml", "example.com:1538463741", "accurateplastics.com",
                "example.com", 1538413632, 1538413632, 1, 1);
        agg("parsedmarc/aggregate/invalid_xml.xml", "sonexushealth.com:1530233361", "veeam.com", "example.com",
                1530133200, 1530219600, 1, 1);
        agg("parsedmarc/aggregate/mimecast-weird-gzip.eml",
                "157a5fe30ec76f4bc0d8bccfc96c118a167a1280fee7c7465af5115e73082e5e", "Mimecast", "ab.id.au",
                1693353600, 1693439999, 1, 1);
        agg("parsedmarc/aggregate/old_draft_from_wiki.xml", "9391651994964116463", "acme.com", "example.com",
                1335571200, 1335657599, 1, 2);
        agg("parsedmarc/aggregate/protection.outlook.com!example.com!1711756800!1711843200.xml",
                "cfeafefe4129445e8c81018bd9177197", "Outlook.com", "example.com", 1711756800, 1711843200, 1, 1);
        agg("parsedmarc/aggregate/rfc9990-example.net!example.com!1700000000!1700086399.xml",
                "dmarcbis-test-report-001", "example.net", "example.com", 1700000000, 1700086399, 2, 7);
        agg("parsedmarc/aggregate/rfc9990-sample.xml", "3v98abbp8ya9n3va8yr8oa3ya", "Sample Reporter",
                "example.com", 302832000, 302918399, 1, 123);
        agg("parsedmarc/aggregate/twilight.eml", "1627703331531660819", "google.com", "twlnet.com",
                1549756800, 1549843199, 1, 1);
        agg("parsedmarc/aggregate/usssa.com!example.com!1538784000!1538870399.xml",
                "8953b4d4a4ee4218b6ac0e2cb2667ee1", "usssa.com", "example.com", 1538784000, 1538870399, 2, 2);
        agg("parsedmarc/aggregate/veeam.com!example.com!1530133200!1530219600.xml", "sonexushealth.com:1530233361",
                "veeam.com", "example.com", 1530133200, 1530219600, 1, 1);
        agg("parsedmarc/aggregate/zoho.com!example.com!1581753600!1581840000.xml",
                "e2cb5d97-dcbb-470f-b2dd-45519a2abbb3", "zoho.com", "example.com", 1581753600, 1581840000, 8, 9);
        // org_name is "example.com " with a trailing space: values are trimmed.
        agg("parsedmarc/aggregate_invalid/report_with_upper_cased_pass.xml", "aggr_report_example.com_20191202_1638",
                "example.com", "example.com", 1574955300, 1575304683, 1, 1);
        agg("parsedmarc/extract_report/changed-input.xml", "11038226378739404135", "fred.com", "example.com",
                1718236800, 1718323199, 20, 3047);
        for (String ext : List.of("xml", "xml.gz", "xml.zip")) {
            agg("parsedmarc/extract_report/nice-input." + ext, "11038226378739404135", "google.com", "example.com",
                    1718236800, 1718323199, 20, 3047);
        }
        NOT_A_REPORT.put("parsedmarc/empty.xml", "zero-byte");

        // --- mail-auth/dmarc-feedback (each .json beside is checked in mailAuthAggregateCrossCheck)
        agg("mail-auth/dmarc-feedback/001.xml", "3v98abbp8ya9n3va8yr8oa3ya", "Sample Reporter", "example.com",
                161212415, 161221511, 1, 123);
        agg("mail-auth/dmarc-feedback/002.xml", "2122885654478337555", "google.com", "example.org",
                1661558400, 1661644799, 1, 2);
        agg("mail-auth/dmarc-feedback/003.xml", "758848224", "Fastmail Pty Ltd", "stalw.art",
                1667347200, 1667433599, 4, 9);
        agg("mail-auth/dmarc-feedback/004.xml", "3v98abbp8ya9n3va8yr8oa3ya", "Sample Reporter", "example.com",
                302832000, 302918399, 1, 123);
        agg("mail-auth/dmarc-feedback/005.xml", "legacy-1", "Legacy Reporter", "example.com", 100, 200, 1, 1);
        agg("mail-auth/dmarc-feedback/100.eml", "5264580628977113351", "google.com", "stalw.art",
                1669507200, 1669593599, 1, 1);
        // org_name is written "&quot;backschues.NET": the entity is decoded, the stray quote kept.
        agg("mail-auth/dmarc-feedback/101.eml", "stalw.art.1667948400.1668034800", "\"backschues.NET", "stalw.art",
                1667948400, 1668034800, 1, 1);
        agg("mail-auth/dmarc-feedback/102.eml", "28551467700969547611667865600", "Mail.Ru", "stalw.art",
                1667865600, 1667952000, 1, 1);
        agg("mail-auth/dmarc-feedback/103.eml", "725cbfbe133940149987cfc528387235", "Outlook.com", "stalw.art",
                1666483200, 1666569600, 1, 1);
        agg("mail-auth/dmarc-feedback/104.eml", "6b06c366-0631-4ca0-8337-f5aecf137918", "AMAZON-SES", "stalw.art",
                1663545600, 1663632000, 1, 1);

        // --- dmarc-report-viewer/dmarc-reports
        String drv = "dmarc-report-viewer/dmarc-reports/";
        agg(drv + "acme.xml", "9391651994964116463", "acme.com", "example.com", 1335571200, 1335657599, 1, 2);
        agg(drv + "aol.xml", "website.com_1504828800", "AOL", "website.com", 1504742400, 1504828800, 1, 1);
        agg(drv + "gmxnet.xml", "6d2be94cbabf4e838a3cf58fb4a42ab5", "GMX", "myserver.com", 1733184000, 1733270399, 1, 1);
        agg(drv + "google.xml", "3166094538684628578", "google.com", "foo-bar.io", 1709683200, 1709769599, 1, 1);
        agg(drv + "hardfail.xml", "abcdef", "reporting org", "mydomain.org", 1727049600, 1727135999, 1, 1);
        agg(drv + "invalid_casing.xml", "abcdef", "reporting org", "mydomain.org", 1727049600, 1727135999, 1, 1);
        agg(drv + "mailru.xml", "28327321193681154911721360800", "Mail.Ru", "foobar.de", 1721260800, 1721347200, 1, 1);
        agg(drv + "outlook.xml", "a4f4ef0654474d3faa5dca167a34a86a", "Outlook.com", "random.net",
                1709683200, 1709769600, 2, 3);
        agg(drv + "solamora.xml", "9391651994964116463", "solarmora.com", "bix-business.com",
                1335571200, 1335657599, 1, 2);
        agg(drv + "webde.xml", "a3345c7cb5fd4f26aa62144bf449a54b", "WEB.DE", "foobar.com", 1722816000, 1722902399, 1, 1);
        agg(drv + "yahoo.xml", "1709600619.487850", "Yahoo", "random.org", 1709510400, 1709596799, 1, 1);

        // --- ietf
        agg("ietf/dmarc-2.0-sample-draft32.xml", "3v98abbp8ya9n3va8yr8oa3ya", "Sample Reporter", "example.com",
                302832000, 302918399, 1, 123);
        for (String xsd : List.of("dmarc-2.0-aggregate-draft32.xsd", "dmarc-org-rua-0.1.lukpueh-copy.xsd",
                "rfc7489-appendix-c.no-namespace.xsd", "rfc7489-appendix-c.verbatim-wrapped.xsd",
                "rfc7489-appendix-c.xsd")) {
            NOT_A_REPORT.put("ietf/" + xsd, "");
        }
        NOT_A_REPORT.put("README.md", "");

        // --- SMTP TLS reports
        String str = "dmarc-report-viewer/smtp-tls-reports/";
        TLS.put(str + "google.json", new TlsFacts("Google Inc.", "2025-05-22T00:00:00Z_foo-bar.io",
                "2025-05-22T00:00:00Z", "2025-05-22T23:59:59Z", 1, 1, 0));
        TLS.put(str + "microsoft.json", new TlsFacts("Microsoft Corporation", "133925885310113267+random.net",
                "2025-05-23T00:00:00Z", "2025-05-23T23:59:59Z", 2, 4, 0));
        TLS.put(str + "no-contact.json", new TlsFacts("server.com", "123_456",
                "2026-01-11T00:00:00Z", "2026-01-12T00:00:00Z", 1, 1, 0));
        TLS.put(str + "no-policy.json", new TlsFacts("Google Inc.", "2025-03-27T00:00:00Z_foo-bar.io",
                "2025-03-27T00:00:00Z", "2025-03-27T23:59:59Z", 1, 1, 0));
        TLS.put(str + "no_ip_and_mx.json", new TlsFacts("Microsoft Corporation", "1234567890+",
                "2025-06-14T00:00:00Z", "2025-06-14T23:59:59Z", 1, 0, 3));
        TlsFacts rfcExample = new TlsFacts("Company-X", "5065427c-23d3-47ca-b6e0-946ea0e8c4be",
                "2016-04-01T00:00:00Z", "2016-04-01T23:59:59Z", 1, 5326, 303);
        TLS.put(str + "rfc-example.json", rfcExample);
        TLS.put("mail-auth/tlsrpt/rpt01.eml", rfcExample);
        TLS.put("mail-auth/tlsrpt/rpt01.json", rfcExample);
        TlsFacts google2020 = new TlsFacts("Google Inc.", "2020-01-01T00:00:00Z_example.com",
                "2020-01-01T00:00:00Z", "2020-01-07T23:59:59Z", 1, 23, 1);
        TLS.put("mail-auth/tlsrpt/rpt02.eml", google2020);
        TLS.put("mail-auth/tlsrpt/rpt02.json", google2020);
        // total-failure-session-count is missing in both policies: 0.
        TLS.put("mail-auth/tlsrpt/rpt03.json", new TlsFacts("Google Inc.", "2019-04-14T00:00:00Z_example.org",
                "2019-04-14T00:00:00Z", "2019-04-14T23:59:59Z", 2, 2, 0));

        // --- ARF failure (and abuse) reports; each .json beside is checked in mailAuthArfCrossCheck
        FAILURE.put("mail-auth/arf/001.eml", f -> assertAll(
                () -> assertEquals("arf", f.format()),
                () -> assertEquals("abuse", f.feedbackType()),
                () -> assertEquals("SomeGenerator/1.0", f.userAgent()),
                () -> assertEquals("1", f.version()),
                () -> assertNull(f.sourceIp()),
                () -> assertNull(f.arrivalDate()),
                () -> assertEquals(List.of(), f.reportedDomain()),
                () -> assertEquals(1, f.incidents()),
                () -> assertNotNull(f.original()),
                () -> assertFalse(f.original().headersOnly()),
                () -> assertEquals("Earn money", f.original().subject())));
        FAILURE.put("mail-auth/arf/002.eml", f -> assertAll(
                () -> assertEquals("abuse", f.feedbackType()),
                () -> assertEquals("<somespammer@example.net>", f.originalMailFrom()),
                () -> assertEquals(List.of("<user@example.com>"), f.originalRcptTo()),
                // Thu, 8 Mar 2005 14:00:00 EDT = 18:00 UTC
                () -> assertEquals(Instant.ofEpochSecond(1110304800), f.arrivalDate()),
                () -> assertEquals("mail.example.com", f.reportingMta(), "'dns;' prefix removed"),
                () -> assertEquals("192.0.2.1", f.sourceIp()),
                () -> assertEquals(List.of("example.net"), f.reportedDomain()),
                () -> assertEquals(List.of("http://example.net/earn_money.html", "mailto:user@example.com"),
                        f.fields().get("reported-uri")),
                () -> assertEquals(List.of("user@example.com"), f.fields().get("removal-recipient"),
                        "unknown fields are kept"),
                () -> assertEquals(1, f.authenticationResults().size()),
                () -> assertTrue(f.authenticationResults().get(0).contains("spf=fail")),
                // The embedded message has an empty line after its Received header, so by RFC 5322
                // To, Subject, Message-ID and Date are body lines: only From and Received are headers.
                () -> assertNull(f.original().subject()),
                () -> assertEquals(2, f.original().headers().size())));
        FAILURE.put("mail-auth/arf/003.eml", f -> assertAll(
                () -> assertEquals("auth-failure", f.feedbackType()),
                () -> assertEquals("SomeDKIMFilter/1.0", f.userAgent()),
                () -> assertEquals("<randomuser@example.net>", f.originalMailFrom()),
                // Received-Date (the historic alias of Arrival-Date): Wed, 14 Apr 2010 12:15:31 -0700
                () -> assertEquals(Instant.ofEpochSecond(1271272531), f.arrivalDate()),
                () -> assertEquals("192.0.2.1", f.sourceIp()),
                () -> assertEquals(List.of("example.net"), f.reportedDomain()),
                () -> assertEquals("example.net", f.dkimDomain()),
                () -> assertEquals(List.of("bodyhash"), f.authFailure()),
                () -> assertEquals("This is a test", f.original().subject()),
                () -> assertEquals(List.of(new OriginalMessage.DkimSignatureRef("example.net", "testkey")),
                        f.original().dkimSignatures()),
                () -> assertFalse(f.original().headersOnly())));
        FAILURE.put("mail-auth/arf/004.eml", f -> assertAll(
                () -> assertEquals("auth-failure", f.feedbackType()),
                () -> assertEquals("OpenDMARC-Filter/1.3.2", f.userAgent()),
                () -> assertEquals(List.of("dmarc"), f.authFailure()),
                () -> assertEquals("148.163.85.135", f.sourceIp(), "the host name after the address is dropped"),
                () -> assertEquals("info@interpublication.org", f.originalMailFrom()),
                () -> assertEquals(List.of("interpublication.org"), f.reportedDomain()),
                () -> assertEquals(List.of("box.mydomain.name; dmarc=fail header.from=interpublication.org"),
                        f.authenticationResults()),
                () -> assertEquals(List.of("8BE2660E72"), f.fields().get("original-envelope-id")),
                () -> assertNull(f.arrivalDate()),
                () -> assertTrue(f.original().headersOnly(), "text/rfc822-headers"),
                () -> assertEquals("Wir kaufen dein Auto!", f.original().subject()),
                () -> assertEquals(List.of(new OriginalMessage.DkimSignatureRef("interpublication.org", "default")),
                        f.original().dkimSignatures()),
                () -> assertEquals(1, f.original().authenticationResults().size())));
        FAILURE.put("mail-auth/arf/005.eml", f -> assertAll(
                () -> assertEquals("auth-failure", f.feedbackType()),
                () -> assertEquals("Someisp!Mail-Feedback/1.0", f.userAgent()),
                () -> assertEquals(List.of("bodyhash"), f.authFailure()),
                () -> assertEquals("sender.example", f.dkimDomain()),
                () -> assertEquals("@sender.example", f.dkimIdentity()),
                () -> assertEquals("testkey", f.dkimSelector()),
                // Arrival-Date: 8 Oct 2011 20:15:58 +0000 (no day name)
                () -> assertEquals(Instant.ofEpochSecond(1318104958), f.arrivalDate()),
                () -> assertEquals("192.0.2.1", f.sourceIp()),
                () -> assertEquals(List.of("a.sender.example"), f.reportedDomain()),
                () -> assertEquals("anexample.reply@a.sender.example", f.originalMailFrom()),
                () -> assertTrue(f.original().headersOnly()),
                () -> assertEquals("You have a new bill from your bank", f.original().subject()),
                () -> assertEquals(List.of(new OriginalMessage.DkimSignatureRef("sender.example", "testkey")),
                        f.original().dkimSignatures())));
    }

    @TestFactory
    Stream<DynamicTest> everyCorpusFileHasItsFacts() throws IOException {
        Path corpus = Corpus.sharedCorpusOrSkip();
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.walk(corpus)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String rel = corpus.relativize(file).toString().replace('\\', '/');
                tests.add(dynamicTest(rel, () -> checkFile(file, rel)));
            }
        }
        return tests.stream();
    }

    private static void checkFile(Path file, String rel) throws Exception {
        if (AGGREGATE.containsKey(rel)) {
            assertEquals(AGGREGATE.get(rel), AggregateFacts.ofAll(Parsing.parse(file)));
        } else if (TLS.containsKey(rel)) {
            List<Report> reports = Parsing.parse(file);
            assertEquals(1, reports.size(), () -> "reports: " + reports);
            assertEquals(TLS.get(rel), TlsFacts.of((TlsReport) reports.get(0)));
        } else if (FAILURE.containsKey(rel)) {
            List<Report> reports = Parsing.parse(file);
            assertEquals(1, reports.size(), () -> "reports: " + reports);
            FAILURE.get(rel).accept((FailureReport) reports.get(0));
        } else if (NOT_A_REPORT.containsKey(rel)) {
            ReportParseException e = assertThrows(ReportParseException.class, () -> Parsing.parse(file));
            assertNotNull(e.getMessage());
            assertFalse(e.getMessage().isBlank(), "the error says what is wrong");
            assertTrue(e.getMessage().contains(NOT_A_REPORT.get(rel)), e.getMessage());
        } else if (isMailAuthReading(rel)) {
            assertTrue(Files.isRegularFile(readingSubject(file)), "the file mail-auth read is beside it");
        } else {
            fail("no facts written down for corpus file " + rel + ": read it and add them to CorpusTest");
        }
    }

    /** The .json files of mail-auth's dmarc-feedback and arf folders are its parse of the file beside. */
    private static boolean isMailAuthReading(String rel) {
        return rel.endsWith(".json")
                && (rel.startsWith("mail-auth/dmarc-feedback/") || rel.startsWith("mail-auth/arf/"));
    }

    private static Path readingSubject(Path json) {
        String base = json.getFileName().toString().replaceFirst("\\.json$", "");
        Path xml = json.resolveSibling(base + ".xml");
        return Files.isRegularFile(xml) ? xml : json.resolveSibling(base + ".eml");
    }

    // ------------------------------------------------------------------------------------------------
    // mail-auth cross-checks

    /**
     * Compares our reading of each mail-auth aggregate sample with mail-auth's. Its JSON spells enums in
     * PascalCase ("Pass", "MailFrom", "TrustedForwarder") and writes "" or "Unspecified" for absent
     * values; those are translated first. Where the two then disagree, we assert our value:
     * <ul>
     * <li>absent {@code adkim}/{@code aspf} (001, 003, 004): mail-auth says "Unspecified", we say relaxed,
     *     the default of RFC 7489 section 6.3 and RFC 9989;</li>
     * <li>absent {@code fo}: mail-auth null, we "0", the RFC 7489 default;</li>
     * <li>absent {@code version}: mail-auth 0.0, we null (no version was written);</li>
     * <li>005's reason type {@code sampled_out}: mail-auth "Other", we SAMPLED_OUT. {@code sampled_out} is a
     *     PolicyOverrideType of RFC 7489 (removed only in RFC 9990), so the reporter's word is valid
     *     and must not be lost.</li>
     * </ul>
     */
    @TestFactory
    Stream<DynamicTest> mailAuthAggregateCrossCheck() throws IOException {
        Path dir = Corpus.sharedCorpusOrSkip().resolve("mail-auth/dmarc-feedback");
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream()
                    .map(json -> dynamicTest(json.getFileName().toString(), () -> {
                        List<Report> reports = Parsing.parse(readingSubject(json));
                        assertEquals(1, reports.size());
                        compareAggregate(JSON.readTree(json.toFile()), (AggregateReport) reports.get(0),
                                json.getFileName().toString());
                    }));
        }
    }

    private static void compareAggregate(JsonNode theirs, AggregateReport ours, String name) {
        List<Executable> checks = new ArrayList<>();
        JsonNode meta = theirs.get("report_metadata");
        checks.add(() -> assertEquals(text(meta, "report_id"), ours.metadata().reportId()));
        checks.add(() -> assertEquals(text(meta, "org_name"), ours.metadata().orgName()));
        checks.add(() -> assertEquals(text(meta, "email"), ours.metadata().email()));
        checks.add(() -> assertEquals(text(meta, "extra_contact_info"), ours.metadata().extraContactInfo()));
        checks.add(() -> assertEquals(meta.get("date_range").get("begin").asLong(), ours.metadata().dateRange().begin()));
        checks.add(() -> assertEquals(meta.get("date_range").get("end").asLong(), ours.metadata().dateRange().end()));
        if (meta.hasNonNull("generator")) {
            checks.add(() -> assertEquals(text(meta, "generator"), ours.metadata().generator()));
        }
        if (theirs.get("version").asDouble() == 0.0) {
            checks.add(() -> assertNull(ours.header().version(), "no <version> written; mail-auth says 0.0"));
        } else {
            checks.add(() -> assertEquals(theirs.get("version").asDouble(), Double.parseDouble(ours.header().version())));
        }
        JsonNode pol = theirs.get("policy_published");
        checks.add(() -> assertEquals(text(pol, "domain"), ours.policy().domain()));
        checks.add(() -> assertEquals(token(pol, "p"), tokenOf(ours.policy().p())));
        checks.add(() -> assertEquals(token(pol, "sp"), tokenOf(ours.policy().sp())));
        if (pol.has("np") && !"Unspecified".equals(pol.get("np").asText())) {
            checks.add(() -> assertEquals(token(pol, "np"), tokenOf(ours.policy().np())));
        }
        // "Unspecified" = not written: the RFC default is relaxed (see the Javadoc above).
        checks.add(() -> assertEquals(alignment(pol, "adkim"), ours.policy().adkim()));
        checks.add(() -> assertEquals(alignment(pol, "aspf"), ours.policy().aspf()));
        checks.add(() -> assertEquals(pol.get("testing").asBoolean() ? "y" : "n", ours.policy().testing()));
        checks.add(() -> assertEquals(pol.hasNonNull("fo") ? pol.get("fo").asText() : "0", ours.policy().fo()));
        if (pol.has("discovery_method") && !"Unspecified".equals(pol.get("discovery_method").asText())) {
            checks.add(() -> assertEquals(token(pol, "discovery_method"), ours.policy().discoveryMethod()));
        }
        JsonNode records = theirs.get("record");
        checks.add(() -> assertEquals(records.size(), ours.records().size()));
        for (int i = 0; i < Math.min(records.size(), ours.records().size()); i++) {
            compareRecord(records.get(i), ours.records().get(i), name, checks);
        }
        assertAll(name, checks);
    }

    private static void compareRecord(JsonNode theirs, AggregateRecord ours, String name, List<Executable> checks) {
        JsonNode row = theirs.get("row");
        JsonNode eval = row.get("policy_evaluated");
        JsonNode ids = theirs.get("identifiers");
        String at = "record " + ours.index() + ": ";
        checks.add(() -> assertEquals(text(row, "source_ip"), ours.sourceIp(), at + "source_ip"));
        checks.add(() -> assertEquals(row.get("count").asLong(), ours.count(), at + "count"));
        checks.add(() -> assertEquals(token(eval, "disposition"), tokenOf(ours.disposition()), at + "disposition"));
        checks.add(() -> assertEquals(token(eval, "dkim"), ours.dkim().token(), at + "dkim"));
        checks.add(() -> assertEquals(token(eval, "spf"), ours.spf().token(), at + "spf"));
        List<String> theirReasons = new ArrayList<>();
        eval.get("reason").forEach(r -> theirReasons.add(snake(r.get("type_").asText()) + "|" + text(r, "comment")));
        List<String> ourReasons = ours.reasons().stream()
                .map(r -> (r.type() == null ? r.rawType() : r.type().token()) + "|" + r.comment()).toList();
        if (name.equals("005.json")) {
            // mail-auth reads sampled_out as Other; RFC 7489 defines sampled_out, so ours is right.
            checks.add(() -> assertEquals(List.of("other|legacy sampling"), theirReasons));
            checks.add(() -> assertEquals(List.of(new PolicyOverrideReason(PolicyOverride.SAMPLED_OUT, "sampled_out",
                    "legacy sampling")), ours.reasons()));
        } else {
            checks.add(() -> assertEquals(theirReasons, ourReasons, at + "reasons"));
        }
        checks.add(() -> assertEquals(text(ids, "header_from"), ours.headerFrom(), at + "header_from"));
        // mail-auth writes "" for a missing envelope_from; we keep null (absent) apart from "" (written empty).
        checks.add(() -> assertEquals(emptyToNull(text(ids, "envelope_from")), emptyToNull(ours.envelopeFrom()),
                at + "envelope_from"));
        checks.add(() -> assertEquals(text(ids, "envelope_to"), ours.envelopeTo(), at + "envelope_to"));
        List<String> theirDkim = new ArrayList<>();
        theirs.get("auth_results").get("dkim").forEach(d -> theirDkim.add(text(d, "domain") + "|"
                + emptyToNull(text(d, "selector")) + "|" + token(d, "result")));
        List<String> ourDkim = ours.dkimResults().stream()
                .map(d -> d.domain() + "|" + d.selector() + "|" + tokenOf(d.result())).toList();
        checks.add(() -> assertEquals(theirDkim, ourDkim, at + "dkim results (duplicates kept as written)"));
        List<String> theirSpf = new ArrayList<>();
        theirs.get("auth_results").get("spf").forEach(s -> theirSpf.add(text(s, "domain") + "|"
                + scope(s.get("scope").asText()) + "|" + token(s, "result")));
        List<String> ourSpf = ours.spfResults().stream()
                .map(s -> s.domain() + "|" + s.scope() + "|" + tokenOf(s.result())).toList();
        checks.add(() -> assertEquals(theirSpf, ourSpf, at + "spf results"));
    }

    /**
     * Compares our ARF reading with mail-auth's. Disagreements, ours asserted:
     * <ul>
     * <li>{@code original_mail_from}: same text; mail-auth also keeps the angle brackets;</li>
     * <li>absent Auth-Failure / Delivery-Result / Identity-Alignment: mail-auth "Unspecified", ours empty
     *     or null (nothing was written);</li>
     * <li>mail-auth's {@code original_rcpt_to} is one string; the field may repeat (RFC 5965), ours is a list.</li>
     * </ul>
     */
    @TestFactory
    Stream<DynamicTest> mailAuthArfCrossCheck() throws IOException {
        Path dir = Corpus.sharedCorpusOrSkip().resolve("mail-auth/arf");
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream()
                    .map(json -> dynamicTest(json.getFileName().toString(), () -> {
                        JsonNode t = JSON.readTree(json.toFile());
                        List<Report> reports = Parsing.parse(readingSubject(json));
                        assertEquals(1, reports.size());
                        FailureReport f = (FailureReport) reports.get(0);
                        assertAll(json.getFileName().toString(),
                                () -> assertEquals(snake(t.get("feedback_type").asText()).replace('_', '-'),
                                        f.feedbackType()),
                                () -> assertEquals(text(t, "user_agent"), f.userAgent()),
                                () -> assertEquals(t.get("version").asText(), f.version()),
                                () -> assertEquals(text(t, "source_ip"), f.sourceIp()),
                                () -> assertEquals(text(t, "reporting_mta"), f.reportingMta()),
                                () -> assertEquals(text(t, "original_mail_from"), f.originalMailFrom()),
                                () -> assertEquals(t.hasNonNull("original_rcpt_to")
                                        ? List.of(t.get("original_rcpt_to").asText()) : List.of(), f.originalRcptTo()),
                                () -> assertEquals(strings(t.get("reported_domain")), f.reportedDomain()),
                                () -> assertEquals(t.get("incidents").asInt(), f.incidents()),
                                () -> assertEquals(t.hasNonNull("arrival_date")
                                        ? Instant.ofEpochSecond(t.get("arrival_date").asLong()) : null, f.arrivalDate()),
                                () -> assertEquals("Unspecified".equals(t.get("auth_failure").asText())
                                        ? List.of() : List.of(t.get("auth_failure").asText().toLowerCase(Locale.ROOT)),
                                        f.authFailure()),
                                () -> assertEquals(text(t, "dkim_domain"), f.dkimDomain()),
                                () -> assertEquals(text(t, "dkim_selector"), f.dkimSelector()),
                                () -> assertEquals(text(t, "dkim_identity"), f.dkimIdentity()),
                                () -> assertEquals(t.get("authentication_results").size(),
                                        f.authenticationResults().size()),
                                () -> assertEquals(strings(t.get("reported_uri")),
                                        Objects.requireNonNullElse(f.fields().get("reported-uri"), List.of())));
                    }));
        }
    }

    // ------------------------------------------------------------------------------------------------
    // quirks of particular corpus files

    @Test
    void mimecastGzipBodyWithTrailingBytes() throws Exception {
        AggregateReport r = corpusAggregate("parsedmarc/aggregate/mimecast-weird-gzip.eml");
        assertAll(
                () -> assertEquals(Disposition.REJECT, r.policy().p()),
                () -> assertEquals(Disposition.NONE, r.policy().sp()),
                () -> assertEquals("40.93.199.22", r.records().get(0).sourceIp()),
                () -> assertEquals("selector1", r.records().get(0).dkimResults().get(0).selector()));
    }

    @Test
    void ikeaStraySchemaElement() throws Exception {
        AggregateReport r = corpusAggregate("parsedmarc/aggregate/ikea.com!example.de!1538690400!1538776800.xml");
        AggregateRecord rec = r.records().get(0);
        assertAll(
                () -> assertEquals("234.234.234.234", rec.sourceIp()),
                () -> assertEquals("helo", rec.spfResults().get(0).scope()),
                () -> assertEquals("mailrelay.com", rec.spfResults().get(0).domain()),
                () -> assertEquals(AuthResult.NONE, rec.spfResults().get(0).result()));
    }

    @Test
    void invalidXmlIsRecoveredAndWarned() throws Exception {
        AggregateReport r = corpusAggregate("parsedmarc/aggregate/invalid_xml.xml");
        assertAll(
                () -> assertEquals("199.230.200.36", r.records().get(0).sourceIp()),
                () -> assertEquals("bad<xml.net", r.records().get(0).headerFrom(), "the stray '<' is text"),
                () -> assertFalse(r.warnings().isEmpty()));
    }

    @Test
    void invalidUtf8ByteIsWarned() throws Exception {
        AggregateReport r = corpusAggregate("parsedmarc/aggregate/invalid_utf_8.xml");
        assertAll(
                () -> assertTrue(r.records().get(0).headerFrom().startsWith("bad_byte"), r.records().get(0).headerFrom()),
                () -> assertEquals(9, r.records().get(0).headerFrom().length(), "one character for the 0x91 byte"),
                () -> assertFalse(r.warnings().isEmpty()));
    }

    @Test
    void upperCasedPassIsNormalised() throws Exception {
        AggregateReport r = corpusAggregate("parsedmarc/aggregate_invalid/report_with_upper_cased_pass.xml");
        AggregateRecord rec = r.records().get(0);
        assertAll(
                () -> assertEquals(Disposition.NONE, rec.disposition()),
                () -> assertEquals("pass", rec.dkim().token()),
                () -> assertEquals(AuthResult.PASS, rec.dkimResults().get(0).result()),
                () -> assertEquals("Pass", rec.dkimResults().get(0).rawResult()),
                () -> assertEquals("verify result: all signatures verified", rec.dkimResults().get(0).humanResult()),
                () -> assertEquals(Disposition.REJECT, r.policy().sp(), "sp absent: defaults to p"));
    }

    @Test
    void invalidCasingEverySpfWord() throws Exception {
        AggregateReport r = corpusAggregate("dmarc-report-viewer/dmarc-reports/invalid_casing.xml");
        AggregateRecord rec = r.records().get(0);
        assertAll(
                () -> assertEquals(List.of(AuthResult.NONE, AuthResult.NEUTRAL, AuthResult.PASS, AuthResult.FAIL,
                        AuthResult.FAIL, AuthResult.SOFTFAIL, AuthResult.TEMPERROR, AuthResult.PERMERROR),
                        rec.spfResults().stream().map(SpfAuthResult::result).toList()),
                () -> assertEquals(List.of("None", "Neutral", "Pass", "Fail", "HardFail", "SoftFail", "TempError",
                        "PermError"), rec.spfResults().stream().map(SpfAuthResult::rawResult).toList()),
                () -> assertEquals(1, rec.dkimResults().size()),
                () -> assertEquals("", rec.dkimResults().get(0).domain(), "<domain></domain>"),
                () -> assertEquals(AuthResult.FAIL, rec.dkimResults().get(0).result()));
    }

    @Test
    void hardfailWordIsKept() throws Exception {
        AggregateReport r = corpusAggregate("dmarc-report-viewer/dmarc-reports/hardfail.xml");
        SpfAuthResult spf = r.records().get(0).spfResults().get(0);
        assertAll(
                () -> assertEquals(AuthResult.FAIL, spf.result()),
                () -> assertEquals("hardfail", spf.rawResult()));
    }

    @Test
    void emptyReasonType() throws Exception {
        AggregateRecord rec = corpusAggregate("parsedmarc/aggregate/empty_reason.xml").records().get(0);
        assertAll(
                () -> assertEquals(1, rec.reasons().size()),
                () -> assertNull(rec.reasons().get(0).type()),
                () -> assertEquals("example.net", rec.envelopeTo()),
                () -> assertEquals("2048-bit key", rec.dkimResults().get(0).humanResult()));
    }

    @Test
    void dmarc2NamespaceFromWebDe() throws Exception {
        AggregateReport r = corpusAggregate("dmarc-report-viewer/dmarc-reports/webde.xml");
        assertAll(
                () -> assertEquals("urn:ietf:params:xml:ns:dmarc-2.0", r.header().namespace()),
                () -> assertEquals(Disposition.NONE, r.policy().sp()));
    }

    @Test
    void rfc9990SampleReadsEveryNewField() throws Exception {
        AggregateReport r = corpusAggregate("ietf/dmarc-2.0-sample-draft32.xml");
        DkimAuthResult dkim = r.records().get(0).dkimResults().get(0);
        assertAll(
                () -> assertEquals("Example DMARC Aggregate Reporter v1.2", r.metadata().generator()),
                () -> assertEquals(Disposition.NONE, r.policy().np()),
                () -> assertEquals("treewalk", r.policy().discoveryMethod()),
                () -> assertEquals(Disposition.PASS, r.records().get(0).disposition()),
                () -> assertEquals("abc123", dkim.selector()),
                () -> assertEquals(Alignment.RELAXED, r.policy().adkim()));
    }

    private static AggregateReport corpusAggregate(String rel) throws Exception {
        List<Report> reports = Parsing.parse(Corpus.sharedCorpusOrSkip().resolve(rel));
        assertEquals(1, reports.size());
        return (AggregateReport) reports.get(0);
    }

    // ------------------------------------------------------------------------------------------------
    // mail-auth JSON spelling -> RFC tokens

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** "TempError" -> "temperror", "None" -> "none" (the RFC tokens have no separators). */
    private static String token(JsonNode node, String field) {
        String v = text(node, field);
        return v == null ? null : v.toLowerCase(Locale.ROOT);
    }

    /** "TrustedForwarder" -> "trusted_forwarder", "AuthFailure" -> "auth_failure". */
    private static String snake(String pascal) {
        return pascal.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    private static String scope(String mailAuth) {
        return switch (mailAuth) {
            case "MailFrom" -> "mfrom";
            case "Helo" -> "helo";
            default -> null;
        };
    }

    private static Alignment alignment(JsonNode pol, String field) {
        return "Strict".equals(text(pol, field)) ? Alignment.STRICT : Alignment.RELAXED;
    }

    private static String tokenOf(Disposition d) {
        return d == null ? null : d.token();
    }

    private static String tokenOf(AuthResult r) {
        return r == null ? null : r.token();
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) {
            array.forEach(n -> out.add(n.asText()));
        }
        return out;
    }
}
