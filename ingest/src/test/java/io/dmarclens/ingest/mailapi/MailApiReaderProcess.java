package io.dmarclens.ingest.mailapi;

import io.dmarclens.index.EmbeddedStore;
import io.dmarclens.index.ingestlog.SqliteIngestLog;
import io.dmarclens.ingest.IngestService;
import io.dmarclens.ingest.IngestSettings;
import io.dmarclens.ingest.Mailboxes;
import io.dmarclens.ingest.PipelineProcessor;
import io.dmarclens.ingest.enrich.EnrichmentSettings;
import io.dmarclens.ingest.inbox.InboxLimits;
import io.dmarclens.ingest.oauth.OAuthSettings;
import io.dmarclens.ingest.pipeline.PipelineSetup;
import io.dmarclens.ingest.smtp.SmtpSettings;
import io.dmarclens.parser.ReportParser;
import io.dmarclens.store.Clocks;
import io.dmarclens.store.CommitMode;
import io.dmarclens.store.Store;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A mail API mailbox read as {@code serve} reads it (real store, real pipeline, the ingest service's
 * wiring), in a JVM of its own so that a test can {@code kill -9} it. Arguments: the data directory, the
 * API ({@code GRAPH} or {@code GMAIL}), its endpoint, the token endpoint, and a file written once running.
 */
public final class MailApiReaderProcess {
    private MailApiReaderProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        MailApiAccount.Api api = MailApiAccount.Api.valueOf(args[1]);
        URI endpoint = URI.create(args[2]);
        URI tokenEndpoint = URI.create(args[3]);
        Path running = Path.of(args[4]);
        Store store = EmbeddedStore.open(data);
        PipelineSetup pipeline = PipelineSetup.open(store, new ReportParser()::parse,
                new EnrichmentSettings(true, null, List.of(), null, List.of()), CommitMode.GROUPED, Clocks.system());
        SmtpSettings defaults = SmtpSettings.defaults();
        SmtpSettings off = new SmtpSettings(false, defaults.host(), defaults.port(), defaults.hostName(),
                defaults.recipients(), defaults.maxMessageSize(), defaults.maxConnections(), defaults.readTimeout(),
                null, null, false, defaults.limits());
        MailApiAccount account = new MailApiAccount("crash", api, MailApiReaderTest.USER, null, endpoint,
                Duration.ofMillis(200), 5, null, 1024 * 1024);
        OAuthSettings oauth = new OAuthSettings(OAuthSettings.Provider.REFRESH_TOKEN, null, "dmarc-lens", null, null,
                null, "refresh-1", tokenEndpoint, null, null);
        IngestSettings settings = new IngestSettings(2, off, List.of(), InboxLimits.none(),
                new Mailboxes(Map.of(), List.of(new Mailboxes.ApiMailbox(account, oauth))));
        IngestService ingest = IngestService.start(data, SqliteIngestLog.open(data), settings,
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
        Files.writeString(running, "running");
        Thread.sleep(Long.MAX_VALUE);
    }
}
