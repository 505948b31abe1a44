package io.dmarclens.store.retention;

import java.time.Duration;

/**
 * How long stored data is kept. Either age may be null for "forever".
 *
 * <p>Raw sources older than {@code rawSources} lose their bytes (the parsed reports stay, the
 * "download raw source" link says it was deleted). Reports older than {@code reports} (by the end of
 * their range, or arrival for failure reports) are deleted with their records, warnings and search
 * documents, and their counts are taken back out of the daily rollups exactly: the dashboard always
 * shows what is stored, never more. A raw source no report refers to any more is deleted too.
 *
 * @param rawSources age after which raw source bytes are deleted, or null
 * @param reports    age after which whole reports are deleted, or null
 */
public record RetentionPolicy(Duration rawSources, Duration reports) {
    public RetentionPolicy {
        if (rawSources != null && rawSources.isNegative()) {
            throw new IllegalArgumentException("retention age must not be negative: " + rawSources);
        }
        if (reports != null && reports.isNegative()) {
            throw new IllegalArgumentException("retention age must not be negative: " + reports);
        }
    }

    /** Keeps everything. */
    public static RetentionPolicy keepForever() {
        return new RetentionPolicy(null, null);
    }
}
