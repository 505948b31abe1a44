package io.dmarclens.parser.aggregate;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The bytes of one UTF-8 document for {@link Utf8Cursor}: a window with look-ahead, a sink for the
 * text of one value, and the checks on characters that XML 1.0 makes. What it is unsure of (a byte
 * sequence that is not plain, valid UTF-8 of an XML character) is a {@link ScannerBailout}.
 */
final class Utf8Input {
    static final int WINDOW = 1 << 18;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    /**
     * How far ahead of a delivered record the bytes have been checked. Woodstox decodes some thousand
     * characters ahead of the event it returns and fails there on bytes that are not UTF-8; checking
     * further ahead than that, and handing over before delivering records close to such bytes, keeps
     * the records delivered before a hand-over a subset of those Woodstox alone would deliver.
     */
    static final int CHECKED_AHEAD = 1 << 15;

    private final InputStream in;
    /** Bytes of the window before this index are checked (see {@link #check}). */
    private int checked;
    /**
     * The window, with slack past its end for reads of eight bytes at a time. It starts at what the
     * look-ahead needs and grows to {@link #WINDOW} only for a document larger than that: a typical report
     * is a few kilobytes, and zeroing a full window for each one was 4 % of an inbox worker's CPU.
     */
    byte[] buf = new byte[2 * CHECKED_AHEAD + TagNames.SLACK];
    int pos;
    int end;
    private boolean eof;

    private byte[] text = new byte[256];
    private int textLength;
    private boolean textAscii = true;

    /**
     * The payload stream failed under the scanner. Its own type, so that an unchecked exception of
     * a handler is never taken for it.
     */
    static final class ReadFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ReadFailure(IOException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    Utf8Input(InputStream in) {
        this.in = in;
    }

    /**
     * Makes at least {@code n} bytes (at most {@link #WINDOW}) available from {@link #pos} unless the
     * document ends first; returns how many are.
     */
    int ensure(int n) {
        int available = end - pos;
        return available >= n ? available : fill(n);
    }

    /** Reads ahead, when fewer than {@link #CHECKED_AHEAD} bytes are, so that they are checked. */
    void readAhead() {
        if (end - pos < CHECKED_AHEAD && !eof) {
            fill(2 * CHECKED_AHEAD);
        }
    }

    private int fill(int n) {
        int window = buf.length - TagNames.SLACK;
        if (pos + n > window) {
            // A big document: the window grows once, then moves to the front only when it has no room left.
            byte[] to = window < WINDOW ? new byte[WINDOW + TagNames.SLACK] : buf;
            System.arraycopy(buf, pos, to, 0, end - pos);
            buf = to;
            window = buf.length - TagNames.SLACK;
            end -= pos;
            checked -= pos;
            pos = 0;
        }
        try {
            while (end - pos < n && !eof) {
                int read = in.read(buf, end, window - end);
                if (read < 0) {
                    eof = true;
                } else {
                    end += read;
                }
            }
        } catch (IOException e) {
            throw new ReadFailure(e);
        }
        check();
        return end - pos;
    }

    /**
     * Checks the bytes read since the last check: a byte sequence that is not UTF-8 anywhere ahead is
     * handed over to Woodstox now (see {@link #CHECKED_AHEAD}). Control characters need no look-ahead:
     * Woodstox meets them in order, as the scanner does.
     */
    private void check() {
        int p = checked;
        int stop = end - 8;
        while (p <= stop) {
            long v = (long) LONGS.get(buf, p);
            if ((v & HIGH_BITS) != 0) {
                p = checkByte(p); // UTF-8 beyond ASCII: one character at a time
                continue;
            }
            p += 8;
        }
        while (p < end) {
            int lead = buf[p] & 0xFF;
            if (lead >= 0x80 && !eof && p + (lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2) > end) {
                break; // the rest of the sequence is not read yet
            }
            p = checkByte(p);
        }
        checked = p;
    }

    /** Checks the character at {@code p}; where the next one starts. */
    private int checkByte(int p) {
        return (buf[p] & 0x80) != 0 ? p + sequence(buf, p, end) : p + 1;
    }

    /** The byte at {@code pos + ahead} (which must be available), as 0..255. */
    int at(int ahead) {
        return buf[pos + ahead] & 0xFF;
    }

    /** The next byte, 0..255, made available first; the end of the document here is a bailout. */
    int peek() {
        if (pos >= end && ensure(1) < 1) {
            throw new ScannerBailout("the document ends inside an element");
        }
        return buf[pos] & 0xFF;
    }

    /** True when the {@code ascii} bytes come next. */
    boolean startsWith(byte[] ascii) {
        if (ensure(ascii.length) < ascii.length) {
            return false;
        }
        return Arrays.equals(buf, pos, pos + ascii.length, ascii, 0, ascii.length);
    }

    // ---- the text of one value ---------------------------------------------------------------

    void clearText() {
        textLength = 0;
        textAscii = true;
    }

    int textLength() {
        return textLength;
    }

    void appendText(byte[] b, int from, int length) {
        if (textLength + length > text.length) {
            text = Arrays.copyOf(text, Math.max(text.length * 2, textLength + length));
        }
        System.arraycopy(b, from, text, textLength, length);
        textLength += length;
    }

    void appendText(int b) {
        if (textLength == text.length) {
            text = Arrays.copyOf(text, text.length * 2);
        }
        text[textLength++] = (byte) b;
    }

    /** Appends a character as UTF-8. */
    void appendCodePoint(int c) {
        if (c < 0x80) {
            appendText(c);
            return;
        }
        textAscii = false;
        byte[] utf8 = new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8);
        appendText(utf8, 0, utf8.length);
    }

    void markNonAscii() {
        textAscii = false;
    }

    String text() {
        return new String(text, 0, textLength, textAscii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }

    // ---- characters ---------------------------------------------------------------------------

    /**
     * The length of the UTF-8 sequence at {@code pos} (lead byte 0x80 or above), checked to be valid
     * UTF-8 of a character XML 1.0 allows, and not one Woodstox might treat differently: C1 controls,
     * surrogates, U+FFFE and U+FFFF are bailouts.
     */
    int utf8Sequence() {
        int lead = at(0);
        int n = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
        ensure(n);
        return sequence(buf, pos, end);
    }

    /** {@link #utf8Sequence()} on {@code b[at..limit)}. */
    static int sequence(byte[] b, int at, int limit) {
        int lead = b[at] & 0xFF;
        int n = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
        if (at + n > limit) {
            throw new ScannerBailout("truncated UTF-8 sequence");
        }
        int b1 = b[at + 1] & 0xFF;
        boolean ok;
        if (lead < 0xC2 || lead > 0xF4) {
            ok = false;
        } else if (lead < 0xE0) {
            ok = cont(b1) && !(lead == 0xC2 && b1 < 0xA0);
        } else if (lead < 0xF0) {
            int b2 = b[at + 2] & 0xFF;
            ok = cont(b1) && cont(b2)
                    && !(lead == 0xE0 && b1 < 0xA0)
                    && !(lead == 0xED && b1 >= 0xA0)
                    && !(lead == 0xEF && b1 == 0xBF && b2 >= 0xBE);
        } else {
            ok = cont(b1) && cont(b[at + 2] & 0xFF) && cont(b[at + 3] & 0xFF)
                    && !(lead == 0xF0 && b1 < 0x90)
                    && !(lead == 0xF4 && b1 >= 0x90);
        }
        if (!ok) {
            throw new ScannerBailout("a byte sequence that is not plain UTF-8");
        }
        return n;
    }

    private static boolean cont(int b) {
        return (b & 0xC0) == 0x80;
    }

    /** True for a character XML 1.0 allows (the Char production). */
    static boolean isXmlChar(int c) {
        return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
                || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
    }
}
