package io.dmarclens.parser;

import static io.dmarclens.parser.ContainerFixtures.aggregateXml;
import static io.dmarclens.parser.ContainerFixtures.ascii;
import static io.dmarclens.parser.ContainerFixtures.base64;
import static io.dmarclens.parser.ContainerFixtures.gzip;
import static io.dmarclens.parser.ContainerFixtures.headers;
import static io.dmarclens.parser.ContainerFixtures.zip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.parser.container.PayloadSpooler;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs written to hurt: entity attacks, compression bombs, absurd nesting and sizes, truncation and
 * junk. Each must end in a {@link ReportParseException} that says what is wrong, within the caps of
 * {@link ParserLimits#DEFAULT}, with the default test heap. The timeouts only guard against hangs.
 */
class HostileInputTest {
    private static final Duration HANG_GUARD = Duration.ofSeconds(30);
    private static final String DEFAULT_CAP_MESSAGE =
            "decompressed data exceeds the limit of 536,870,912 bytes for one input (a compression bomb?)";
    /** Most bombs run against a lower cap: the mechanism is the same, and inflating 512 MiB each time is slow. */
    private static final long LOW_CAP = 64L << 20;
    private static final String LOW_CAP_MESSAGE =
            "decompressed data exceeds the limit of 67,108,864 bytes for one input (a compression bomb?)";
    private static final byte[] XML_START = ("<?xml version=\"1.0\"?>\n<feedback><report_metadata><org_name>")
            .getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path tempDir;
    private Path spoolDir;
    private ReportParser parser;
    private ReportParser lowCapParser;

    @BeforeEach
    void setUp() throws IOException {
        spoolDir = Files.createDirectory(tempDir.resolve("spool"));
        PayloadSpooler spooler = new PayloadSpooler(PayloadSpooler.DEFAULT_MEMORY_THRESHOLD, spoolDir);
        parser = new ReportParser(ParserLimits.DEFAULT, spooler);
        lowCapParser = new ReportParser(ParserLimits.DEFAULT.withMaxDecompressedBytes(LOW_CAP), spooler);
    }

    private ReportParseException fails(String name, byte[] input) {
        return fails(parser, name, input);
    }

    private ReportParseException fails(ReportParser parser, String name, byte[] input) {
        return fails(parser, name, input, HANG_GUARD);
    }

    private ReportParseException fails(ReportParser parser, String name, byte[] input, Duration hangGuard) {
        ReportParseException[] thrown = new ReportParseException[1];
        assertTimeoutPreemptively(hangGuard, () -> {
            thrown[0] = assertThrows(ReportParseException.class, () -> parser.parseAll(name, input));
        });
        assertNoSpoolFileLeft();
        return thrown[0];
    }

    private void assertNoSpoolFileLeft() {
        try (Stream<Path> left = Files.list(spoolDir)) {
            assertEquals(0, left.count(), "spool files are deleted even when reading fails");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertContains(String expected, String message) {
        assertTrue(message.toLowerCase(Locale.ROOT).contains(expected.toLowerCase(Locale.ROOT)),
                () -> "expected '" + expected + "' in: " + message);
    }

    @Test
    void externalFileEntityIsNeverRead() throws Exception {
        Path secret = tempDir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET-MARKER");
        String xml = """
                <?xml version="1.0"?>
                <!DOCTYPE feedback [<!ENTITY xxe SYSTEM "%s">]>
                <feedback><report_metadata><org_name>&xxe;</org_name><email>a@b.example</email>
                <report_id>1</report_id><date_range><begin>1</begin><end>2</end></date_range></report_metadata>
                <policy_published><domain>example.com</domain><p>none</p></policy_published></feedback>
                """.formatted(secret.toUri());
        ReportParseException e = fails("xxe-file.xml", xml.getBytes(StandardCharsets.UTF_8));
        assertContains("DTD", e.getMessage());
        assertFalse(e.getMessage().contains("TOP-SECRET-MARKER"), e.getMessage());
    }

    @Test
    void externalUrlEntityAndDtdAreNeverFetched() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        connections.incrementAndGet();
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String base = "http://127.0.0.1:" + server.getLocalPort();
            String external = """
                    <?xml version="1.0"?>
                    <!DOCTYPE feedback SYSTEM "%s/feedback.dtd">
                    <feedback><report_metadata><org_name>x</org_name></report_metadata></feedback>
                    """.formatted(base);
            String parameterEntity = """
                    <?xml version="1.0"?>
                    <!DOCTYPE feedback [<!ENTITY %% remote SYSTEM "%s/evil.dtd"> %%remote;
                      <!ENTITY leak SYSTEM "%s/leak">]>
                    <feedback><report_metadata><org_name>&leak;</org_name></report_metadata></feedback>
                    """.formatted(base, base);
            assertContains("DTD", fails("xxe-url.xml", external.getBytes(StandardCharsets.UTF_8)).getMessage());
            assertContains("DTD", fails("xxe-param.xml", parameterEntity.getBytes(StandardCharsets.UTF_8)).getMessage());
        }
        assertEquals(0, connections.get(), "the parser must never connect anywhere");
    }

    @Test
    void billionLaughs() {
        StringBuilder dtd = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE feedback [\n<!ENTITY lol0 \"lol\">\n");
        for (int i = 1; i <= 9; i++) {
            String ref = ("&lol" + (i - 1) + ";").repeat(10);
            dtd.append("<!ENTITY lol").append(i).append(" \"").append(ref).append("\">\n");
        }
        dtd.append("]>\n<feedback><report_metadata><org_name>&lol9;</org_name></report_metadata></feedback>\n");
        ReportParseException e = fails("laughs.xml", dtd.toString().getBytes(StandardCharsets.UTF_8));
        assertContains("DTD", e.getMessage());
    }

    @Test
    void gzipBombOfXmlStopsAtTheDecompressionCap() {
        byte[] bomb = Bombs.gzip(XML_START, (byte) ' ', 10L << 30);
        assertTrue(bomb.length < 16 << 20, "10 GB compressed into " + bomb.length + " bytes");
        // The one bomb run against the default cap: 512 MiB are inflated and spooled (about 2 s on an idle
        // machine, several times that on a busy one), hence the wider hang guard.
        ReportParseException e = fails(parser, "bomb.xml.gz", bomb, Duration.ofSeconds(120));
        assertInstanceOf(LimitExceededException.class, e);
        assertEquals(DEFAULT_CAP_MESSAGE, e.getMessage());
    }

    @Test
    void gzipBombOfZerosIsRefusedWithoutInflatingIt() {
        ReportParseException e = fails("zeros.gz", Bombs.gzip(new byte[0], (byte) 0, 10L << 30));
        assertEquals("gzip stream holds no report: its content starts with bytes 00 00 00 00 00 00 00 00",
                e.getMessage());
    }

    @Test
    void zipBombStopsAtTheDecompressionCap() {
        byte[] bomb = Bombs.zip("report.xml", XML_START, (byte) ' ', 10L << 30);
        ReportParseException e = fails(lowCapParser, "bomb.zip", bomb);
        assertInstanceOf(LimitExceededException.class, e);
        assertEquals(LOW_CAP_MESSAGE, e.getMessage());
        assertEquals("report.xml", e.source().part());
    }

    @Test
    void zipBombOfZerosIsStoppedByTheCapWhileSkipped() {
        // A member that is no report is skipped, but skipping inflates it: the cap still applies.
        ReportParseException e = fails(lowCapParser, "zeros.zip", Bombs.zip("zeros.bin", new byte[0], (byte) 0, 10L << 30));
        assertInstanceOf(LimitExceededException.class, e);
        assertEquals(LOW_CAP_MESSAGE, e.getMessage());
    }

    @Test
    void theCapCountsEveryMemberOfOneInputTogether() throws IOException {
        // Two members of 40 MiB each: each is under the 64 MiB cap, together they are not.
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        byte[] block = new byte[1 << 20];
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
            zip.setLevel(java.util.zip.Deflater.BEST_SPEED);
            for (String name : new String[] {"a.bin", "b.bin"}) {
                zip.putNextEntry(new java.util.zip.ZipEntry(name));
                for (int i = 0; i < 40; i++) {
                    zip.write(block);
                }
                zip.closeEntry();
            }
        }
        ReportParseException e = fails(lowCapParser, "two.zip", bytes.toByteArray());
        assertInstanceOf(LimitExceededException.class, e);
        assertEquals(LOW_CAP_MESSAGE, e.getMessage());
    }

    @Test
    void zipWithTenThousandMembers() {
        Map<String, byte[]> members = new LinkedHashMap<>();
        for (int i = 0; i < 10_000; i++) {
            members.put("member-" + i + ".xml", new byte[0]);
        }
        ReportParseException e = fails("many.zip", zip(members));
        assertInstanceOf(LimitExceededException.class, e);
        assertEquals("zip archive has 10,000 members, more than the limit of 1,000", e.getMessage());
    }

    @Test
    void containersNestedFiftyDeep() {
        byte[] data = aggregateXml("deep", "example.com", 1);
        for (int i = 0; i < 50; i++) {
            data = switch (i % 3) {
                case 0 -> gzip(data);
                case 1 -> zip("level-" + i, data);
                default -> base64(data).getBytes(StandardCharsets.US_ASCII);
            };
        }
        ReportParseException e = fails("deep.bin", data);
        assertInstanceOf(LimitExceededException.class, e);
        assertEquals("containers nested more than 8 levels deep (zip, gzip, mail or base64 inside each other)",
                e.getMessage());
    }

    @Test
    void mailsNestedFiftyDeep() {
        String mail = new String(ascii(headers("innermost") + "Content-Type: text/xml\n\n"), StandardCharsets.UTF_8)
                + new String(aggregateXml("deep-mail", "example.com", 1), StandardCharsets.UTF_8);
        for (int i = 0; i < 50; i++) {
            mail = headers("level " + i) + "Content-Type: message/rfc822\n\n" + mail;
        }
        ReportParseException e = fails("deep.eml", ascii(mail));
        assertInstanceOf(LimitExceededException.class, e);
        assertContains("nested more than 8 levels deep", e.getMessage());
    }

    @Test
    void truncatedGzipGivesAPartialReport() throws Exception {
        byte[] gz = gzip(aggregateXml("cut", "example.com", 400));
        int cut = gz.length / 2;
        var r = (io.dmarclens.parser.aggregate.AggregateReport) parser.parseAll("cut.xml.gz", Arrays.copyOf(gz, cut)).get(0);
        assertTrue(r.partial());
        assertTrue(r.truncation().reason().startsWith(String.format(Locale.ROOT, "gzip stream truncated after %,d bytes", cut)),
                r.truncation().reason());
    }

    @Test
    void truncatedZipGivesAPartialReport() throws Exception {
        byte[] z = zip("cut.xml", aggregateXml("cut", "example.com", 400));
        var r = (io.dmarclens.parser.aggregate.AggregateReport) parser.parseAll("cut.zip", Arrays.copyOf(z, z.length / 2)).get(0);
        assertTrue(r.partial());
        assertTrue(r.records().size() < 400);
    }

    @Test
    void zipCutBeforeAnyMemberDataSaysItHasNoDirectory() {
        byte[] z = zip("cut.xml", aggregateXml("cut", "example.com", 400));
        ReportParseException e = fails("cut.zip", Arrays.copyOf(z, 20));
        assertEquals("zip archive truncated or damaged: no end-of-central-directory record in its 20 bytes", e.getMessage());
    }

    @Test
    void hundredMegabytesOfGarbageIsRefusedFromItsFirstBytes() {
        long size = 100L << 20;
        CountingGarbage garbage = new CountingGarbage(size, 42);
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            ReportParseException e = assertThrows(ReportParseException.class,
                    () -> parser.parse(ReportSource.of("garbage.bin"), garbage, new ReportParserContainerTest
                            .RecordingHandler(new java.util.ArrayList<>(), new java.util.ArrayList<>())));
            assertContains("not a report: the content is none of gzip, zip, XML, JSON, mail or base64", e.getMessage());
        });
        assertTrue(garbage.read < 1 << 20, "only the first bytes were read, not " + garbage.read);
    }

    @Test
    void hundredMegabytesOfGarbageBehindAGzipMagic() {
        byte[] junk = new byte[100 << 20];
        new Random(7).nextBytes(junk);
        junk[0] = 0x1f;
        junk[1] = (byte) 0x8b;
        junk[2] = 8;
        junk[3] = 0;
        ReportParseException e = fails("junk.gz", junk);
        assertContains("gzip stream damaged after", e.getMessage());
    }

    @Test
    void oneMegabyteAttribute() {
        String xml = "<?xml version=\"1.0\"?>\n<feedback a=\"" + "x".repeat(1 << 20) + "\"><report_metadata>"
                + "<org_name>x</org_name></report_metadata></feedback>";
        ReportParseException e = fails("attr.xml", xml.getBytes(StandardCharsets.US_ASCII));
        assertInstanceOf(LimitExceededException.class, e);
        assertContains("limit", e.getMessage());
    }

    @Test
    void binaryJunkWithAnXmlHeader() {
        byte[] junk = new byte[1 << 20];
        new Random(11).nextBytes(junk);
        byte[] header = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(header, 0, junk, 0, header.length);
        ReportParseException e = fails("junk.xml", junk);
        assertContains("XML", e.getMessage());
    }

    @Test
    void mailWithTooManyHeaders() {
        StringBuilder mail = new StringBuilder(headers("many headers"));
        for (int i = 0; i < 5_000; i++) {
            mail.append("X-Junk-").append(i).append(": ").append(i).append('\n');
        }
        mail.append("Content-Type: text/xml\n\n").append(new String(aggregateXml("h", "example.com", 1),
                StandardCharsets.UTF_8));
        ReportParseException e = fails("headers.eml", ascii(mail.toString()));
        assertContains("mail is malformed", e.getMessage());
        assertContains("header", e.getMessage());
    }

    /** Pseudo-random bytes that are produced, never stored, and counted as they are read. */
    private static final class CountingGarbage extends InputStream {
        private final long size;
        private final Random random;
        private long read;

        CountingGarbage(long size, long seed) {
            this.size = size;
            this.random = new Random(seed);
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (read >= size) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            int n = (int) Math.min(len, size - read);
            byte[] chunk = new byte[n];
            random.nextBytes(chunk);
            chunk[0] = read == 0 ? (byte) 0x9c : chunk[0]; // never a magic number by chance
            System.arraycopy(chunk, 0, b, off, n);
            read += n;
            return n;
        }
    }

}
