package io.dmarclens.parser.container;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Bytes that can be read more than once: held in memory when small, in a file when big (a spooled
 * temporary file, deleted on {@link #close()}, or the caller's own input file, left alone).
 */
public final class Payload implements PayloadOpener, AutoCloseable {
    private final byte[] bytes;
    private final int length;
    private final Path file;
    private final boolean deleteOnClose;
    private final long size;
    private byte[] head;

    private Payload(byte[] bytes, int length, Path file, boolean deleteOnClose, long size) {
        this.bytes = bytes;
        this.length = length;
        this.file = file;
        this.deleteOnClose = deleteOnClose;
        this.size = size;
    }

    /** The first {@code length} bytes of {@code bytes}, not copied: the caller must not change them. */
    public static Payload ofBytes(byte[] bytes, int length) {
        return new Payload(bytes, length, null, false, length);
    }

    /** A caller's file, read in place and never deleted. */
    public static Payload ofFile(Path file) throws IOException {
        return new Payload(null, 0, file, false, Files.size(file));
    }

    static Payload ofSpoolFile(Path file) throws IOException {
        return new Payload(null, 0, file, true, Files.size(file));
    }

    public long size() {
        return size;
    }

    @Override
    public InputStream open() throws IOException {
        return bytes != null ? new ByteArrayInputStream(bytes, 0, length) : Files.newInputStream(file);
    }

    /** Up to {@link ContentSniffer#HEAD_SIZE} leading bytes. */
    public byte[] head() throws IOException {
        if (head == null) {
            if (bytes != null) {
                head = Arrays.copyOf(bytes, Math.min(length, ContentSniffer.HEAD_SIZE));
            } else {
                try (InputStream in = open()) {
                    head = in.readNBytes(ContentSniffer.HEAD_SIZE);
                }
            }
        }
        return head;
    }

    public ContentKind kind() throws IOException {
        byte[] h = head();
        return ContentSniffer.sniff(h, h.length);
    }

    /** Up to {@code n} trailing bytes (a zip archive's end-of-central-directory record lives there). */
    public byte[] tail(int n) throws IOException {
        int count = (int) Math.min(n, size);
        if (bytes != null) {
            return Arrays.copyOfRange(bytes, length - count, length);
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            byte[] out = new byte[count];
            raf.seek(size - count);
            raf.readFully(out);
            return out;
        }
    }

    /** The whole payload in memory; fails with {@link LimitExceededIOException} beyond {@code maxBytes}. */
    public byte[] readAll(long maxBytes, String what) throws IOException {
        if (size > maxBytes) {
            throw new LimitExceededIOException(String.format(java.util.Locale.ROOT,
                    "%s of %,d bytes is larger than the %,d bytes read into memory", what, size, maxBytes));
        }
        if (bytes != null) {
            return length == bytes.length ? bytes.clone() : Arrays.copyOf(bytes, length);
        }
        return Files.readAllBytes(file);
    }

    @Override
    public void close() throws IOException {
        if (deleteOnClose) {
            Files.deleteIfExists(file);
        }
    }
}
