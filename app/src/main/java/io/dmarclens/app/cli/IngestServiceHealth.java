package io.dmarclens.app.cli;

import io.dmarclens.alerts.rules.IngestHealth;
import io.dmarclens.ingest.IngestService;
import io.dmarclens.ingest.imap.ImapPoller;
import io.dmarclens.store.ingestlog.IngestStatus;
import java.util.List;

/** What the ingest alert rules read, from the running ingest service. */
final class IngestServiceHealth implements IngestHealth {
    private final IngestService ingest;

    IngestServiceHealth(IngestService ingest) {
        this.ingest = ingest;
    }

    @Override
    public long quarantined() {
        return ingest.log().countByStatus().getOrDefault(IngestStatus.QUARANTINED, 0L);
    }

    @Override
    public long backlog() {
        return ingest.backlog();
    }

    @Override
    public List<Mailbox> mailboxes() {
        return ingest.imapPollers().stream()
                .map((ImapPoller p) -> new Mailbox(p.name(), p.failing(), p.lastFailure().orElse(null))).toList();
    }
}
