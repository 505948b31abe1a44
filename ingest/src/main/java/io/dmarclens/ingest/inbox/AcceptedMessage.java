package io.dmarclens.ingest.inbox;

import io.dmarclens.store.ingestlog.InboxMessage;
import io.dmarclens.store.ingestlog.IngestLogEntry;
import java.util.concurrent.CompletableFuture;

/**
 * A message now safe in the durable inbox, and the completion of its processing (which fails only when
 * DMARC Lens stops first; the message is then processed at the next start).
 */
public record AcceptedMessage(InboxMessage message, CompletableFuture<IngestLogEntry> outcome) {
}
