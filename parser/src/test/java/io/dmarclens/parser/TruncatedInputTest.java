package io.dmarclens.parser;

import static io.dmarclens.parser.ContainerFixtures.aggregateXml;
import static io.dmarclens.parser.ContainerFixtures.gzip;
import static io.dmarclens.parser.ContainerFixtures.tlsJson;
import static io.dmarclens.parser.ContainerFixtures.zip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.parser.aggregate.AggregateReport;
import io.dmarclens.parser.failure.FailureReport;
import io.dmarclens.parser.json.ReportJsonWriter;
import io.dmarclens.parser.tlsrpt.TlsReport;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Inputs that stop early (issue #12, part 2): what can be read is delivered, but always as a partial
 * report with the reason, never as a clean one; a cut that leaves nothing readable is an error that says so.
 */
class TruncatedInputTest {
    private static final int RECORDS = 50;
    private final ReportParser parser = new ReportParser();
    private final byte[] xml = aggregateXml("cut-1", "example.com", RECORDS);

    private AggregateReport single(String name, byte[] data) throws Exception {
        List<Report> reports = parser.parseAll(name, data);
        assertEquals(1, reports.size());
        return (AggregateReport) reports.get(0);
    }

    @Test
    void xmlCutAfter3000BytesIsPartialWithTheRecordsBeforeTheCut() throws Exception {
        AggregateReport r = single("cut.xml", Arrays.copyOf(xml, 3000));
        assertTrue(r.partial());
        assertTrue(r.records().size() > 0 && r.records().size() < RECORDS, "records: " + r.records().size());
        String reason = r.truncation().reason();
        assertTrue(reason.startsWith("the XML cannot be read past line "), reason);
        assertTrue(reason.contains(r.records().size() + " records read, the one cut there dropped"), reason);
    }

    @Test
    void completeCopiesAreNotPartial() throws Exception {
        assertFalse(single("whole.xml", xml).partial());
        assertFalse(single("whole.xml.gz", gzip(xml)).partial());
        assertFalse(single("whole.zip", zip("whole.xml", xml)).partial());
        assertNull(((TlsReport) parser.parseAll("tls.json", tlsJson("t")).get(0)).truncation());
    }

    @Test
    void gzipCutInTheMiddleIsPartial() throws Exception {
        byte[] gz = gzip(xml);
        int cut = gz.length / 2;
        AggregateReport r = single("cut.xml.gz", Arrays.copyOf(gz, cut));
        assertTrue(r.partial());
        assertTrue(r.records().size() < RECORDS);
        String reason = r.truncation().reason();
        assertTrue(reason.startsWith(String.format(Locale.ROOT, "gzip stream truncated after %,d bytes: its data ends"
                + " after ", cut)), reason);
        assertTrue(reason.contains("; the XML cannot be read past line"), reason);
    }

    @Test
    void gzipWithoutItsTrailerKeepsEveryRecordButIsStillPartial() throws Exception {
        byte[] gz = gzip(xml);
        AggregateReport r = single("cut.xml.gz", Arrays.copyOf(gz, gz.length - 8));
        assertEquals(RECORDS, r.records().size());
        assertTrue(r.partial(), "the checksum could not be checked: the copy is not known to be whole");
        assertTrue(r.truncation().reason().startsWith("gzip stream truncated"), r.truncation().reason());
    }

    @Test
    void zipCutInsideItsMemberIsPartial() throws Exception {
        byte[] z = zip("cut.xml", xml);
        // The report compresses well: the cut goes just before the data descriptor and directory.
        AggregateReport r = single("cut.zip", Arrays.copyOf(z, z.length - 100));
        assertTrue(r.partial());
        assertTrue(r.records().size() > 0 && r.records().size() < RECORDS, "records: " + r.records().size()
                + " of " + z.length + " bytes: " + r.truncation() + " " + r.warnings());
        assertTrue(r.truncation().reason().startsWith("zip member truncated"), r.truncation().reason());
    }

    @Test
    void aCutThatLeavesNothingReadableIsAnError() {
        byte[] gz = gzip(xml);
        ReportParseException e = assertThrows(ReportParseException.class,
                () -> parser.parseAll("head.xml.gz", Arrays.copyOf(gz, 30)));
        assertTrue(e.getMessage().startsWith("gzip stream truncated after 30 bytes"), e.getMessage());
    }

    @Test
    void tlsJsonCutInsideTheDocumentIsAnErrorButAWholeDocumentInACutGzipIsPartial() throws Exception {
        byte[] json = tlsJson("tls-cut");
        ReportParseException e = assertThrows(ReportParseException.class,
                () -> parser.parseAll("cut.json", Arrays.copyOf(json, json.length / 2)));
        assertTrue(e.getMessage().startsWith("malformed JSON"), e.getMessage());

        byte[] gz = gzip(json);
        TlsReport t = (TlsReport) parser.parseAll("tls.json.gz", Arrays.copyOf(gz, gz.length - 8)).get(0);
        assertTrue(t.partial());
        assertEquals("tls-cut", t.reportId());
    }

    @Test
    void aFailureReportMailInACutGzipIsPartial() throws Exception {
        byte[] mail = ContainerFixtures.arfMail();
        FailureReport whole = (FailureReport) parser.parseAll("arf.eml", mail).get(0);
        assertFalse(whole.partial());

        // The mail is read up to the cut: its later fields or original headers may be missing.
        byte[] gz = gzip(mail);
        List<Report> reports = parser.parseAll("arf.eml.gz", Arrays.copyOf(gz, gz.length - 8));
        assertEquals(1, reports.size());
        FailureReport cut = (FailureReport) reports.get(0);
        assertTrue(cut.partial());
        assertTrue(cut.truncation().reason().startsWith("gzip stream"), cut.truncation().reason());
        assertEquals(whole.sourceIp(), cut.sourceIp());

        ParseSummary s = parser.parse(ReportSource.of("arf.eml.gz"),
                new ByteArrayInputStream(Arrays.copyOf(gz, gz.length - 8)), new ReportCollector());
        assertEquals(1, s.partial());
        StringWriter out = new StringWriter();
        try (ReportJsonWriter writer = new ReportJsonWriter(out, false)) {
            parser.parse(ReportSource.of("arf.eml.gz"), new ByteArrayInputStream(Arrays.copyOf(gz, gz.length - 8)),
                    writer);
        }
        String[] lines = out.toString().split("\n");
        assertEquals(2, lines.length, out.toString());
        assertTrue(lines[0].contains("\"type\":\"failure\"") && lines[0].contains("\"partial\":true"), lines[0]);
        assertTrue(lines[1].contains("\"error\":\"partial report: gzip stream"), lines[1]);
    }

    @Test
    void summaryCountsPartialReports() throws Exception {
        ParseSummary s = parser.parse(ReportSource.of("cut.xml"), new ByteArrayInputStream(Arrays.copyOf(xml, 3000)),
                new ReportCollector());
        assertEquals(1, s.reports());
        assertEquals(1, s.partial());
    }

    @Test
    void jsonOutputMarksThePartialReportAndAddsAnErrorLine() throws Exception {
        StringWriter out = new StringWriter();
        try (ReportJsonWriter writer = new ReportJsonWriter(out, false)) {
            parser.parse(ReportSource.of("cut.xml"), new ByteArrayInputStream(Arrays.copyOf(xml, 3000)), writer);
            parser.parse(ReportSource.of("whole.xml"), new ByteArrayInputStream(xml), writer);
        }
        String[] lines = out.toString().split("\n");
        assertEquals(3, lines.length, out.toString());
        assertTrue(lines[0].contains("\"partial\":true,\"partial_reason\":\"the XML cannot be read past line"), lines[0]);
        assertTrue(lines[1].startsWith("{\"source\":{\"file\":\"cut.xml\""), lines[1]);
        assertTrue(lines[1].contains("\"error\":\"partial report: the XML cannot be read past line"), lines[1]);
        assertTrue(lines[2].contains("\"partial\":false"), lines[2]);
    }
}
