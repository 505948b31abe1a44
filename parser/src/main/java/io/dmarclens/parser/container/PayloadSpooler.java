package io.dmarclens.parser.container;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Copies a stream into a re-readable {@link Payload}: in memory up to a threshold, then into a temporary
 * file, so that a big report never sits whole on the heap.
 */
public final class PayloadSpooler {
    /** Payloads up to this size stay in memory. */
    public static final int DEFAULT_MEMORY_THRESHOLD = 4 << 20;

    private final int memoryThreshold;
    private final Path tempDir;

    public PayloadSpooler() {
        this(DEFAULT_MEMORY_THRESHOLD, null);
    }

    /** @param tempDir where spool files go, or null for the system temporary directory */
    public PayloadSpooler(int memoryThreshold, Path tempDir) {
        this.memoryThreshold = memoryThreshold;
        this.tempDir = tempDir;
    }

    /** Reads {@code in} to its end (without closing it) into a payload the caller closes. */
    public Payload spool(InputStream in) throws IOException {
        return spool(new byte[0], 0, in);
    }

    /** Spools {@code prefix[0..prefixLength)} followed by the rest of {@code in}. */
    public Payload spool(byte[] prefix, int prefixLength, InputStream in) throws IOException {
        byte[] buffer = Arrays.copyOf(prefix, Math.max(prefixLength, Math.min(64 * 1024, memoryThreshold + 1)));
        int length = prefixLength;
        while (true) {
            if (length == buffer.length) {
                if (length > memoryThreshold) {
                    return spillToFile(buffer, length, in);
                }
                buffer = Arrays.copyOf(buffer, (int) Math.min((long) memoryThreshold + 1, buffer.length * 2L));
            }
            int n = in.read(buffer, length, buffer.length - length);
            if (n < 0) {
                return Payload.ofBytes(buffer, length);
            }
            length += n;
        }
    }

    private Payload spillToFile(byte[] buffer, int length, InputStream in) throws IOException {
        Path file = tempDir == null ? Files.createTempFile("dmarc-lens-", ".spool")
                : Files.createTempFile(tempDir, "dmarc-lens-", ".spool");
        try {
            try (OutputStream out = Files.newOutputStream(file)) {
                out.write(buffer, 0, length);
                in.transferTo(out);
            }
            return Payload.ofSpoolFile(file);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }
}
