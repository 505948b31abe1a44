package io.dmarclens.ingest.fault;

import io.dmarclens.index.ingestlog.SqliteIngestLog;
import io.dmarclens.index.EmbeddedStore;
import io.dmarclens.ingest.IngestService;
import io.dmarclens.ingest.IngestSettings;
import io.dmarclens.ingest.PipelineProcessor;
import io.dmarclens.ingest.enrich.EnrichmentSettings;
import io.dmarclens.ingest.pipeline.PipelineSetup;
import io.dmarclens.ingest.smtp.SmtpLimits;
import io.dmarclens.ingest.smtp.SmtpSettings;
import io.dmarclens.parser.ReportParser;
import io.dmarclens.store.CommitMode;
import io.dmarclens.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import io.dmarclens.store.Clocks;

/**
 * The receiver as {@code serve} runs it (real store, real pipeline, SMTP on loopback), in a JVM of its
 * own so that a test can {@code kill -9} it. Arguments: the data directory and a file to write the SMTP
 * port to once it listens.
 */
public final class ReceiverProcess {
    private ReceiverProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        Path portFile = Path.of(args[1]);
        Store store = EmbeddedStore.open(data);
        PipelineSetup pipeline = PipelineSetup.open(store, new ReportParser()::parse,
                new EnrichmentSettings(true, null, List.of(), null, List.of()), CommitMode.GROUPED, Clocks.system());
        SmtpSettings smtp = SmtpSettings.defaults().withListen("127.0.0.1", 0)
                .withRecipients(List.of(FaultTest.RCPT))
                // the test's clients stand for several MTAs, but on loopback they share one address
                .withLimits(SmtpLimits.defaults().withConnectionsPerAddress(16));
        IngestService ingest = IngestService.start(data, SqliteIngestLog.open(data), new IngestSettings(2, smtp, List.of()),
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
        Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
        Files.writeString(tmp, Integer.toString(ingest.smtp().orElseThrow().port()));
        Files.move(tmp, portFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Thread.sleep(Long.MAX_VALUE);
    }
}
