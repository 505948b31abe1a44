package io.dmarclens.web.cli;

import io.dmarclens.index.Store;
import io.dmarclens.ingest.IngestService;
import io.dmarclens.ingest.IngestSettings;
import io.dmarclens.ingest.PipelineProcessor;
import io.dmarclens.ingest.pipeline.PipelineSetup;
import io.dmarclens.parser.ReportParser;
import io.dmarclens.web.config.ServeConfig;
import java.io.IOException;
import java.nio.file.Files;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code serve} runs, opened in dependency order and closed in reverse: the store, the import
 * pipeline, the ingest side (inbox workers, SMTP, IMAP), then the dashboard.
 */
public final class ServeRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServeRuntime.class);

    private final Store store;
    private final PipelineSetup pipeline;
    private final IngestService ingest;

    private ServeRuntime(Store store, PipelineSetup pipeline, IngestService ingest) {
        this.store = store;
        this.pipeline = pipeline;
        this.ingest = ingest;
    }

    public static ServeRuntime start(ServeConfig config) throws IOException {
        return start(config, config.ingest());
    }

    /** The store, pipeline and inbox workers only: no SMTP, no IMAP (for commands such as {@code quarantine retry}). */
    public static ServeRuntime startProcessingOnly(ServeConfig config) throws IOException {
        return start(config, IngestSettings.inboxOnly(1));
    }

    private static ServeRuntime start(ServeConfig config, IngestSettings ingestSettings) throws IOException {
        Files.createDirectories(config.dataDir());
        Store store = Store.open(config.dataDir());
        PipelineSetup pipeline = null;
        try {
            pipeline = PipelineSetup.open(store, new ReportParser()::parse, config.enrichment());
            IngestService ingest = IngestService.start(config.dataDir(), ingestSettings,
                    new PipelineProcessor(pipeline.pipeline()));
            // HOOK (web): the dashboard starts here once io.dmarclens.web.WebApp is on main:
            // new WebApp(store, new InboxIngestConsole(ingest, ...), UserStore.open(dataDir), settings)
            //         .start(config.webHost(), config.webPort()), stopped first in close().
            return new ServeRuntime(store, pipeline, ingest);
        } catch (IOException | RuntimeException e) {
            if (pipeline != null) {
                pipeline.close();
            }
            store.close();
            throw e;
        }
    }

    public Store store() {
        return store;
    }

    public IngestService ingest() {
        return ingest;
    }

    @Override
    public void close() throws IOException {
        try {
            ingest.close();
        } finally {
            try {
                pipeline.close();
            } finally {
                store.close();
                LOG.info("Stopped");
            }
        }
    }
}
