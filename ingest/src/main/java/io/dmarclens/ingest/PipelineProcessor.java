package io.dmarclens.ingest;

import io.dmarclens.ingest.inbox.MessageProcessor;
import io.dmarclens.ingest.pipeline.ImportOutcome;
import io.dmarclens.ingest.pipeline.ImportPipeline;
import io.dmarclens.store.CommitMark;
import io.dmarclens.store.CommitMode;
import io.dmarclens.store.Store;
import io.dmarclens.store.ingestlog.InboxMessage;
import io.dmarclens.store.ingestlog.MessageOrigin;
import io.dmarclens.store.ingestlog.ProcessingResult;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Processes inbox messages with the import pipeline. The origin stored with the reports is the channel
 * and the inbox message id ({@code smtp:20261129T205600123Z-1a2b3c4d5e6f}), which leads to the message's
 * entry in the ingest log. A pipeline {@code ImportException} (store or disk failure) propagates, so the
 * message stays in the inbox and is retried.
 *
 * <p>Built with {@link #grouped}, the pipeline stores with {@link CommitMode#GROUPED} and a run of
 * messages is committed by one {@link Store#commitDurably}: under a burst of small reports that is several
 * times less work than a commit (and a search index catch-up) for each, and it waits for the disk
 * before the inbox lets go of the run's messages.
 */
public final class PipelineProcessor implements MessageProcessor {
    private final ImportPipeline pipeline;
    private final Store store;

    /**
     * Each message is committed as it is processed (the pipeline stores with {@link CommitMode#EACH_REPORT});
     * nothing waits for the disk, so a power cut may take back the last reports (tests, tools).
     */
    public PipelineProcessor(ImportPipeline pipeline) {
        this(pipeline, null);
    }

    private PipelineProcessor(ImportPipeline pipeline, Store store) {
        this.pipeline = pipeline;
        this.store = store;
    }

    /**
     * Messages processed in runs, committed at the end of each.
     *
     * @param pipeline a pipeline storing into {@code store} with {@link CommitMode#GROUPED}
     */
    public static PipelineProcessor grouped(ImportPipeline pipeline, Store store) {
        return new PipelineProcessor(pipeline, Objects.requireNonNull(store, "store"));
    }

    @Override
    public ProcessingResult process(InboxMessage message, Path data) {
        String origin = message.origin().channel().name().toLowerCase(Locale.ROOT) + ":" + message.id();
        // the stored name is what the sender called it (an upload's file name) or the message id: never the
        // path of the inbox file, which the dashboard would show as the reports' source
        String name = message.name() == null || message.name().isBlank() ? message.id() : message.name();
        // Mail from strangers has its DKIM signature checked; an upload is the user's own file.
        MessageOrigin.Channel channel = message.origin().channel();
        ImportOutcome o = channel == MessageOrigin.Channel.SMTP || channel == MessageOrigin.Channel.IMAP
                || channel == MessageOrigin.Channel.GRAPH || channel == MessageOrigin.Channel.GMAIL
                ? pipeline.importMail(origin, name, data) : pipeline.importFile(origin, name, data);
        return new ProcessingResult(o.reports(), o.records(), o.duplicates(), o.kinds(), o.unreadableParts(), o.error(),
                o.partialReports());
    }

    @Override
    public long begin() {
        return store == null ? 0 : store.mark().value();
    }

    @Override
    public void commit(long run) {
        if (store == null) {
            return;
        }
        // The inbox drops the messages next: their reports must be committed and survive a power cut first.
        // A lost commit throws, and the run's messages are processed again (duplicates are skipped).
        store.commitDurably(new CommitMark(run));
    }
}
