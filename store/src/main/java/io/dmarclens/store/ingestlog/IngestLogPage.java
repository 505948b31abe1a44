package io.dmarclens.store.ingestlog;

import java.util.List;

/** One page of the ingest log, newest first, with the number of entries matching the query. */
public record IngestLogPage(List<IngestLogEntry> entries, long total, int offset, int limit) {
    public IngestLogPage {
        entries = List.copyOf(entries);
    }
}
