package io.dmarclens.parser.failure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmarclens.parser.ParserLimits;
import io.dmarclens.parser.ReportParser;
import io.dmarclens.parser.ReportSource;
import io.dmarclens.testkit.Corpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The ARF samples of stalwartlabs/mail-auth ({@code ../shared/corpus/mail-auth/arf/*.eml}), each
 * compared field by field with that project's own reading (the {@code .json} beside it). Where the two
 * readings differ by design, the comparison says why ours is what it is. Skipped when the corpus is absent.
 */
class FailureCorpusTest {
    private final FailureReportParser parser = new FailureReportParser(ParserLimits.DEFAULT);
    private final ObjectMapper mapper = new ObjectMapper();

    private static List<Path> arfMails() throws Exception {
        Path dir = Corpus.sharedCorpusOrSkip().resolve("mail-auth/arf");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(dir), "mail-auth/arf is absent: skipped");
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".eml")).sorted().toList();
        }
    }

    private FailureReport parse(Path mail) throws Exception {
        return parser.parseArf(ReportSource.of(mail.getFileName().toString()), Files.readAllBytes(mail));
    }

    @TestFactory
    Stream<DynamicTest> everyMailMatchesMailAuthsReading() throws Exception {
        List<Path> mails = arfMails();
        assertEquals(5, mails.size(), "mail-auth ships five ARF samples");
        return mails.stream().map(mail -> DynamicTest.dynamicTest(mail.getFileName().toString(), () -> {
            FailureReport r = parse(mail);
            JsonNode expected = mapper.readTree(mail.resolveSibling(mail.getFileName().toString().replace(".eml", ".json")).toFile());
            assertEquals("arf", r.format());
            // mail-auth names enum values in CamelCase (AuthFailure, Abuse); the field's words are auth-failure, abuse.
            assertEquals(kebab(expected.get("feedback_type").asText()), r.feedbackType());
            assertEquals(expected.get("user_agent").asText(), r.userAgent());
            // mail-auth reads Version as a number; we keep the text, which is "1" in all five.
            assertEquals(expected.get("version").asText(), r.version());
            assertEquals(epoch(expected.get("arrival_date")), r.arrivalDate());
            assertEquals(text(expected.get("source_ip")), r.sourceIp());
            assertEquals(text(expected.get("reporting_mta")), r.reportingMta());
            assertEquals(text(expected.get("original_mail_from")), r.originalMailFrom());
            // mail-auth keeps one Original-Rcpt-To; the field may repeat (RFC 5965), so ours is a list.
            JsonNode rcpt = expected.get("original_rcpt_to");
            assertEquals(rcpt.isNull() ? List.of() : List.of(rcpt.asText()), r.originalRcptTo());
            assertEquals(strings(expected.get("reported_domain")), r.reportedDomain());
            assertEquals(strings(expected.get("reported_uri")), r.fields().getOrDefault("reported-uri", List.of()));
            assertEquals(text(expected.get("original_envelope_id")),
                    r.fields().containsKey("original-envelope-id") ? r.fields().get("original-envelope-id").get(0) : null);
            assertEquals(expected.get("incidents").asInt(), r.incidents());
            assertEquals(text(expected.get("dkim_domain")), r.dkimDomain());
            assertEquals(text(expected.get("dkim_selector")), r.dkimSelector());
            assertEquals(text(expected.get("dkim_identity")), r.dkimIdentity());
            assertEquals(text(expected.get("spf_dns")), r.spfDns());
            // Folded values: mail-auth keeps the line breaks, we unfold (RFC 5322 2.2.3); same words.
            assertEquals(strings(expected.get("authentication_results")).stream().map(FailureCorpusTest::words).toList(),
                    r.authenticationResults().stream().map(FailureCorpusTest::words).toList());
            JsonNode body = expected.get("dkim_canonicalized_body");
            List<String> ours = r.fields().get("dkim-canonicalized-body");
            assertEquals(body.isNull() ? null : body.asText().replaceAll("\\s+", ""),
                    ours == null ? null : ours.get(0).replaceAll("\\s+", ""));

            String authFailure = expected.get("auth_failure").asText();
            if (authFailure.equals("Unspecified")) {
                if (r.feedbackType().equals("auth-failure")) {
                    // Not the case in this corpus; an auth-failure report without the field would be
                    // defaulted to dmarc with a warning, since RFC 6591 requires it.
                    assertEquals(List.of("dmarc"), r.authFailure());
                } else {
                    // Abuse reports (001, 002) carry no Auth-Failure: the field belongs to auth-failure reports only.
                    assertEquals(List.of(), r.authFailure());
                }
            } else {
                assertEquals(List.of(authFailure.toLowerCase(Locale.ROOT)), r.authFailure());
            }
            // mail-auth leaves Identity-Alignment "Unspecified" in all five. RFC 9991 makes it REQUIRED in
            // auth-failure reports, so for those (003-005) we read the missing field as "none" and say so in a
            // warning (as parsedmarc does); abuse reports do not carry it and get nothing.
            if (r.feedbackType().equals("auth-failure")) {
                assertEquals(List.of("none"), r.identityAlignment());
                assertTrue(r.warnings().stream().anyMatch(w -> w.location().equals("feedback-report/Identity-Alignment")));
            } else {
                assertEquals(List.of(), r.identityAlignment());
                assertEquals(List.of(), r.warnings());
            }
            // mail-auth's "delivery_result" is Unspecified everywhere: no sample has the field.
            assertEquals("Unspecified", expected.get("delivery_result").asText());
            assertNull(r.deliveryResult());

            // The sample: mail-auth shows text/rfc822-headers samples as one string and no message/rfc822 ones.
            JsonNode headers = expected.get("headers");
            if (!headers.isNull()) {
                assertTrue(r.original().headersOnly());
                assertEquals(fieldNames(headers.asText()),
                        r.original().headers().stream().map(OriginalMessage.Header::name).toList());
            } else {
                assertFalse(r.original().headersOnly());
                assertTrue(r.original().bodyBytes() > 0);
            }
            assertTrue(r.humanReadable().startsWith("This is an"));
            // The container layer recognises each mail as ARF and hands it over whole: same reading.
            List<io.dmarclens.parser.Report> viaContainers = new ReportParser().parseAll(mail);
            assertEquals(1, viaContainers.size());
            assertEquals(FailureSamplesTest.essence(r), FailureSamplesTest.essence((FailureReport) viaContainers.get(0)));
        }));
    }

    @Test
    void originalMessagesOfTheCorpus() throws Exception {
        Path dir = Corpus.sharedCorpusOrSkip().resolve("mail-auth/arf");
        OriginalMessage three = parse(dir.resolve("003.eml")).original();
        assertEquals("randomuser@example.net", three.from());
        assertEquals("This is a test", three.subject());
        assertEquals(List.of(new OriginalMessage.DkimSignatureRef("example.net", "testkey")), three.dkimSignatures());
        // The body is the line and its line break; the blank line after it belongs to the boundary (RFC 2046 5.1.1).
        assertEquals("Hi, just making sure DKIM is working!\n".length(), three.bodyBytes());

        OriginalMessage four = parse(dir.resolve("004.eml")).original();
        assertEquals("\"Rolf Bader\" <info@interpublication.org>", four.from());
        assertEquals("Wir kaufen dein Auto!", four.subject());
        assertEquals(List.of(new OriginalMessage.DkimSignatureRef("interpublication.org", "default")), four.dkimSignatures());
        assertEquals(1, four.authenticationResults().size());
        assertTrue(four.authenticationResults().get(0).contains("dkim=fail reason=\"signature verification failed\""));

        OriginalMessage five = parse(dir.resolve("005.eml")).original();
        assertEquals("<87913910.1318094604546@out.sender.example>", five.messageId());
        assertEquals("Sat, 8 Oct 2011 16:15:24 -0400 (EDT)", five.date());

        // 002's sample has a blank line after Received:, so To/Subject/Date are body text, not headers.
        // That is how the sample is written (RFC 5322 ends the header block at the first empty line).
        OriginalMessage two = parse(dir.resolve("002.eml")).original();
        assertEquals(List.of("From", "Received"), two.headers().stream().map(OriginalMessage.Header::name).toList());
        assertNull(two.subject());
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static Instant epoch(JsonNode n) {
        return n == null || n.isNull() ? null : Instant.ofEpochSecond(n.asLong());
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n != null && n.isArray()) {
            n.forEach(e -> out.add(e.asText()));
        }
        return out;
    }

    private static String words(String s) {
        return s.strip().replaceAll("\\s+", " ");
    }

    /** Names of the fields in a header block written out as text (continuation lines start with white space). */
    private static List<String> fieldNames(String block) {
        List<String> names = new ArrayList<>();
        for (String line : block.split("\n")) {
            if (!line.isEmpty() && !Character.isWhitespace(line.charAt(0)) && line.contains(":")) {
                names.add(line.substring(0, line.indexOf(':')));
            }
        }
        return names;
    }
}
