package io.dmarclens.ingest;

import io.dmarclens.ingest.inbox.InboxMessage;
import io.dmarclens.ingest.inbox.MessageProcessor;
import io.dmarclens.ingest.inbox.ProcessingResult;
import io.dmarclens.ingest.pipeline.ImportOutcome;
import io.dmarclens.ingest.pipeline.ImportPipeline;
import java.nio.file.Path;

/**
 * Processes inbox messages with the import pipeline. The origin stored with the reports is the channel
 * and the inbox message id ({@code smtp:20261129T205600123Z-1a2b3c4d5e6f}), which leads to the message's
 * entry in the ingest log. A pipeline {@code ImportException} (store or disk failure) propagates, so the
 * message stays in the inbox and is retried.
 */
public final class PipelineProcessor implements MessageProcessor {
    private final ImportPipeline pipeline;

    public PipelineProcessor(ImportPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public ProcessingResult process(InboxMessage message, Path data) throws Exception {
        String origin = message.origin().channel().name().toLowerCase(java.util.Locale.ROOT) + ":" + message.id();
        ImportOutcome o = pipeline.importFile(origin, data);
        return new ProcessingResult(o.reports(), o.records(), o.duplicates(), o.kinds(), o.unreadableParts(), o.error());
    }
}
