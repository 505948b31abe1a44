package io.dmarclens.parser.aggregate;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** UTF-8 with stray windows-1252 bytes, read through every buffer edge. */
class Utf8FallbackReaderTest {
    /** Hands out one byte per read, so that every sequence straddles a refill. */
    private static InputStream trickle(byte[] bytes) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1));
            }
        };
    }

    private static String readAll(Utf8FallbackReader r, int chunk) throws IOException {
        StringBuilder sb = new StringBuilder();
        char[] buf = new char[chunk];
        int n;
        while ((n = r.read(buf, 0, chunk)) >= 0) {
            sb.append(buf, 0, n);
        }
        return sb.toString();
    }

    @Test
    void validUtf8PassesThroughWhateverTheReadSizes() throws Exception {
        String text = "Caf\u00e9 \u20ac \ud83d\udce7 ".repeat(3_000);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int chunk : new int[]{1, 3, 8192}) {
            Utf8FallbackReader r = new Utf8FallbackReader(trickle(bytes));
            assertEquals(text, readAll(r, chunk), "chunk " + chunk);
            assertEquals(0, r.fallbacks());
        }
        assertEquals(text, readAll(new Utf8FallbackReader(new ByteArrayInputStream(bytes)), 8192));
    }

    @Test
    void strayBytesReadAsWindows1252AndCounted() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("line one\nRelay ".getBytes(StandardCharsets.UTF_8));
        b.write(0x91);
        b.writeBytes("Nord".getBytes(StandardCharsets.UTF_8));
        b.write(0x92);
        b.writeBytes(" GmbH \u20ac ".getBytes(StandardCharsets.UTF_8));
        b.write(0x81); // undefined in windows-1252
        b.write(0xE2); // a three-byte sequence cut short by the end of the input
        b.write(0x82);
        for (int chunk : new int[]{1, 2, 4096}) {
            Utf8FallbackReader r = new Utf8FallbackReader(trickle(b.toByteArray()));
            assertEquals("line one\nRelay \u2018Nord\u2019 GmbH \u20ac \ufffd\u00e2\u201a", readAll(r, chunk), "chunk " + chunk);
            assertEquals(5, r.fallbacks());
            assertEquals(2, r.firstFallbackLine());
        }
    }

    @Test
    void emptyInputEndsAtOnce() throws Exception {
        Utf8FallbackReader r = new Utf8FallbackReader(new ByteArrayInputStream(new byte[0]));
        assertEquals(-1, r.read(new char[4], 0, 4));
        assertEquals(-1, r.read(new char[4], 0, 4));
    }
}
