package io.dmarclens.parser.aggregate;

import static io.dmarclens.parser.aggregate.AggregateXmlParserTest.METADATA;
import static io.dmarclens.parser.aggregate.AggregateXmlParserTest.POLICY;
import static io.dmarclens.parser.aggregate.AggregateXmlParserTest.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.dmarclens.parser.EventLog;
import io.dmarclens.parser.ParserLimits;
import io.dmarclens.testkit.Corpus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The byte scanner ({@link Utf8Cursor}) against Woodstox ({@link AggregateXmlParser#woodstoxOnly}): on
 * every input the handler must get exactly the same calls (model records compared field by field,
 * warnings, aborts, errors). Inputs the scanner is meant to read must also stay on the fast path, and
 * unusual ones must be handed over, midway included.
 */
class ByteScannerTest {
    private static final ParserLimits LIMITS = ParserLimits.DEFAULT;
    private static final AggregateXmlParser SCANNING = new AggregateXmlParser(LIMITS);
    private static final AggregateXmlParser WOODSTOX = AggregateXmlParser.woodstoxOnly(LIMITS);
    /** Sample files that are not well-formed: Woodstox and the recovery pass read them. */
    private static final Set<String> MALFORMED_SAMPLES = Set.of("quirk-ikea-stray-schema.xml", "quirk-invalid-utf8.xml",
            "quirk-truncated-end-tag.xml", "quirk-unescaped-org-name.xml");

    /** A pretty-printed report in the shape most reporters send, with {@code \n} line ends. */
    static String pretty(String body) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feedback>\n  <version>1.0</version>\n  "
                + METADATA.replace("><", ">\n    <") + "\n  " + POLICY.replace("><", ">\n    <") + "\n  " + body + "\n</feedback>\n";
    }

    static String records(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(record("192.0.2." + (i % 250 + 1), i + 1)).append("\n  ");
        }
        return sb.toString();
    }

    private static final String RECORD = record("192.0.2.1", 3);

    /** Inputs the scanner must read itself, to the same result as Woodstox. */
    static List<Object[]> fastCases() {
        String two = records(2);
        List<Object[]> c = new ArrayList<>();
        c.add(new Object[] {"pretty-printed", pretty(two)});
        c.add(new Object[] {"on one line", AggregateXmlParserTest.feedback(METADATA + POLICY + two)});
        c.add(new Object[] {"predefined entities and character references", pretty(two).replace("<org_name>google.com",
                "<org_name>Ben &amp; Jerry&apos;s &lt;x&gt; &quot;q&quot; caf&#xE9; &#128512; &#65;&#x42;")
                .replace("bounce.example.com</envelope_from>", "bounce&#46;example&#x2E;com</envelope_from>")});
        c.add(new Object[] {"CDATA in values and between elements", pretty(two)
                .replace("<org_name>google.com", "<org_name><![CDATA[Ben & Jerry <ok> ]]]]>google.com")
                .replace("<count>1</count>", "<count>1<![CDATA[2]]>3</count>")
                .replace("<record>", "<![CDATA[ stray ]]><record>")});
        c.add(new Object[] {"comments in values, between elements and before the root", "<!-- before -->\n"
                + pretty(two).replace("<count>2</count>", "<count><!-- c -->2<!-- d - e --></count>")
                .replace("<record>", "<!-- a record follows --><record>").replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", "")});
        c.add(new Object[] {"RFC 9990 with its namespace and extensions", "<?xml version=\"1.0\"?>\n"
                + "<feedback xmlns=\"urn:ietf:params:xml:ns:dmarc-2.0\" xmlns:ext='urn:example:ext'>"
                + METADATA.replace("</report_metadata>", "<generator>Mailer 1.2</generator></report_metadata>")
                + "<policy_published><domain>example.com</domain><p>reject</p><np>quarantine</np><testing>y</testing>"
                + "<discovery_method>treewalk</discovery_method><ext:ttl>3600</ext:ttl></policy_published>"
                + RECORD.replace("<row>", "<ext:note x=\"1\"><ext:deep>a</ext:deep></ext:note><row>")
                + "<extension><any><thing/></any></extension>"
                + "<other:x xmlns:other=\"urn:example:other\">ignored quietly</other:x></feedback>"});
        c.add(new Object[] {"every element prefixed", pretty(two).replaceAll("<(/?)([a-z_]+)", "<$1d:$2")
                .replace("<d:feedback>", "<d:feedback xmlns:d=\"http://dmarc.org/dmarc-xml/0.1\">")});
        c.add(new Object[] {"schema attributes and xml:lang", pretty(two).replace("<feedback>",
                "<feedback xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:noNamespaceSchemaLocation = 'rua.xsd' xml:lang=\"en\">")});
        c.add(new Object[] {"unknown elements and elements inside values", pretty(two)
                .replace("<row>", "<row><foo>1</foo><bar/>").replace("<org_name>google.com", "<org_name>Goo<b>x<i/></b>gle")});
        c.add(new Object[] {"empty elements in all their forms", pretty(two).replace("<sp>quarantine</sp>", "<sp/>")
                .replace("<envelope_from>bounce.example.com</envelope_from>", "<envelope_from />")
                .replace("</email>", "</email><extra_contact_info></extra_contact_info>")});
        c.add(new Object[] {"whitespace variants", pretty(two).replace("<count>1</count>", "<count\n>\t 1 \n</count >")
                .replace("\n  ", "\n\t").replace("<disposition>none", "<disposition>  none\t")
                .replace("</record>", "</record\r\n>")});
        c.add(new Object[] {"a byte order mark", "\uFEFF" + pretty(two)});
        c.add(new Object[] {"CRLF line ends and a value over lines", pretty(two.replace("</reason>", ""))
                .replace("<dkim>pass</dkim><spf>fail</spf>", "<dkim>pass</dkim><spf>fail</spf><reason><type>other</type>"
                        + "<comment>line 1\r\nline 2\rline 3\n\r</comment></reason>").replace("\n", "\r\n")});
        c.add(new Object[] {"CR line ends", pretty(two).replace("\n", "\r")});
        c.add(new Object[] {"no XML declaration", pretty(two).substring(pretty(two).indexOf('\n') + 1)});
        c.add(new Object[] {"a declaration in single quotes, standalone, lower case",
                pretty(two).replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<?xml version='1.0' encoding='utf-8' standalone='yes' ?>")});
        c.add(new Object[] {"UTF-8 beyond ASCII", pretty(two).replace("<org_name>google.com",
                "<org_name>M\u00fcller GmbH \u2013 \u65e5\u672c \uD83D\uDE00 \u00a0").replace("<report_id>4711", "<report_id>\u00e9t\u00e9-4711")});
        c.add(new Object[] {"source IPs of every kind", pretty(record("2001:db8::1", 1) + record("::ffff:192.0.2.1", 2)
                + record("2001:DB8:0:0:0:0:0:1", 3) + record("1.2.3", 4) + record("01.2.3.4", 5) + record("fe80::1%eth0", 6)
                + record("", 0) + record("256.1.1.1", 7) + record("::", 8) + record("1::2::3", 9))});
        c.add(new Object[] {"records before the header, version last", "<feedback>" + RECORD + METADATA + RECORD + POLICY
                + RECORD + "<version>2.0</version></feedback>"});
        c.add(new Object[] {"a second header and a late version", pretty(two + METADATA + POLICY + "<version>9</version>")});
        c.add(new Object[] {"upper-case, legacy and unreadable words", pretty(two).replace("<disposition>none", "<disposition>Quarantine")
                .replace("<result>pass", "<result>HardFail").replace("<result>softfail", "<result>maybe").replace("<aspf>s", "<aspf>s;")
                .replace("<count>2</count>", "<count>2.0</count>").replace("<begin>1700000000", "<begin>1700000000.5")});
        c.add(new Object[] {"more warnings than are listed", pretty(records(1_100).replace("<count>", "<count>x"))});
        c.add(new Object[] {"a long value within the limits", pretty(two).replace("<org_name>google.com", "<org_name>" + "g".repeat(10_000))});
        c.add(new Object[] {"nesting within the limits", pretty(two).replace("<row>", "<x>".repeat(60) + "</x>".repeat(60) + "<row>")});
        c.add(new Object[] {"trailing whitespace after the root", pretty(two) + " \t\r\n\n"});
        return c;
    }

    /** Inputs the scanner hands to Woodstox; the result must still be Woodstox's, whatever it is. */
    static List<Object[]> handedOverCases() {
        String two = records(2);
        String ten = records(10);
        List<Object[]> c = new ArrayList<>();
        c.add(new Object[] {"a DOCTYPE with an entity", "<?xml version=\"1.0\"?>\n<!DOCTYPE feedback [<!ENTITY x \"y\">]>\n"
                + pretty(two).substring(pretty(two).indexOf('\n') + 1)});
        c.add(new Object[] {"ISO-8859-1", pretty(two).replace("UTF-8", "ISO-8859-1").replace("google.com", "G\u00f6ogle")});
        c.add(new Object[] {"windows-1252", pretty(two).replace("UTF-8", "windows-1252")});
        c.add(new Object[] {"XML 1.1", pretty(two).replace("version=\"1.0\"", "version=\"1.1\"")});
        c.add(new Object[] {"a processing instruction midway", pretty(ten.replace("</record>\n  <record><row><source_ip>192.0.2.6<",
                "</record>\n  <?pi some data?><record><row><source_ip>192.0.2.6<"))});
        c.add(new Object[] {"an undeclared entity midway", pretty(ten).replace("<source_ip>192.0.2.7<", "<source_ip>&nbsp;192.0.2.7<")});
        c.add(new Object[] {"]]> in text", pretty(two).replace("<org_name>google.com", "<org_name>a]]>b")});
        c.add(new Object[] {"-- inside a comment", pretty(two).replace("<record>", "<!-- a -- b --><record>")});
        c.add(new Object[] {"an unbound prefix", pretty(two).replace("<row>", "<row><x:foo>1</x:foo>")});
        c.add(new Object[] {"an attribute given twice", pretty(two).replace("<feedback>", "<feedback a=\"1\" a=\"2\">")});
        c.add(new Object[] {"one attribute in one namespace twice",
                pretty(two).replace("<feedback>", "<feedback xmlns:p=\"u\" xmlns:q=\"u\" p:a=\"1\" q:a=\"2\">")});
        c.add(new Object[] {"an empty prefixed namespace", pretty(two).replace("<feedback>", "<feedback xmlns:p=\"\">")});
        c.add(new Object[] {"a mismatched end tag midway", pretty(ten).replace("<count>6</count>", "<count>6</cnt>")});
        c.add(new Object[] {"invalid UTF-8 midway", pretty(ten).replace("<source_ip>192.0.2.8<", "<source_ip>192.0.2.8\u0000<")});
        c.add(new Object[] {"a control character in a value", pretty(two).replace("<org_name>google.com", "<org_name>goo\u0001gle")});
        c.add(new Object[] {"a C1 control in a value", pretty(two).replace("<org_name>google.com", "<org_name>goo\u0085gle")});
        c.add(new Object[] {"U+FFFE in a value", pretty(two).replace("<org_name>google.com", "<org_name>goo\uFFFEgle")});
        c.add(new Object[] {"a reference to NUL", pretty(two).replace("<org_name>google.com", "<org_name>goo&#0;gle")});
        c.add(new Object[] {"a reference to a surrogate", pretty(two).replace("<org_name>google.com", "<org_name>goo&#xD800;gle")});
        c.add(new Object[] {"a reference to CR", pretty(two).replace("<org_name>google.com", "<org_name>goo&#13;gle")});
        c.add(new Object[] {"cut off after some records", pretty(ten).substring(0, pretty(ten).indexOf("<record><row><source_ip>192.0.2.9<") + 40)});
        c.add(new Object[] {"garbage after the root", pretty(two) + "<feedback>again</feedback> &junk"});
        c.add(new Object[] {"a comment after the root", pretty(two) + "<!-- done -->\n"});
        c.add(new Object[] {"text before the root", "hello " + pretty(two).substring(pretty(two).indexOf('\n') + 1)});
        c.add(new Object[] {"whitespace before the declaration", " " + pretty(two)});
        c.add(new Object[] {"nothing", ""});
        c.add(new Object[] {"whitespace only", " \n "});
        c.add(new Object[] {"another root element", "<report><a/></report>"});
        c.add(new Object[] {"a value over the text limit", pretty(two).replace("<org_name>google.com", "<org_name>" + "g".repeat(70_000))});
        c.add(new Object[] {"an attribute over the limit", pretty(two).replace("<feedback>", "<feedback a=\"" + "v".repeat(70_000) + "\">")});
        c.add(new Object[] {"nesting over the limit", pretty(two).replace("<row>", "<x>".repeat(70) + "</x>".repeat(70) + "<row>")});
        c.add(new Object[] {"many attributes", pretty(two).replace("<feedback>", "<feedback" + attributes(40) + ">")});
        c.add(new Object[] {"< in an attribute value", pretty(two).replace("<feedback>", "<feedback a=\"<\">")});
        c.add(new Object[] {"a name beyond ASCII", pretty(two).replace("<row>", "<row><\u00e9l\u00e9ment>1</\u00e9l\u00e9ment>")});
        c.add(new Object[] {"a stray schema element", "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">" + pretty(two)
                .substring(pretty(two).indexOf('\n') + 1)});
        c.add(new Object[] {"an unquoted attribute", pretty(two).replace("<feedback>", "<feedback a=1>")});
        c.add(new Object[] {"attributes without whitespace between", pretty(two).replace("<feedback>", "<feedback a=\"1\"b=\"2\">")});
        return c;
    }

    private static String attributes(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(" a").append(i).append("=\"").append(i).append('"');
        }
        return sb.toString();
    }

    private static byte[] bytes(String xml) {
        // U+0000 in a case stands for a byte that is not UTF-8 at all.
        byte[] b = xml.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                b[i] = (byte) 0xC3;
            }
        }
        if (xml.contains("ISO-8859-1")) {
            return xml.getBytes(StandardCharsets.ISO_8859_1);
        }
        return b;
    }

    static void assertSame(byte[] xml, ParserLimits limits, String what) {
        EventLog expected = ScannerProbe.read(AggregateXmlParser.woodstoxOnly(limits), xml);
        EventLog actual = ScannerProbe.read(new AggregateXmlParser(limits), xml);
        assertFalse(expected.events().isEmpty(), what);
        assertNull(EventLog.difference(expected, actual), what);
    }

    @TestFactory
    Stream<DynamicTest> trickyInputsTheScannerReadsItself() {
        return fastCases().stream().map(c -> dynamicTest((String) c[0], () -> {
            byte[] xml = bytes((String) c[1]);
            assertNull(ScannerProbe.bailout(xml, LIMITS), "handed over");
            assertSame(xml, LIMITS, (String) c[0]);
        }));
    }

    @TestFactory
    Stream<DynamicTest> unusualInputsAreHandedToWoodstoxWithTheSameResult() {
        return handedOverCases().stream().map(c -> dynamicTest((String) c[0], () -> {
            byte[] xml = bytes((String) c[1]);
            assertNotNull(ScannerProbe.bailout(xml, LIMITS), "read by the scanner");
            assertSame(xml, LIMITS, (String) c[0]);
        }));
    }

    @Test
    void aHandOverMidwayDeliversEveryRecordOnce() {
        byte[] xml = bytes(pretty(records(40).replace("<source_ip>192.0.2.31<", "<source_ip><?pi?>192.0.2.31<")));
        ScannerProbe.Outcome probe = ScannerProbe.probe(xml, LIMITS);
        assertNotNull(probe.bailout());
        assertEquals(30, probe.records(), "records the scanner delivered before handing over");
        EventLog log = ScannerProbe.read(SCANNING, xml);
        List<AggregateRecord> records = log.events().stream().filter(e -> e instanceof AggregateRecord)
                .map(e -> (AggregateRecord) e).toList();
        assertEquals(40, records.size());
        for (int i = 0; i < records.size(); i++) {
            assertEquals(i, records.get(i).index());
            assertEquals(i + 1, records.get(i).count());
        }
        assertEquals(1, log.events().stream().filter(e -> e instanceof AggregateHeader).count());
        assertSame(xml, LIMITS, "processing instruction after 30 records");
    }

    @Test
    void aBrokenDocumentHandedOverMidwayIsWithdrawnOnceAndRepaired() {
        byte[] xml = bytes(pretty(records(40)).replace("<count>35</count>", "<count>35</cout>"));
        assertEquals(34, ScannerProbe.probe(xml, LIMITS).records());
        EventLog log = ScannerProbe.read(SCANNING, xml);
        assertEquals(1, log.events().stream().filter(e -> e instanceof EventLog.Abort).count(), log.events().toString());
        assertSame(xml, LIMITS, "mismatched end tag after 34 records");
    }

    /**
     * Woodstox decodes ahead and fails on bytes that are not UTF-8 before it returns the records just
     * before them: the scanner must never have delivered more records than Woodstox would have.
     */
    @Test
    void bytesThatAreNotUtf8AnywhereInALongReportGiveWoodstoxsResult() {
        byte[] clean = bytes(pretty(records(1_100)));
        assertTrue(clean.length > 2 * Utf8Input.WINDOW);
        int w = Utf8Input.WINDOW;
        int ahead = Utf8Input.CHECKED_AHEAD;
        int[] at = {200, w - 50, w + 50, w + ahead - 10, w + ahead + 10, 2 * w - 10, 2 * w + 3_000, clean.length - 300};
        for (int i = 0; i < at.length; i++) {
            byte[] broken = clean.clone();
            broken[at[i]] = i % 2 == 0 ? (byte) 0xFF : 0x01;
            assertSame(broken, LIMITS, broken[at[i]] + " at byte " + at[i]);
        }
        // Control characters are not looked for ahead: Woodstox too meets them in order, never before
        // delivering the records in front of them.
        for (int i = 0; i < 8; i++) {
            byte[] broken = clean.clone();
            broken[w + 1_000 + i * 1_777] = 0x01;
            assertSame(broken, LIMITS, "0x01 at byte " + (w + 1_000 + i * 1_777));
        }
    }

    @Test
    void anUncheckedExceptionOfTheHandlerIsPassedOnNotTakenForAReadError() {
        byte[] xml = bytes(pretty(records(3)));
        int[] calls = new int[1];
        io.dmarclens.parser.ReportHandler failing = new io.dmarclens.parser.ReportHandler() {
            @Override
            public void beginAggregate(AggregateHeader header) {
            }

            @Override
            public void record(AggregateRecord record) {
                calls[0]++;
                throw new java.io.UncheckedIOException(new IOException("disk full"));
            }

            @Override
            public void endAggregate(List<io.dmarclens.parser.ParseWarning> warnings) {
            }

            @Override
            public void endPartialAggregate(List<io.dmarclens.parser.ParseWarning> warnings,
                                            io.dmarclens.parser.Truncation truncation) {
            }

            @Override
            public void failure(io.dmarclens.parser.failure.FailureReport report) {
            }

            @Override
            public void tls(io.dmarclens.parser.tlsrpt.TlsReport report) {
            }
        };
        java.io.UncheckedIOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.UncheckedIOException.class,
                () -> SCANNING.parse(io.dmarclens.parser.ReportSource.of("t.xml"), () -> new java.io.ByteArrayInputStream(xml), failing));
        assertEquals("disk full", e.getCause().getMessage());
        assertEquals(1, calls[0], "the document was not read again");
    }

    @Test
    void smallLimitsGiveWoodstoxsErrors() {
        byte[] xml = bytes(pretty(records(3)));
        assertSame(xml, new ParserLimits(1 << 20, 10, 4, 3, 1000), "depth 3");
        assertSame(xml, new ParserLimits(1 << 20, 10, 4, 64, 8), "text 8");
        assertSame(xml, new ParserLimits(1 << 20, 10, 4, 5, 20), "depth 5, text 20");
    }

    @Test
    void wellFormedSamplesStayOnTheFastPath() throws IOException {
        Path dir = Corpus.sampleReports().resolve("aggregate");
        List<Path> xmlFiles;
        try (Stream<Path> files = Files.list(dir)) {
            xmlFiles = files.filter(f -> f.toString().endsWith(".xml")).sorted().toList();
        }
        assertTrue(xmlFiles.size() >= 20);
        for (Path f : xmlFiles) {
            String bailout = ScannerProbe.bailout(Files.readAllBytes(f), LIMITS);
            if (MALFORMED_SAMPLES.contains(f.getFileName().toString())) {
                assertNotNull(bailout, f + " is not well-formed yet was read by the scanner");
            } else {
                assertNull(bailout, f.toString());
            }
        }
    }

    /**
     * Seeded random damage to well-formed reports (inserted markup, references, line ends, bytes that
     * are not UTF-8, cut spans): whatever each mutant is, both parsers must give the same calls.
     */
    @Test
    void randomlyDamagedReportsReadTheSameWithAndWithoutTheScanner() throws IOException {
        List<byte[]> bases = new ArrayList<>();
        for (Object[] c : fastCases()) {
            byte[] b = bytes((String) c[1]);
            if (b.length < 20_000) {
                bases.add(b);
            }
        }
        bases.add(Files.readAllBytes(Corpus.sampleReports().resolve("aggregate/gmx-dmarc-2.0.xml")));
        String[] tokens = {"<!--x-->", "<!-- -- -->", "&amp;", "&lt;", "&#65;", "&#x1F600;", "&#0;", "&bogus;", "&", "<", ">",
                "]]>", "]]", "<![CDATA[c]]>", "<![CDATA[", "<?pi x?>", "<?xml version=\"1.0\"?>", "\r\n", "\r", "\t", " ",
                "<x/>", "<x>", "</x>", "</", "<a:b/>", "<r xmlns=\"urn:x\"/>", " a=\"1\"", " xmlns:p=\"urn:p\"", "'", "\"", "=",
                "\u00e9", "\uFEFF", "\u0085", "\u0001", "<!DOCTYPE x>", "<feedback>", "</feedback>", "<record>", "</record>"};
        Random random = new Random(20261129);
        int handedOver = 0;
        for (int i = 0; i < 600; i++) {
            byte[] base = bases.get(random.nextInt(bases.size()));
            byte[] mutant = mutate(base, random, tokens);
            if (ScannerProbe.bailout(mutant, LIMITS) != null) {
                handedOver++;
            }
            assertSame(mutant, LIMITS, "mutant " + i + ":\n" + new String(mutant, StandardCharsets.UTF_8));
        }
        assertTrue(handedOver > 120 && handedOver < 540, handedOver + " of 600 mutants handed over: the mix is not testing both paths");
    }

    private static byte[] mutate(byte[] base, Random random, String[] tokens) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = random.nextInt(base.length);
        out.write(base, 0, at);
        switch (random.nextInt(4)) {
            case 0 -> out.writeBytes(tokens[random.nextInt(tokens.length)].getBytes(StandardCharsets.UTF_8));
            case 1 -> at = Math.min(base.length, at + 1 + random.nextInt(12));
            case 2 -> {
                out.write(random.nextInt(256));
                at = Math.min(base.length, at + 1);
            }
            default -> {
                String t = tokens[random.nextInt(tokens.length)];
                out.writeBytes(t.getBytes(StandardCharsets.UTF_8));
                at = Math.min(base.length, at + random.nextInt(4));
            }
        }
        out.write(base, at, base.length - at);
        return out.toByteArray();
    }
}
