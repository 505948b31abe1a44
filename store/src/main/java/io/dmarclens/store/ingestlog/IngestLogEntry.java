package io.dmarclens.store.ingestlog;

import java.time.Instant;
import java.util.Set;

/**
 * One message in the ingest log: where and when it came from, its size, and what became of it.
 *
 * @param detail the reason for quarantine or rejection, or the parts that could not be read; may be empty
 * @param finishedAt when processing ended, or null while it is pending
 */
public record IngestLogEntry(String id, Instant receivedAt, MessageOrigin origin, String name, long size,
                             IngestStatus status, int reports, long records, int duplicates, Set<String> kinds,
                             String detail, Instant finishedAt) {
    public IngestLogEntry {
        kinds = Set.copyOf(kinds);
        detail = detail == null ? "" : detail;
    }
}
