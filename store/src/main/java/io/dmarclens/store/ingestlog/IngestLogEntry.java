package io.dmarclens.store.ingestlog;

import java.time.Instant;
import java.util.Set;

/**
 * One message in the ingest log: where and when it came from, its size, and what became of it.
 *
 * @param detail the reason for quarantine or rejection, or the partial reports (each "partial report: source:
 *               where and why") and the parts that could not be read; may be empty
 * @param finishedAt when processing ended, or null while it is pending
 * @param partial    reports among {@code reports} stored as partial: their input stopped before their end
 * @param node       the DMARC Lens node that received the message ({@code node.name}); empty for entries
 *                   logged before nodes had names
 */
public record IngestLogEntry(String id, Instant receivedAt, MessageOrigin origin, String name, long size,
                             IngestStatus status, int reports, long records, int duplicates, Set<String> kinds,
                             String detail, Instant finishedAt, int partial, String node) {
    public IngestLogEntry {
        kinds = Set.copyOf(kinds);
        detail = detail == null ? "" : detail;
        node = node == null ? "" : node;
    }
}
