package io.dmarclens.ingest.importer;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Cuts an mbox file into its messages, one at a time so that memory holds one message, not the file.
 * A message starts at a {@code From } line at the start of the file or after an empty line that looks
 * like a real separator (sender, then a time of day); {@code >From } quoting (mboxo and mboxrd) is
 * undone by one level. Line ends are kept as they are.
 */
public final class MboxSplitter implements Closeable {
    private static final Pattern FROM_LINE = Pattern.compile("From \\S+ .*\\d{1,2}:\\d{2}.*", Pattern.DOTALL);
    private static final Pattern QUOTED_FROM = Pattern.compile(">+From .*", Pattern.DOTALL);

    private final InputStream in;
    private final long maxMessageBytes;
    private byte[] pendingLine;
    private boolean tooLarge;

    public MboxSplitter(InputStream in, long maxMessageBytes) {
        this.in = in;
        this.maxMessageBytes = maxMessageBytes;
    }

    /** Whether a file begins like an mbox (its first line is a From_ separator). */
    public static boolean looksLikeMbox(byte[] head, int length) {
        int end = 0;
        while (end < length && head[end] != '\n') {
            end++;
        }
        String first = new String(head, 0, end, StandardCharsets.ISO_8859_1).stripTrailing();
        return FROM_LINE.matcher(first).matches();
    }

    /** The next message's bytes without its From_ line, or null at the end of the file. */
    public byte[] next() throws IOException {
        tooLarge = false;
        ByteArrayOutputStream message = new ByteArrayOutputStream(8192);
        boolean previousBlank = true;
        boolean any = false;
        while (true) {
            byte[] line = pendingLine != null ? pendingLine : readLine();
            pendingLine = null;
            if (line == null) {
                return any ? finish(message) : null;
            }
            if (previousBlank && isFromLine(line)) {
                if (any) {
                    pendingLine = line;
                    return finish(message);
                }
                any = true;
                previousBlank = false;
                continue;
            }
            any = true;
            previousBlank = isBlank(line);
            if (message.size() + line.length > maxMessageBytes) {
                tooLarge = true;
                continue;
            }
            if (QUOTED_FROM.matcher(ascii(line)).matches()) {
                message.write(line, 1, line.length - 1);
            } else {
                message.write(line);
            }
        }
    }

    /** The message last returned by {@link #next()} was cut at the size limit. */
    public boolean lastWasTruncated() {
        return tooLarge;
    }

    private byte[] finish(ByteArrayOutputStream message) {
        byte[] bytes = message.toByteArray();
        // The empty line before the next From_ line belongs to the mbox format, not the message.
        int end = bytes.length;
        if (end >= 2 && bytes[end - 1] == '\n' && bytes[end - 2] == '\n') {
            end--;
        } else if (end >= 4 && bytes[end - 1] == '\n' && bytes[end - 2] == '\r' && bytes[end - 3] == '\n') {
            end -= 2;
        }
        return end == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, end);
    }

    private static boolean isFromLine(byte[] line) {
        return line.length > 5 && line[0] == 'F' && FROM_LINE.matcher(ascii(line).stripTrailing()).matches();
    }

    private static boolean isBlank(byte[] line) {
        return line.length == 0 || (line.length == 1 && line[0] == '\n') || (line.length == 2 && line[0] == '\r' && line[1] == '\n');
    }

    private static String ascii(byte[] line) {
        return new String(line, 0, Math.min(line.length, 200), StandardCharsets.ISO_8859_1);
    }

    private byte[] readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) >= 0) {
            line.write(b);
            if (b == '\n') {
                break;
            }
        }
        return line.size() == 0 ? null : line.toByteArray();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
