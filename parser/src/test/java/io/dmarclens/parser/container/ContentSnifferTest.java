package io.dmarclens.parser.container;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dmarclens.parser.ContainerFixtures;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Content kinds from first bytes only. */
class ContentSnifferTest {
    private static ContentKind sniff(byte[] bytes) {
        return ContentSniffer.sniff(bytes, bytes.length);
    }

    private static ContentKind sniff(String text) {
        return sniff(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void magicNumbers() {
        assertEquals(ContentKind.EMPTY, sniff(new byte[0]));
        assertEquals(ContentKind.GZIP, sniff(ContainerFixtures.gzip(new byte[] {1, 2, 3})));
        assertEquals(ContentKind.ZIP, sniff(ContainerFixtures.zip("a.xml", new byte[] {1})));
        assertEquals(ContentKind.EMPTY_ZIP, sniff(ContainerFixtures.zip(java.util.Map.of())));
        assertEquals(ContentKind.UNKNOWN, sniff(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10}));
        assertEquals(ContentKind.UNKNOWN, sniff(new byte[] {'P', 'K'}));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "<?xml version=\"1.0\"?><feedback/>|XML",
        "\\t\\n  <feedback><report_metadata/></feedback>|XML",
        "<ns:feedback xmlns:ns=\"urn:ietf:params:xml:ns:dmarc-2.0\"/>|XML",
        "<!DOCTYPE html><html><body>report</body></html>|HTML",
        "<?xml version=\"1.0\"?><!-- x --><html xmlns=\"http://www.w3.org/1999/xhtml\"/>|HTML",
        "<div>This is a DMARC aggregate report from Microsoft</div>|HTML",
        "<p>hello</p>|HTML",
        "<divx>not html</divx>|XML",
        "{\"organization-name\":\"x\"}|JSON",
        "  {}|JSON",
        "Hello, this is text.|UNKNOWN",
        "Subject: x\\nFrom: a@b.example\\n\\nbody|MAIL",
        "From sender@example.com Mon Jan  1 00:00:00 2024\\nReceived: from x\\nSubject: y\\n\\n|MAIL",
        "X-Custom: 1\\nX-Other: 2\\n\\nbody|UNKNOWN",
        "Subject: x\\r\\nFrom: a@b.example\\r\\n\\r\\nbody|MAIL",
        "Subject: a folded\\n\\tsubject\\nTo: d@e.example\\n\\n|MAIL",
        "\\tSubject: folded first\\nTo: d@e.example\\n\\n|UNKNOWN",
        "Subject x\\nTo: d@e.example\\n\\n|UNKNOWN",
        "Subject: a lone\\rcarriage return\\nTo: d@e.example\\n\\n|UNKNOWN",
        "Subject: cut off, no complete line|UNKNOWN",
        "From sender@example.com|UNKNOWN",
    })
    void textKinds(String text, ContentKind kind) {
        assertEquals(kind, sniff(text.replace("\\n", "\n").replace("\\t", "\t").replace("\\r", "\r")));
    }

    @Test
    void headerNamesLongerThanALineAllowsAreNoMail() {
        assertEquals(ContentKind.MAIL, sniff("Subject: x\n" + "X".repeat(76) + ": y\n\n"));
        assertEquals(ContentKind.UNKNOWN, sniff("Subject: x\n" + "X".repeat(77) + ": y\n\n"));
    }

    @Test
    void byteOrderMarksAndUtf16() {
        assertEquals(ContentKind.XML, sniff(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, '<', 'f'}));
        assertEquals(ContentKind.XML, sniff("<feedback/>".getBytes(StandardCharsets.UTF_16)));
        assertEquals(ContentKind.XML, sniff("<feedback/>".getBytes(StandardCharsets.UTF_16LE)));
    }

    @Test
    void base64OnlyWhenItDecodesToSomethingThatMayHoldAReport() {
        String gz = ContainerFixtures.base64(ContainerFixtures.gzip("<feedback/>".getBytes(StandardCharsets.UTF_8)));
        assertEquals(ContentKind.BASE64, sniff(gz));
        String xml = ContainerFixtures.base64("<?xml version=\"1.0\"?><feedback/>".getBytes(StandardCharsets.UTF_8));
        assertEquals(ContentKind.BASE64, sniff(xml));
        String text = ContainerFixtures.base64("just some words, no report".getBytes(StandardCharsets.UTF_8));
        assertEquals(ContentKind.UNKNOWN, sniff(text));
        assertEquals(ContentKind.UNKNOWN, sniff("abcdefgh"), "a plain word is no base64 report");
    }

    @Test
    void describeStartIsPrintableOrHex() {
        assertEquals("'unused'", ContentSniffer.describeStart("unused".getBytes(StandardCharsets.US_ASCII), 6));
        assertEquals("bytes 00 ff", ContentSniffer.describeStart(new byte[] {0, (byte) 0xff}, 2));
    }
}
