package io.dmarclens.parser.aggregate;

import static io.dmarclens.parser.aggregate.AggregateXmlParserTest.METADATA;
import static io.dmarclens.parser.aggregate.AggregateXmlParserTest.POLICY;
import static io.dmarclens.parser.aggregate.AggregateXmlParserTest.feedback;
import static io.dmarclens.parser.aggregate.AggregateXmlParserTest.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.dmarclens.parser.LimitExceededException;
import io.dmarclens.parser.ParserLimits;
import io.dmarclens.parser.ReportParseException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reports are written by strangers: entity attacks, huge values, deep nesting and junk end in clear errors. */
class HostileXmlTest {

    private static ReportParseException refused(String xml) {
        return assertThrows(ReportParseException.class, () -> Collector.parse(xml));
    }

    @Test
    void refusesAnExternalEntityReadingALocalFile(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET");
        String xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE feedback [ <!ENTITY xxe SYSTEM \"" + secret.toUri() + "\"> ]>\n"
                + feedback(METADATA.replace("google.com</org_name>", "&xxe;</org_name>") + POLICY + record("192.0.2.1", 1))
                .replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", "");
        ReportParseException e = refused(xml);
        assertTrue(e.getMessage().startsWith("XML declares a DTD (<!DOCTYPE ...>) at line 2"), e.getMessage());
        assertTrue(!e.getMessage().contains("TOP-SECRET"));
    }

    @Test
    void neverFetchesAnExternalEntityOrDtdByUrl() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AtomicInteger requests = new AtomicInteger();
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = "<!ENTITY leak \"fetched\">".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/evil.dtd";
            ReportParseException e1 = refused("<?xml version=\"1.0\"?><!DOCTYPE feedback SYSTEM \"" + url + "\">"
                    + "<feedback>" + METADATA + POLICY + "</feedback>");
            ReportParseException e2 = refused("<?xml version=\"1.0\"?><!DOCTYPE feedback [ <!ENTITY % ext SYSTEM \""
                    + url + "\"> %ext; <!ENTITY x SYSTEM \"" + url + "\"> ]><feedback>&x;</feedback>");
            assertTrue(e1.getMessage().contains("DTD"), e1.getMessage());
            assertTrue(e2.getMessage().contains("DTD"), e2.getMessage());
            assertEquals(0, requests.get(), "no request may reach the server");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void billionLaughsIsRefusedBeforeAnyExpansion() {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE feedback [ <!ENTITY lol \"lol\">");
        for (int i = 1; i <= 9; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"");
            for (int k = 0; k < 10; k++) {
                dtd.append("&lol").append(i == 1 ? "" : String.valueOf(i - 1)).append(';');
            }
            dtd.append("\">");
        }
        dtd.append("]>");
        String xml = "<?xml version=\"1.0\"?>\n" + dtd + "<feedback><report_metadata><org_name>&lol9;</org_name>"
                + "</report_metadata></feedback>";
        ReportParseException e = refused(xml);
        assertTrue(e.getMessage().contains("DTD"), e.getMessage());
    }

    @Test
    void anUndeclaredEntityWithoutDtdStaysText() throws Exception {
        AggregateReport r = Collector.parse(feedback(METADATA.replace("google.com</org_name>", "&lol9;</org_name>")
                + POLICY + record("192.0.2.1", 1)));
        assertEquals("&lol9;", r.metadata().orgName());
    }

    @Test
    void aOneMegabyteAttributeIsALimitError() {
        String big = "x".repeat(1 << 20);
        LimitExceededException e = assertThrows(LimitExceededException.class,
                () -> Collector.parse(feedback(METADATA.replace("<org_name>", "<org_name a=\"" + big + "\">") + POLICY)));
        assertTrue(e.getMessage().contains("safety limit") && e.getMessage().contains("attribute"), e.getMessage());
    }

    @Test
    void aOneMegabyteValueIsALimitError() {
        String big = "x".repeat(1 << 20);
        LimitExceededException e = assertThrows(LimitExceededException.class,
                () -> Collector.parse(feedback(METADATA.replace("google.com</org_name>", big + "</org_name>") + POLICY)));
        assertTrue(e.getMessage().contains("65536"), e.getMessage());
    }

    @Test
    void deepNestingIsALimitError() {
        String deep = "<x>".repeat(100_000) + "</x>".repeat(100_000);
        LimitExceededException e = assertThrows(LimitExceededException.class,
                () -> Collector.parse(feedback(METADATA + POLICY + "<extension>" + deep + "</extension>")));
        assertTrue(e.getMessage().contains("depth"), e.getMessage());

        LimitExceededException unclosed = assertThrows(LimitExceededException.class,
                () -> Collector.parse(feedback(METADATA + POLICY + "<x>".repeat(100_000))));
        assertTrue(unclosed.getMessage().contains("depth"), unclosed.getMessage());
    }

    @Test
    void deepNestingWithinTheConfiguredDepthIsRead() throws Exception {
        String nested = "<x>".repeat(20) + "</x>".repeat(20);
        AggregateReport r = Collector.collect(feedback(METADATA + POLICY + "<extension>" + nested + "</extension>"
                + record("192.0.2.1", 1)).getBytes(StandardCharsets.UTF_8), new ParserLimits(1 << 20, 10, 4, 32, 1000)).reports.get(0);
        assertEquals(1, r.records().size());
    }

    @Test
    void binaryJunkBehindAnXmlHeaderIsAClearError() {
        byte[] head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n".getBytes(StandardCharsets.UTF_8);
        byte[] junk = new byte[64 * 1024];
        new Random(42).nextBytes(junk);
        byte[] all = new byte[head.length + junk.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(junk, 0, all, head.length, junk.length);
        ReportParseException e = assertThrows(ReportParseException.class, () -> Collector.parse(all));
        assertTrue(e.getMessage().startsWith("XML is not well-formed at line ")
                || e.getMessage().startsWith("XML is not a DMARC report"), e.getMessage());
    }

    @Test
    void binaryJunkInsideTheReportIsReplacedAndWarned() throws Exception {
        byte[] junk = new byte[300];
        new Random(7).nextBytes(junk);
        for (int i = 0; i < junk.length; i++) {
            if (junk[i] == '<' || junk[i] == '&') {
                junk[i] = 'x';
            }
        }
        String before = feedback(METADATA.replace("google.com</org_name>", "#</org_name>") + POLICY + record("192.0.2.1", 3));
        String[] halves = before.split("#");
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.writeBytes(halves[0].getBytes(StandardCharsets.UTF_8));
        b.writeBytes(junk);
        b.writeBytes(halves[1].getBytes(StandardCharsets.UTF_8));
        AggregateReport r = Collector.parse(b.toByteArray());
        assertEquals(3, r.messageCount());
        assertTrue(r.warnings().stream().anyMatch(w -> w.message().contains("U+FFFD")), r.warnings().toString());
    }

    @Test
    void zeroBytesIsAClearError() {
        ReportParseException e = assertThrows(ReportParseException.class, () -> Collector.parse(new byte[0]));
        assertTrue(e.getMessage().startsWith("XML is not well-formed"), e.getMessage());
    }

    @Test
    void aCapHitByThePayloadStreamIsALimitErrorAndWithdrawsTheReport() {
        byte[] xml = feedback(METADATA + POLICY + record("192.0.2.1", 1).repeat(2_000)).getBytes(StandardCharsets.UTF_8);
        Collector c = new Collector();
        io.dmarclens.parser.container.PayloadOpener capped = () -> new java.io.FilterInputStream(new java.io.ByteArrayInputStream(xml)) {
            private long read;

            @Override
            public int read(byte[] b, int off, int len) throws java.io.IOException {
                if (read > 200_000) {
                    throw new io.dmarclens.parser.container.LimitExceededIOException("decompressed data exceeds 200,000 bytes");
                }
                int n = super.read(b, off, Math.min(len, 4096));
                read += Math.max(n, 0);
                return n;
            }
        };
        LimitExceededException e = assertThrows(LimitExceededException.class,
                () -> new AggregateXmlParser(ParserLimits.DEFAULT).parse(io.dmarclens.parser.ReportSource.of("capped.xml"), capped, c));
        assertEquals("decompressed data exceeds 200,000 bytes", e.getMessage());
        assertEquals(1, c.aborts.size(), "the begun report is withdrawn");
        assertEquals(0, c.reports.size());
    }
}
