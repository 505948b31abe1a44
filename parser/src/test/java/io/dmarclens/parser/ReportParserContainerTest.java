package io.dmarclens.parser;

import static io.dmarclens.parser.ContainerFixtures.aggregateXml;
import static io.dmarclens.parser.ContainerFixtures.arfMail;
import static io.dmarclens.parser.ContainerFixtures.ascii;
import static io.dmarclens.parser.ContainerFixtures.base64;
import static io.dmarclens.parser.ContainerFixtures.base64Part;
import static io.dmarclens.parser.ContainerFixtures.googleZipMail;
import static io.dmarclens.parser.ContainerFixtures.gzip;
import static io.dmarclens.parser.ContainerFixtures.headers;
import static io.dmarclens.parser.ContainerFixtures.mixedMail;
import static io.dmarclens.parser.ContainerFixtures.multipart;
import static io.dmarclens.parser.ContainerFixtures.part;
import static io.dmarclens.parser.ContainerFixtures.textPart;
import static io.dmarclens.parser.ContainerFixtures.tlsJson;
import static io.dmarclens.parser.ContainerFixtures.zip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.parser.aggregate.AggregateReport;
import io.dmarclens.parser.container.PayloadSpooler;
import io.dmarclens.parser.failure.FailureReport;
import io.dmarclens.parser.tlsrpt.TlsReport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every container shape providers use, built in the test from small reports, read by content. */
class ReportParserContainerTest {
    private final ReportParser parser = new ReportParser();

    private static AggregateReport onlyAggregate(List<Report> reports) {
        assertEquals(1, reports.size(), () -> "reports: " + reports);
        return assertInstanceOf(AggregateReport.class, reports.get(0));
    }

    @Test
    void bareXmlIsTheReport() throws Exception {
        AggregateReport r = onlyAggregate(parser.parseAll("r.xml", aggregateXml("id-1", "example.com", 3)));
        assertEquals("id-1", r.metadata().reportId());
        assertEquals("example.com", r.policy().domain());
        assertEquals(3, r.records().size());
        assertEquals(new ReportSource("r.xml", ""), r.source());
    }

    @Test
    void gzipIsRecognisedByItsBytesWhateverTheName() throws Exception {
        AggregateReport r = onlyAggregate(parser.parseAll("report.zip", gzip(aggregateXml("id-gz", "example.com", 2))));
        assertEquals("id-gz", r.metadata().reportId());
        assertEquals(1 + 2, r.messageCount());
    }

    @Test
    void everyZipMemberIsRead() throws Exception {
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put("README.txt", "These are your reports.".getBytes(StandardCharsets.UTF_8));
        members.put("a.xml", aggregateXml("id-a", "a.example", 1));
        members.put("b.xml.gz", gzip(aggregateXml("id-b", "b.example", 2)));
        List<Report> reports = parser.parseAll("two.zip", zip(members));
        assertEquals(List.of("id-a", "id-b"), reports.stream()
                .map(r -> ((AggregateReport) r).metadata().reportId()).toList());
        assertEquals("a.xml", reports.get(0).source().part());
        assertEquals("b.xml.gz", reports.get(1).source().part());
    }

    @Test
    void googleZipMailIsRead() throws Exception {
        AggregateReport r = onlyAggregate(parser.parseAll("google.eml", googleZipMail("949348866075514174", "example.com")));
        assertEquals("949348866075514174", r.metadata().reportId());
        assertEquals("google.com!example.com!1700006400!1700092799.zip > google.com!example.com!1700006400!1700092799.xml",
                r.source().part());
    }

    @Test
    void microsoftNestedMultipartWithContentId() throws Exception {
        String html = base64Part("text/html; charset=us-ascii", null,
                "<div style=\"font-family:Segoe UI\">This is a DMARC aggregate report from Microsoft Corporation.</div>"
                        .getBytes(StandardCharsets.US_ASCII));
        String alternative = part("Content-Type: multipart/alternative;\n\tboundary=\"_av_x\"",
                multipart("_av_x", part("Content-Type: text/plain; charset=us-ascii", ""), html));
        String related = part("Content-Type: multipart/related;\n\tboundary=\"_rv_x\"", multipart("_rv_x", alternative));
        String name = "protection.outlook.com!example.com!1700006400!1700092800.xml.gz";
        String gz = part("""
                Content-Type: application/gzip
                Content-Transfer-Encoding: base64
                Content-ID: <3ff45643-7977-4f3c-a97d-14b9e7faa5e7>
                Content-Description: %s
                Content-Disposition: attachment; filename="%s";
                """.formatted(name, name), base64(gzip(aggregateXml("ms-1", "example.com", 4))));
        byte[] mail = ascii(headers("=?utf-8?B?UmVwb3J0IERvbWFpbjogZXhhbXBsZS5jb20=?=")
                + "Content-Type: multipart/mixed;\n\tboundary=\"_mpm_x\"\n\n" + multipart("_mpm_x", related, gz));
        AggregateReport r = onlyAggregate(parser.parseAll("ms.eml", mail));
        assertEquals("ms-1", r.metadata().reportId());
        assertEquals(name, r.source().part());
        assertEquals(4, r.records().size());
        List<String> unreadable = new ArrayList<>();
        parser.parse(ReportSource.of("ms.eml"), new ByteArrayInputStream(mail), new RecordingHandler(new ArrayList<>(), unreadable));
        assertEquals(List.of(), unreadable, "the HTML explanation part is no unreadable report");
    }

    @Test
    void amazonSesOctetStreamWithUnquotedName() throws Exception {
        String name = "amazonses.com!example.com!1663545600!1663632000.xml.gz";
        String attachment = part("""
                Content-Type: application/octet-stream;\s
                \tname=%s
                Content-Transfer-Encoding: base64
                Content-Disposition: attachment;\s
                \tfilename=%s
                """.formatted(name, name), base64(gzip(aggregateXml("ses-1", "example.com", 1))));
        byte[] mail = mixedMail("Dmarc Aggregate Report Domain: {example.com} Submitter: {Amazon SES}",
                textPart("This is an aggregate report from Amazon SES."), attachment);
        AggregateReport r = onlyAggregate(parser.parseAll("ses.eml", mail));
        assertEquals("ses-1", r.metadata().reportId());
        assertEquals(name, r.source().part());
    }

    @Test
    void mimecastMailWhoseWholeBodyIsTheGzip() throws Exception {
        byte[] mail = ascii(headers("Report Domain: example.com Submitter: mimecast.org Report-ID: ") + """
                Content-Type: application/gzip
                Content-Transfer-Encoding: base64
                Content-Disposition: attachment;
                \tfilename="mimecast.org!example.com!1700006400!1700092799!0123456789abcdef.xml.gz"

                """ + base64(gzip(aggregateXml("mc-1", "example.com", 2))) + "\n");
        AggregateReport r = onlyAggregate(parser.parseAll("mimecast.eml", mail));
        assertEquals("mc-1", r.metadata().reportId());
    }

    @Test
    void reportAttachedAsMessageRfc822InsideAnotherMail() throws Exception {
        String forwarded = part("Content-Type: message/rfc822\nContent-Disposition: attachment; filename=\"fwd.eml\"",
                new String(googleZipMail("fwd-1", "example.com"), StandardCharsets.UTF_8));
        byte[] mail = mixedMail("Fwd: Report domain: example.com", textPart("See the attached report."), forwarded);
        AggregateReport r = onlyAggregate(parser.parseAll("outer.eml", mail));
        assertEquals("fwd-1", r.metadata().reportId());
        assertTrue(r.source().part().startsWith("fwd.eml > google.com!example.com!"), r.source().part());
    }

    @Test
    void mailWithSeveralReportAttachmentsGivesSeveralReports() throws Exception {
        byte[] mail = mixedMail("Reports",
                textPart("Three reports attached."),
                base64Part("application/gzip", "one.xml.gz", gzip(aggregateXml("m-1", "a.example", 1))),
                base64Part("application/zip", "two.zip", zip("two.xml", aggregateXml("m-2", "b.example", 2))),
                base64Part("text/xml", null, aggregateXml("m-3", "c.example", 3)));
        List<Report> reports = parser.parseAll("several.eml", mail);
        assertEquals(List.of("m-1", "m-2", "m-3"), reports.stream()
                .map(r -> ((AggregateReport) r).metadata().reportId()).toList());
        assertEquals(List.of("one.xml.gz", "two.zip > two.xml", "part 4 (text/xml)"),
                reports.stream().map(r -> r.source().part()).toList());
    }

    @Test
    void multipartAlternativeContainer() throws Exception {
        byte[] mail = ascii(headers("Report Domain: example.com Submitter: rspamd")
                + "Content-Type: multipart/alternative; boundary=\"alt\"\n\n"
                + multipart("alt", textPart("DMARC report"),
                base64Part("application/gzip", "rspamd.xml.gz", gzip(aggregateXml("alt-1", "example.com", 1)))));
        assertEquals("alt-1", onlyAggregate(parser.parseAll("alt.eml", mail)).metadata().reportId());
    }

    @Test
    void singleLineReportLongerThanTheMailLineLimit() throws Exception {
        // Mail.ru writes the whole report on one line; sent 8bit, that line is far beyond RFC 5322's 998.
        String xml = new String(aggregateXml("one-line", "example.com", 400), StandardCharsets.UTF_8).replaceAll("[\r\n]", "");
        assertTrue(xml.length() > 150_000);
        byte[] mail = mixedMail("Report Domain: example.com; Submitter: Mail.Ru; Report-ID: 1",
                part("Content-Type: text/xml\nContent-Transfer-Encoding: 8bit", xml));
        assertEquals(400, onlyAggregate(parser.parseAll("mailru.eml", mail)).records().size());
    }

    @Test
    void base64TextFileOfAGzip() throws Exception {
        byte[] text = base64(gzip(aggregateXml("b64-1", "example.com", 2))).getBytes(StandardCharsets.US_ASCII);
        assertEquals("b64-1", onlyAggregate(parser.parseAll("report.txt", text)).metadata().reportId());
    }

    @Test
    void tlsReportAsJsonAndInAMail() throws Exception {
        List<Report> bare = parser.parseAll("tls.json", tlsJson("2024-01-01T00:00:00Z_example.com"));
        assertEquals("2024-01-01T00:00:00Z_example.com", assertInstanceOf(TlsReport.class, bare.get(0)).reportId());

        byte[] mail = mixedMail("Report Domain: example.com Submitter: google.com Report-ID: <tls-1>",
                textPart("This is an aggregate TLS report from google.com"),
                base64Part("application/tlsrpt+gzip", "google.com!example.com!1704067200!1704153599!001.json.gz",
                        gzip(tlsJson("tls-1"))));
        List<Report> reports = parser.parseAll("tls.eml", mail);
        TlsReport tls = assertInstanceOf(TlsReport.class, reports.get(0));
        assertEquals("tls-1", tls.reportId());
        assertEquals(42, tls.policies().get(0).totalSuccessfulSessionCount());
    }

    @Test
    void arfMailGoesWholeToTheFailureParser() throws Exception {
        List<Report> reports = parser.parseAll("arf.eml", arfMail());
        FailureReport f = assertInstanceOf(FailureReport.class, reports.get(0));
        assertEquals(1, reports.size());
        assertEquals("arf", f.format());
        assertEquals("192.0.2.1", f.sourceIp());
        assertEquals(List.of("example.com"), f.reportedDomain());
        assertEquals(new ReportSource("arf.eml", ""), f.source());
    }

    @Test
    void arfMarkersAreFoundInAnyCase() throws Exception {
        String mail = new String(arfMail(), StandardCharsets.US_ASCII)
                .replace("report-type=feedback-report", "report-type=FEEDBACK-Report")
                .replace("message/feedback-report", "Message/Feedback-Report");
        FailureReport f = assertInstanceOf(FailureReport.class, parser.parseAll("arf.eml", ascii(mail)).get(0));
        assertEquals("192.0.2.1", f.sourceIp());
    }

    @Test
    void aggregateMailThatMentionsFeedbackIsStillAnAggregateReport() throws Exception {
        byte[] mail = mixedMail("Report domain: example.com", textPart("Feedback-Report questions? Write to us."),
                part("Content-Type: application/gzip; name=\"r.xml.gz\"\nContent-Transfer-Encoding: base64",
                        java.util.Base64.getMimeEncoder().encodeToString(gzip(aggregateXml("id-fb", "example.com", 2)))));
        AggregateReport r = onlyAggregate(parser.parseAll("fb.eml", mail));
        assertEquals("id-fb", r.metadata().reportId());
    }

    @Test
    void arfForwardedAsMessageRfc822() throws Exception {
        byte[] mail = mixedMail("Fwd: failure report", textPart("Forwarding the report below."),
                part("Content-Type: message/rfc822", new String(arfMail(), StandardCharsets.UTF_8)));
        FailureReport f = assertInstanceOf(FailureReport.class, parser.parseAll("fwd.eml", mail).get(0));
        assertEquals("part 2 (message/rfc822)", f.source().part());
        assertEquals("192.0.2.1", f.sourceIp());
    }

    @Test
    void plainTextFailureNoticeWithoutArfPart() throws Exception {
        byte[] mail = ascii(headers("DMARC Failure Report for example.com")
                + "Content-Type: text/plain; charset=us-ascii\n\n" + """
                This is an automatically generated message.

                A message claiming to be from you has failed the published DMARC
                policy for your domain.

                  Sender Domain: example.com
                  Sender IP Address: 192.0.2.33
                  Received Date: Wed, 15 Nov 2023 03:12:40 +0000
                  SPF Alignment: no
                  DKIM Alignment: no
                  DMARC Results: Reject

                ------ This is a copy of the headers that were received before the error
                       was detected.

                From: ceo@example.com
                To: user@receiver.example
                Subject: Invoice
                """);
        FailureReport f = assertInstanceOf(FailureReport.class, parser.parseAll("notice.eml", mail).get(0));
        assertEquals("plain-text", f.format());
        assertEquals("192.0.2.33", f.sourceIp());
    }

    @Test
    void goodPartsAreDeliveredAndBadOnesReportedAsUnreadable() throws Exception {
        byte[] truncated = Arrays.copyOf(gzip(aggregateXml("bad", "x.example", 50)), 200);
        byte[] mail = mixedMail("Reports",
                base64Part("application/gzip", "good.xml.gz", gzip(aggregateXml("good", "example.com", 2))),
                base64Part("application/gzip", "bad.xml.gz", truncated));
        List<String> unreadable = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        ParseSummary summary = parser.parse(ReportSource.of("mixed.eml"), new ByteArrayInputStream(mail),
                new RecordingHandler(ids, unreadable));
        assertEquals(List.of("good"), ids);
        assertEquals(1, summary.reports());
        assertEquals(2, summary.records());
        assertEquals(1 + 2, summary.messages());
        assertEquals(1, unreadable.size());
        assertTrue(unreadable.get(0).startsWith("mixed.eml [bad.xml.gz]: gzip stream truncated after 200 bytes: its data"
                + " ends after 232 decompressed bytes; nothing before the cut could be read (XML is not well-formed"),
                unreadable.get(0));
        assertEquals(unreadable, summary.unreadable().stream().map(Object::toString).toList());
    }

    @Test
    void zeroByteInput() {
        ReportParseException e = assertThrows(ReportParseException.class, () -> parser.parseAll("empty.xml", new byte[0]));
        assertEquals("zero-byte input", e.getMessage());
        assertEquals(ReportSource.of("empty.xml"), e.source());
    }

    @Test
    void truncatedGzipSaysHowFarItGot() throws Exception {
        byte[] gz = gzip(aggregateXml("t", "example.com", 300));
        assertTrue(gz.length > 1204, "the report must compress to more than the cut");
        var r = (io.dmarclens.parser.aggregate.AggregateReport) parser.parseAll("t.xml.gz", Arrays.copyOf(gz, 1204)).get(0);
        assertTrue(r.truncation().reason().startsWith("gzip stream truncated after 1,204 bytes: its data ends after "),
                r.truncation().reason());
    }

    @Test
    void zipWithoutReportListsItsMembers() {
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put("a.txt", "hello".getBytes(StandardCharsets.UTF_8));
        members.put("b.pdf", "%PDF-1.4 junk".getBytes(StandardCharsets.UTF_8));
        ReportParseException e = assertThrows(ReportParseException.class, () -> parser.parseAll("x.zip", zip(members)));
        assertEquals("zip archive holds no report: members a.txt, b.pdf", e.getMessage());
    }

    @Test
    void emptyZipArchive() {
        byte[] empty = zip(Map.of());
        ReportParseException e = assertThrows(ReportParseException.class, () -> parser.parseAll("e.zip", empty));
        assertEquals("zip archive is empty: it has no members", e.getMessage());
    }

    @Test
    void mailWithoutReportListsItsParts() {
        byte[] mail = mixedMail("Hello", textPart("Just a note, no report here."),
                base64Part("image/png", "logo.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0}));
        ReportParseException e = assertThrows(ReportParseException.class, () -> parser.parseAll("note.eml", mail));
        assertEquals("mail has no report attachment (parts: text/plain, image/png)", e.getMessage());
    }

    @Test
    void unknownContentSaysWhatItStartsWith() {
        ReportParseException e = assertThrows(ReportParseException.class,
                () -> parser.parseAll("x.bin", new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10}));
        assertTrue(e.getMessage().startsWith("not a report: the content is none of gzip, zip, XML, JSON, mail or base64"),
                e.getMessage());
        assertTrue(e.getMessage().contains("89 50 4e 47"), e.getMessage());
    }

    @Test
    void gzipOfSomethingElseSaysWhat() {
        // Yahoo's May 2023 wave: gzip attachments that held the word "unused".
        ReportParseException e = assertThrows(ReportParseException.class,
                () -> parser.parseAll("yahoo.xml.gz", gzip("unused".getBytes(StandardCharsets.US_ASCII))));
        assertEquals("gzip stream holds no report: its content starts with 'unused'", e.getMessage());
    }

    @Test
    void fileIsReadInPlaceAndBigPayloadsSpoolToATempFileThatIsDeleted(@TempDir Path dir) throws Exception {
        Path spoolDir = Files.createDirectory(dir.resolve("spool"));
        ReportParser smallMemory = new ReportParser(ParserLimits.DEFAULT, new PayloadSpooler(16 * 1024, spoolDir));
        Path file = dir.resolve("big.xml.gz");
        byte[] xml = aggregateXml("big", "example.com", 300);
        assertTrue(xml.length > 16 * 1024);
        Files.write(file, gzip(xml));
        List<String> seenSpool = new ArrayList<>();
        ParseSummary summary = smallMemory.parse(file, new RecordingHandler(new ArrayList<>(), new ArrayList<>()) {
            @Override
            public void endAggregate(List<ParseWarning> warnings) {
                try (Stream<Path> files = Files.list(spoolDir)) {
                    files.forEach(p -> seenSpool.add(p.getFileName().toString()));
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }

            @Override
            public void endPartialAggregate(List<ParseWarning> warnings, io.dmarclens.parser.Truncation truncation) {
                endAggregate(warnings);
            }
        });
        assertEquals(300, summary.records());
        assertEquals(1, seenSpool.size(), "the decompressed XML was spooled while it was parsed");
        try (Stream<Path> left = Files.list(spoolDir)) {
            assertEquals(0, left.count(), "spool files are deleted afterwards");
        }
        assertTrue(Files.exists(file), "the input file itself is left alone");
    }

    @Test
    void missingFileIsAClearError(@TempDir Path dir) {
        ReportParseException e = assertThrows(ReportParseException.class,
                () -> parser.parseAll(dir.resolve("nope.xml")));
        assertEquals("no such file", e.getMessage());
    }

    /** Records report ids and unreadable parts as strings. */
    static class RecordingHandler implements ReportHandler {
        private final List<String> ids;
        private final List<String> unreadable;

        RecordingHandler(List<String> ids, List<String> unreadable) {
            this.ids = ids;
            this.unreadable = unreadable;
        }

        @Override
        public void beginAggregate(io.dmarclens.parser.aggregate.AggregateHeader header) {
            ids.add(header.metadata().reportId());
        }

        @Override
        public void record(io.dmarclens.parser.aggregate.AggregateRecord record) {
        }

        @Override
        public void endAggregate(List<ParseWarning> warnings) {
        }

        @Override
        public void endPartialAggregate(List<ParseWarning> warnings, io.dmarclens.parser.Truncation truncation) {
        }

        @Override
        public void failure(io.dmarclens.parser.failure.FailureReport report) {
            ids.add("failure");
        }

        @Override
        public void tls(TlsReport report) {
            ids.add(report.reportId());
        }

        @Override
        public void unreadable(ReportSource source, String reason) {
            unreadable.add(source + ": " + reason);
        }
    }
}
