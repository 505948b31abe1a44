package io.dmarclens.web.metrics;

import io.dmarclens.store.ingestlog.InboxMessage;
import io.dmarclens.store.ingestlog.IngestLog;
import io.dmarclens.store.ingestlog.IngestLogEntry;
import io.dmarclens.store.ingestlog.IngestLogPage;
import io.dmarclens.store.ingestlog.IngestStatus;
import io.dmarclens.store.ingestlog.MessageOrigin;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The ingest log, counting as it writes: every message the inbox accepts, every outcome of processing and
 * every refusal passes through the log, so counting here sees each exactly as the Ingest page does,
 * whichever channel (SMTP, IMAP, upload) it came by.
 */
final class CountingIngestLog implements IngestLog {
    private final IngestLog log;
    private final IngestMeters meters;

    CountingIngestLog(IngestLog log, IngestMeters meters) {
        this.log = log;
        this.meters = meters;
    }

    @Override
    public void accepted(InboxMessage message) {
        log.accepted(message);
        meters.accepted(channel(message.origin()));
    }

    @Override
    public List<IngestLogEntry> finished(List<Finished> done) {
        List<IngestLogEntry> entries = log.finished(done);
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
        IngestLogEntry entry = log.rejected(origin, size, reason);
        meters.rejected(channel(origin));
        return entry;
    }

    @Override
    public void dropped(String id, String reason) {
        log.dropped(id, reason);
        meters.dropped();
    }

    @Override
    public Optional<IngestLogEntry> get(String id) {
        return log.get(id);
    }

    @Override
    public Optional<IngestLogEntry> bySourceKey(String sourceKey) {
        return log.bySourceKey(sourceKey);
    }

    @Override
    public IngestLogPage page(IngestStatus status, int offset, int limit) {
        return log.page(status, offset, limit);
    }

    @Override
    public Map<IngestStatus, Long> countByStatus() {
        return log.countByStatus();
    }

    @Override
    public void keepContent(String id, byte[] content) {
        log.keepContent(id, content);
    }

    @Override
    public Optional<byte[]> content(String id) {
        return log.content(id);
    }

    @Override
    public java.util.Set<String> withContent(java.util.Collection<String> ids) {
        return log.withContent(ids);
    }

    @Override
    public void forgetContent(String id) {
        log.forgetContent(id);
    }

    @Override
    public void close() {
        log.close();
    }

    private static String channel(MessageOrigin origin) {
        return origin.channel().name().toLowerCase(Locale.ROOT);
    }
}
