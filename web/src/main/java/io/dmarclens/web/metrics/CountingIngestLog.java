package io.dmarclens.web.metrics;

import io.dmarclens.store.ingestlog.ForwardingIngestLog;
import io.dmarclens.store.ingestlog.InboxMessage;
import io.dmarclens.store.ingestlog.IngestLog;
import io.dmarclens.store.ingestlog.IngestLogEntry;
import io.dmarclens.store.ingestlog.IngestStatus;
import io.dmarclens.store.ingestlog.MessageOrigin;
import java.util.List;
import java.util.Locale;

/**
 * The ingest log, counting as it writes: every message the inbox accepts, every outcome of processing and
 * every refusal passes through the log, so counting here sees each exactly as the Ingest page does,
 * whichever channel (SMTP, IMAP, upload) it came by.
 */
final class CountingIngestLog extends ForwardingIngestLog {
    private final IngestMeters meters;

    CountingIngestLog(IngestLog log, IngestMeters meters) {
        super(log);
        this.meters = meters;
    }

    @Override
    public void accepted(InboxMessage message) {
        delegate().accepted(message);
        meters.accepted(channel(message.origin()));
    }

    @Override
    public List<IngestLogEntry> finished(List<Finished> done) {
        List<IngestLogEntry> entries = delegate().finished(done);
        for (int i = 0; i < done.size(); i++) {
            Finished f = done.get(i);
            // The outcome as written: a message processed again after a crash stays STORED, not DUPLICATE.
            IngestStatus status = entries.get(i).status();
            meters.finished(channel(f.message().origin()), status, f.result().reports(), entries.get(i).partial());
        }
        return entries;
    }

    @Override
    public IngestLogEntry rejected(MessageOrigin origin, long size, String reason) {
        IngestLogEntry entry = delegate().rejected(origin, size, reason);
        meters.rejected(channel(origin));
        return entry;
    }

    @Override
    public void dropped(String id, String reason) {
        delegate().dropped(id, reason);
        meters.dropped();
    }

    private static String channel(MessageOrigin origin) {
        return origin.channel().name().toLowerCase(Locale.ROOT);
    }
}
