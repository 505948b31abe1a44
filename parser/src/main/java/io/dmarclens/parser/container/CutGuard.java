package io.dmarclens.parser.container;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * Ends a decoded stream (inflated gzip, a zip member) cleanly where its bytes stop or break, remembering
 * why, so that what was decoded before the cut can still be read as a partial report. Safety caps
 * ({@link LimitExceededIOException}) are never swallowed.
 */
final class CutGuard extends FilterInputStream {
    private final String what;
    private final CountingInputStream compressed;
    private String cut;
    private long delivered;

    /**
     * @param what       what the stream is, for the reason ("gzip stream", "zip member")
     * @param compressed the raw bytes under the decoder, to say how far they went, or null
     */
    CutGuard(InputStream in, String what, CountingInputStream compressed) {
        super(in);
        this.what = what;
        this.compressed = compressed;
    }

    /** Why the stream ended early, or null when it was read to its proper end. */
    String cut() {
        return cut;
    }

    /** Bytes handed out before the end. */
    long delivered() {
        return delivered;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (cut != null) {
            return -1;
        }
        try {
            int n = super.read(b, off, len);
            if (n > 0) {
                delivered += n;
            }
            return n;
        } catch (LimitExceededIOException e) {
            throw e;
        } catch (java.io.EOFException e) {
            cut = String.format(Locale.ROOT, "%s truncated%s: its data ends after %,d decompressed bytes", what,
                    compressed == null ? "" : String.format(Locale.ROOT, " after %,d bytes", compressed.count()),
                    delivered);
            return -1;
        } catch (IOException e) {
            cut = String.format(Locale.ROOT, "%s damaged%s (%s): its data breaks off after %,d decompressed bytes",
                    what, compressed == null ? "" : String.format(Locale.ROOT, " after %,d bytes", compressed.count()),
                    e.getMessage(), delivered);
            return -1;
        }
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[(int) Math.min(8192, Math.max(1, n))];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }
}
