package io.dmarclens.web;

import io.dmarclens.ingest.IngestService;
import io.dmarclens.ingest.inbox.DiskLowException;
import io.dmarclens.ingest.inbox.InboxWriteException;
import io.dmarclens.ingest.inbox.MessageTooLargeException;
import io.dmarclens.ingest.inbox.SenderThrottledException;
import io.dmarclens.parser.Bounded;
import io.dmarclens.store.ingestlog.IngestLogEntry;
import io.dmarclens.store.ingestlog.IngestLogPage;
import io.dmarclens.store.ingestlog.IngestStatus;
import io.dmarclens.store.ingestlog.MessageOrigin;

import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The Ingest page's view of the running {@link IngestService}: its log, quarantine and durable inbox. */
public final class IngestServiceConsole implements IngestConsole {
    private static final int MAX_QUARANTINE_LISTED = 1_000;
    /**
     * Characters of a reason or detail in the tables and the API: 500 rows of them stay well under a
     * megabyte (the full reason, up to {@link Bounded#REASON}, is in {@code quarantine show}).
     */
    static final int LISTED_TEXT = 500;
    private static final Duration RETRY_WAIT = Duration.ofSeconds(20);

    private final IngestService ingest;
    private final long maxUploadBytes;
    private final java.util.function.Supplier<NodeView> nodes;
    private final java.util.function.Supplier<Optional<RetentionView>> retention;

    public IngestServiceConsole(IngestService ingest, long maxUploadBytes) {
        this(ingest, maxUploadBytes, () -> NodeView.NONE);
    }

    /** With the cluster's nodes as the node registry lists them ({@code nodes}), for the Ingest page. */
    public IngestServiceConsole(IngestService ingest, long maxUploadBytes, java.util.function.Supplier<NodeView> nodes) {
        this(ingest, maxUploadBytes, nodes, Optional::empty);
    }

    /** As above, with the retention policy and its last run in the cluster ({@code retention}). */
    public IngestServiceConsole(IngestService ingest, long maxUploadBytes, java.util.function.Supplier<NodeView> nodes,
                                java.util.function.Supplier<Optional<RetentionView>> retention) {
        this.ingest = ingest;
        this.maxUploadBytes = maxUploadBytes;
        this.nodes = nodes;
        this.retention = retention;
    }

    @Override
    public Optional<RetentionView> retention() {
        return retention.get();
    }

    @Override
    public NodeView nodes() {
        return nodes.get();
    }

    @Override
    public List<LogEntry> log(int offset, int limit) throws IOException {
        return ingest.log().page(null, offset, Math.min(limit, 1_000)).entries().stream()
                .map(IngestServiceConsole::entry).toList();
    }

    @Override
    public long logSize() throws IOException {
        return ingest.log().page(null, 0, 1).total();
    }

    @Override
    public List<Quarantined> quarantine() throws IOException {
        IngestLogPage page = ingest.quarantine().list(0, MAX_QUARANTINE_LISTED);
        // Not those dropped to keep within its bounds or deleted; held here or, from another node, in the shared log.
        java.util.Set<String> held = ingest.quarantine().held(page.entries().stream().map(IngestLogEntry::id).toList());
        return page.entries().stream()
                .filter(e -> held.contains(e.id()))
                .map(e -> new Quarantined(e.id(), e.finishedAt() != null ? e.finishedAt() : e.receivedAt(),
                        Bounded.text(e.origin().describe(), Bounded.ITEM), Bounded.text(e.name(), Bounded.ITEM),
                        Bounded.text(e.detail(), LISTED_TEXT), e.size(), Bounded.text(e.node(), Bounded.ITEM)))
                .toList();
    }

    @Override
    public Optional<InputStream> openQuarantined(String id) throws IOException {
        if (ingest.quarantine().get(id).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(ingest.quarantine().open(id));
    }

    @Override
    public Optional<String> retry(String id) throws IOException {
        try {
            IngestLogEntry e = ingest.quarantine().retry(id).get(RETRY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return Optional.of(e.status() == IngestStatus.QUARANTINED
                    ? "Still quarantined: " + Bounded.text(e.detail(), Bounded.ITEM)
                    : "Processed again: " + e.status().name().toLowerCase(Locale.ROOT) + ", " + e.reports() + " report(s)");
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (TimeoutException e) {
            return Optional.of("Queued again; it is still being processed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("Queued again");
        } catch (ExecutionException e) {
            throw new IOException("retrying " + id + " failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public Optional<String> problem() {
        return ingest.problem();
    }

    @Override
    public String accept(String user, String fileName, InputStream data) throws IOException {
        try {
            return ingest.intake().accept(MessageOrigin.upload(user, fileName), fileName, data, maxUploadBytes)
                    .message().id();
        } catch (DiskLowException e) {
            throw new HttpResponseException(HttpStatus.INSUFFICIENT_STORAGE.getCode(),
                    "The server's disk is nearly full; nothing was stored. Free some space, then upload again.");
        } catch (SenderThrottledException e) {
            throw new HttpResponseException(HttpStatus.TOO_MANY_REQUESTS.getCode(),
                    "Too many of your uploads in the last hour held no report; try again later.");
        } catch (MessageTooLargeException e) {
            throw new HttpResponseException(HttpStatus.CONTENT_TOO_LARGE.getCode(),
                    "The file is larger than " + maxUploadBytes + " bytes; nothing was stored.");
        } catch (InboxWriteException e) {
            throw new HttpResponseException(HttpStatus.SERVICE_UNAVAILABLE.getCode(),
                    "The inbox cannot store files now; try again later.");
        }
    }

    @Override
    public long droppedFromQuarantine() throws IOException {
        return ingest.droppedFromQuarantine();
    }

    private static LogEntry entry(IngestLogEntry e) {
        String detail = e.detail().isEmpty()
                ? e.reports() + " report(s), " + e.records() + " record(s)"
                        + (e.duplicates() > 0 ? ", " + e.duplicates() + " duplicate(s)" : "")
                : Bounded.text(e.detail(), LISTED_TEXT);
        return new LogEntry(e.receivedAt(), e.origin().channel().name().toLowerCase(Locale.ROOT),
                Bounded.text(e.name(), Bounded.ITEM), e.status().name().toLowerCase(Locale.ROOT), detail, e.partial(),
                Bounded.text(e.node(), Bounded.ITEM));
    }
}
