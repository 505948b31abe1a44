package io.dmarclens.store.ingestlog;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An ingest log that hands every call to another one; a subclass overrides the calls it adds to (counting them,
 * for instance), as Guava's forwarding collections do.
 */
public abstract class ForwardingIngestLog implements IngestLog {
    private final IngestLog delegate;

    protected ForwardingIngestLog(IngestLog delegate) {
        this.delegate = java.util.Objects.requireNonNull(delegate, "delegate");
    }

    /** The log every call goes to. */
    protected final IngestLog delegate() {
        return delegate;
    }

    @Override
    public void accepted(InboxMessage message) {
        delegate.accepted(message);
    }

    @Override
    public List<IngestLogEntry> finished(List<Finished> done) {
        return delegate.finished(done);
    }

    @Override
    public IngestLogEntry rejected(MessageOrigin origin, long size, String reason) {
        return delegate.rejected(origin, size, reason);
    }

    @Override
    public void dropped(String id, String reason) {
        delegate.dropped(id, reason);
    }

    @Override
    public Optional<IngestLogEntry> get(String id) {
        return delegate.get(id);
    }

    @Override
    public Optional<IngestLogEntry> bySourceKey(String sourceKey) {
        return delegate.bySourceKey(sourceKey);
    }

    @Override
    public IngestLogPage page(IngestStatus status, int offset, int limit) {
        return delegate.page(status, offset, limit);
    }

    @Override
    public Map<IngestStatus, Long> countByStatus() {
        return delegate.countByStatus();
    }

    @Override
    public void keepContent(String id, byte[] content) {
        delegate.keepContent(id, content);
    }

    @Override
    public Optional<byte[]> content(String id) {
        return delegate.content(id);
    }

    @Override
    public Set<String> withContent(Collection<String> ids) {
        return delegate.withContent(ids);
    }

    @Override
    public void forgetContent(String id) {
        delegate.forgetContent(id);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
