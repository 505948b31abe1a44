package io.dmarclens.parser.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmarclens.parser.ParseWarning;
import io.dmarclens.parser.ReportSource;
import io.dmarclens.parser.aggregate.AggregateHeader;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.aggregate.Alignment;
import io.dmarclens.parser.aggregate.AuthResult;
import io.dmarclens.parser.aggregate.DateRange;
import io.dmarclens.parser.aggregate.Disposition;
import io.dmarclens.parser.aggregate.DkimAuthResult;
import io.dmarclens.parser.aggregate.DmarcResult;
import io.dmarclens.parser.aggregate.PolicyOverride;
import io.dmarclens.parser.aggregate.PolicyOverrideReason;
import io.dmarclens.parser.aggregate.PolicyPublished;
import io.dmarclens.parser.aggregate.ReportMetadata;
import io.dmarclens.parser.aggregate.SpfAuthResult;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON lines: field names, records streamed, aborted reports leaving no trace. */
class ReportJsonWriterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static AggregateHeader header(String id) {
        return new AggregateHeader(new ReportSource("in.eml", "a.zip > a.xml"), "1.0", "urn:ietf:params:xml:ns:dmarc-2.0",
                new ReportMetadata("Example Org", "dmarc@example.org", null, id, new DateRange(1700006400, 1700092799),
                        List.of("one error"), "gen 1.0"),
                new PolicyPublished("example.com", Disposition.REJECT, Disposition.QUARANTINE, Disposition.NONE,
                        Alignment.RELAXED, Alignment.STRICT, 100, "1", "n", "treewalk"));
    }

    private static AggregateRecord record(int index) {
        return new AggregateRecord(index, "192.0.2." + (index % 250), index + 1L, Disposition.QUARANTINE,
                DmarcResult.FAIL, DmarcResult.PASS,
                List.of(new PolicyOverrideReason(PolicyOverride.FORWARDED, "forwarded", "looks forwarded")),
                "example.com", "bounce.example.com", "receiver.example",
                List.of(new DkimAuthResult("example.com", "s1", AuthResult.FAIL, "HardFail", "bad sig")),
                List.of(new SpfAuthResult("bounce.example.com", "mfrom", AuthResult.TEMPERROR, "unknown", null)));
    }

    private static List<JsonNode> lines(String output) throws Exception {
        List<JsonNode> nodes = new java.util.ArrayList<>();
        for (String line : output.split("\n")) {
            nodes.add(JSON.readTree(line));
        }
        return nodes;
    }

    @Test
    void aggregateFieldsInSnakeCase() throws Exception {
        StringWriter out = new StringWriter();
        ReportJsonWriter writer = new ReportJsonWriter(out, false);
        writer.beginAggregate(header("r-1"));
        writer.record(record(0));
        writer.endAggregate(List.of(new ParseWarning("record 0 auth_results/dkim/result", "read 'HardFail' as fail")));
        JsonNode r = lines(out.toString()).get(0);
        assertEquals("in.eml", r.at("/source/file").asText());
        assertEquals("a.zip > a.xml", r.at("/source/part").asText());
        assertEquals("aggregate", r.get("type").asText());
        assertEquals("Example Org", r.get("org_name").asText());
        assertEquals("dmarc@example.org", r.get("org_email").asText());
        assertEquals("r-1", r.get("report_id").asText());
        assertEquals("example.com", r.get("policy_domain").asText());
        assertEquals(1700006400, r.get("begin").asLong());
        assertEquals(1700092799, r.get("end").asLong());
        assertEquals("1.0", r.get("version").asText());
        assertEquals("gen 1.0", r.get("generator").asText());
        assertTrue(r.get("extra_contact_info").isNull());
        JsonNode p = r.get("policy");
        assertEquals(List.of("reject", "quarantine", "none", "r", "s", "100", "1", "n", "treewalk"),
                List.of(p.get("p").asText(), p.get("sp").asText(), p.get("np").asText(), p.get("adkim").asText(),
                        p.get("aspf").asText(), p.get("pct").asText(), p.get("fo").asText(), p.get("testing").asText(),
                        p.get("discovery_method").asText()));
        JsonNode rec = r.at("/records/0");
        assertEquals("192.0.2.0", rec.get("source_ip").asText());
        assertEquals(1, rec.get("count").asLong());
        assertEquals("quarantine", rec.get("disposition").asText());
        assertEquals("fail", rec.get("dkim").asText());
        assertEquals("pass", rec.get("spf").asText());
        assertEquals("forwarded", rec.at("/reasons/0/type").asText());
        assertEquals("looks forwarded", rec.at("/reasons/0/comment").asText());
        assertEquals("example.com", rec.get("header_from").asText());
        assertEquals("bounce.example.com", rec.get("envelope_from").asText());
        assertEquals("receiver.example", rec.get("envelope_to").asText());
        assertEquals("s1", rec.at("/dkim_results/0/selector").asText());
        assertEquals("fail", rec.at("/dkim_results/0/result").asText());
        assertEquals("HardFail", rec.at("/dkim_results/0/raw_result").asText());
        assertEquals("bad sig", rec.at("/dkim_results/0/human_result").asText());
        assertEquals("mfrom", rec.at("/spf_results/0/scope").asText());
        assertEquals("temperror", rec.at("/spf_results/0/result").asText());
        assertEquals("unknown", rec.at("/spf_results/0/raw_result").asText());
        assertEquals("record 0 auth_results/dkim/result: read 'HardFail' as fail", r.at("/warnings/0").asText());
    }

    @Test
    void anAbortedReportLeavesNoTraceAndTheNextOneIsWhole() throws Exception {
        StringWriter out = new StringWriter();
        ReportJsonWriter writer = new ReportJsonWriter(out, false);
        writer.beginAggregate(header("aborted"));
        writer.record(record(0));
        writer.abortAggregate("XML is not well-formed at line 9");
        assertEquals("", out.toString());
        writer.error(new ReportSource("in.eml", "bad.xml"), "XML is not well-formed at line 9");
        writer.beginAggregate(header("whole"));
        writer.record(record(0));
        writer.endAggregate(List.of());
        List<JsonNode> lines = lines(out.toString());
        assertEquals(2, lines.size());
        assertEquals("XML is not well-formed at line 9", lines.get(0).get("error").asText());
        assertEquals("bad.xml", lines.get(0).at("/source/part").asText());
        assertEquals("whole", lines.get(1).get("report_id").asText());
    }

    @Test
    void aBigReportSpillsToATemporaryFileAndComesOutWhole() throws Exception {
        StringWriter out = new StringWriter();
        ReportJsonWriter writer = new ReportJsonWriter(out, false, 16 * 1024);
        writer.beginAggregate(header("big"));
        int records = 500; // beyond the 16 KiB kept in memory
        for (int i = 0; i < records; i++) {
            writer.record(record(i));
        }
        writer.endAggregate(List.of());
        assertTrue(out.getBuffer().length() > 4 * 16 * 1024, "JSON of " + out.getBuffer().length() + " chars");
        JsonNode r = lines(out.toString()).get(0);
        assertEquals(records, r.get("records").size());
        assertEquals(records, r.at("/records/" + (records - 1) + "/count").asLong());
    }

    @Test
    void prettyOutputIsStillASequenceOfObjects() throws Exception {
        StringWriter out = new StringWriter();
        ReportJsonWriter writer = new ReportJsonWriter(out, true);
        writer.beginAggregate(header("p-1"));
        writer.record(record(0));
        writer.endAggregate(List.of());
        writer.error(ReportSource.of("x.bin"), "not a report");
        assertTrue(out.toString().split("\n").length > 10, "indented over several lines");
        List<JsonNode> values = JSON.readerFor(JsonNode.class).<JsonNode>readValues(out.toString()).readAll();
        assertEquals(2, values.size());
        assertEquals("p-1", values.get(0).get("report_id").asText());
        assertEquals("not a report", values.get(1).get("error").asText());
    }
}
