package io.dmarclens.parser.container;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * The decompressed bytes one input may still produce, shared by every gzip and zip level of that input,
 * so that a bomb is stopped at the cap however it is nested. One budget per input; not thread-safe.
 */
public final class ByteBudget {
    private final long limit;
    private long used;

    public ByteBudget(long limit) {
        this.limit = limit;
    }

    public long used() {
        return used;
    }

    /** Wraps a decompressor's output so that every byte read from it is charged to this budget. */
    public InputStream charge(InputStream decompressed) {
        return new FilterInputStream(decompressed) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    take(1);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    take(n);
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                long skipped = super.skip(n);
                take(skipped);
                return skipped;
            }
        };
    }

    /** Fails at once when an earlier part of the same input already used up the budget. */
    public void checkNotExhausted() throws LimitExceededIOException {
        if (used > limit) {
            throw exceeded();
        }
    }

    private void take(long bytes) throws LimitExceededIOException {
        used += bytes;
        if (used > limit) {
            throw exceeded();
        }
    }

    private LimitExceededIOException exceeded() {
        return new LimitExceededIOException(String.format(Locale.ROOT,
                "decompressed data exceeds the limit of %,d bytes for one input (a compression bomb?)", limit));
    }
}
