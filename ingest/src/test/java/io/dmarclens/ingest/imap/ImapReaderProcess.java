package io.dmarclens.ingest.imap;

import io.dmarclens.index.EmbeddedStore;
import io.dmarclens.index.ingestlog.SqliteIngestLog;
import io.dmarclens.ingest.IngestService;
import io.dmarclens.ingest.IngestSettings;
import io.dmarclens.ingest.PipelineProcessor;
import io.dmarclens.ingest.enrich.EnrichmentSettings;
import io.dmarclens.ingest.pipeline.PipelineSetup;
import io.dmarclens.parser.ReportParser;
import io.dmarclens.store.Clocks;
import io.dmarclens.store.CommitMode;
import io.dmarclens.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * DMARC Lens reading one IMAP mailbox as {@code serve} does (real store, real pipeline, the poller over
 * IMAPS), in a JVM of its own so that a test can {@code kill -9} it. Arguments: the data directory, the
 * IMAPS port on localhost, the server certificate's PEM file, the user, the password and the batch size.
 */
public final class ImapReaderProcess {
    private ImapReaderProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        ImapAccount account = new ImapAccount(null, "localhost", Integer.parseInt(args[1]), ImapAccount.Security.IMAPS,
                args[3], args[4], null, "INBOX", Duration.ofMillis(500), true, Integer.parseInt(args[5]),
                ImapAccount.AfterImport.MOVE, ImapAccount.ArchiveFolders.defaults(), 1024 * 1024)
                .withTrustedCertificates(Path.of(args[2]));
        Store store = EmbeddedStore.open(data);
        PipelineSetup pipeline = PipelineSetup.open(store, new ReportParser()::parse,
                new EnrichmentSettings(true, null, List.of(), null, List.of()), CommitMode.GROUPED, Clocks.system());
        IngestService ingest = IngestService.start(data, SqliteIngestLog.open(data),
                new IngestSettings(2, IngestSettings.inboxOnly(1).smtp(), List.of(account)),
                PipelineProcessor.grouped(pipeline.pipeline(), store));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                ingest.close();
                pipeline.close();
                store.close();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }));
        Thread.sleep(Long.MAX_VALUE);
    }
}
