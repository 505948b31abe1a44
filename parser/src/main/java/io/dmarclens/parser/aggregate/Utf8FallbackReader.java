package io.dmarclens.parser.aggregate;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes a document declared UTF-8, reading each byte that is not part of valid UTF-8 as windows-1252.
 * Such bytes come from Windows programs pasting text into a UTF-8 report (0x91 and 0x92 are its curly
 * quotes: "Relay &lsquo;Nord&rsquo; GmbH"), so the reporter's name reads as they wrote it instead of with
 * U+FFFD. The five bytes windows-1252 leaves undefined still become U+FFFD. How many bytes were read
 * this way, and on which line first, goes into the repair warnings.
 */
final class Utf8FallbackReader extends Reader {
    private static final char[] WINDOWS_1252 = new String(allBytes(), Charset.forName("windows-1252")).toCharArray();

    private final InputStream in;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(8192).flip();
    private boolean eof;
    private boolean done;
    private int pending = -1;
    private long fallbacks;
    private int line = 1;
    private int firstFallbackLine;

    Utf8FallbackReader(InputStream in) {
        this.in = in;
    }

    @Override
    public int read(char[] cbuf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (pending >= 0) {
            cbuf[off] = (char) pending;
            pending = -1;
            return 1;
        }
        if (len == 1) {
            // A character outside the BMP is two chars: decode into room for both, keep the second.
            char[] two = new char[2];
            int n = read(two, 0, 2);
            if (n > 0) {
                cbuf[off] = two[0];
                pending = n == 2 ? two[1] : -1;
                return 1;
            }
            return n;
        }
        if (done) {
            return -1;
        }
        CharBuffer out = CharBuffer.wrap(cbuf, off, len);
        while (true) {
            if (!eof && bytes.remaining() < 4) {
                fill();
            }
            CoderResult r = utf8.decode(bytes, out, eof);
            if (r.isError()) {
                if (!out.hasRemaining()) {
                    break; // the byte waits for the next call
                }
                if (fallbacks++ == 0) {
                    firstFallbackLine = line + newlines(cbuf, off, out.position());
                }
                out.put(WINDOWS_1252[bytes.get() & 0xFF]);
            } else if (r.isOverflow()) {
                break;
            } else if (eof) {
                utf8.flush(out);
                done = true;
                break;
            } else if (out.position() > off) {
                break; // what is decoded goes out before the next read of the stream
            }
        }
        int n = out.position() - off;
        line += newlines(cbuf, off, out.position());
        return n == 0 && done ? -1 : n;
    }

    private void fill() throws IOException {
        bytes.compact();
        int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
        if (n < 0) {
            eof = true;
        } else {
            bytes.position(bytes.position() + n);
        }
        bytes.flip();
    }

    private static int newlines(char[] cbuf, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (cbuf[i] == '\n') {
                n++;
            }
        }
        return n;
    }

    /** Bytes read as windows-1252 so far. */
    long fallbacks() {
        return fallbacks;
    }

    /** The line of the first of them (1-based), or 0. */
    int firstFallbackLine() {
        return firstFallbackLine;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private static byte[] allBytes() {
        byte[] b = new byte[256];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) i;
        }
        return b;
    }
}
