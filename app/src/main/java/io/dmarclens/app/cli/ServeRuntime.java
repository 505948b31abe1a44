package io.dmarclens.app.cli;

import io.dmarclens.alerts.AlertSettings;
import io.dmarclens.alerts.state.AlertEngine;
import io.dmarclens.index.alerts.SqliteAlerts;
import io.dmarclens.web.AlertsConsole;
import io.dmarclens.app.config.ServeConfig;
import io.dmarclens.index.EmbeddedStore;
import io.dmarclens.index.ingestlog.SqliteIngestLog;
import io.dmarclens.ingest.IngestService;
import io.dmarclens.ingest.IngestSettings;
import io.dmarclens.ingest.PipelineProcessor;
import io.dmarclens.ingest.pipeline.PipelineSetup;
import io.dmarclens.parser.ReportParser;
import io.dmarclens.posture.DnsClient;
import io.dmarclens.posture.PostureService;
import io.dmarclens.store.Clocks;
import io.dmarclens.store.PrivateFiles;
import io.dmarclens.store.CommitMode;
import io.dmarclens.store.Store;
import io.dmarclens.store.StoreException;
import io.dmarclens.web.IngestServiceConsole;
import io.dmarclens.web.UnverifiedReports;
import io.dmarclens.web.WebApp;
import io.dmarclens.web.WebSettings;
import io.dmarclens.web.auth.UserStore;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code serve} runs, opened in dependency order and closed in reverse: the store, the import
 * pipeline, the ingest side (inbox workers, SMTP, IMAP), then the dashboard.
 */
public final class ServeRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServeRuntime.class);

    private final Clock clock;
    private final Store store;
    private final PipelineSetup pipeline;
    private final IngestService ingest;
    private final UserStore users;
    private final WebApp web;
    private final Alerts alerts;

    /** The alert state file and the engine evaluating the rules (both null when alerts are off). */
    private record Alerts(SqliteAlerts file, AlertEngine engine) implements AutoCloseable {
        @Override
        public void close() {
            try {
                engine.close();
            } finally {
                file.close();
            }
        }
    }

    private ServeRuntime(Clock clock, Store store, PipelineSetup pipeline, IngestService ingest, UserStore users,
                         WebApp web, Alerts alerts) {
        this.clock = clock;
        this.store = store;
        this.pipeline = pipeline;
        this.ingest = ingest;
        this.users = users;
        this.web = web;
        this.alerts = alerts;
    }

    public static ServeRuntime start(ServeConfig config) throws IOException {
        return start(config, config.ingest(), true);
    }

    /** The store, pipeline and inbox workers only: no SMTP, no IMAP (for commands such as {@code quarantine retry}). */
    public static ServeRuntime startProcessingOnly(ServeConfig config) throws IOException {
        return start(config, IngestSettings.inboxOnly(1), false);
    }

    private static ServeRuntime start(ServeConfig config, IngestSettings ingestSettings, boolean dashboard)
            throws IOException {
        PrivateFiles.createDirectories(config.dataDir());
        // The one clock of the process: every part asks it what time it is (tests can move it, see Clocks).
        Clock clock = Clocks.system();
        Store store = EmbeddedStore.open(config.dataDir(), clock);
        PipelineSetup pipeline = null;
        try {
            // Grouped: each run of inbox messages is one commit; the workers flush before a message leaves the inbox.
            pipeline = PipelineSetup.open(store, new ReportParser(config.parserLimits())::parse, config.enrichment(),
                    CommitMode.GROUPED, clock);
            IngestService ingest = IngestService.start(config.dataDir(), SqliteIngestLog.open(config.dataDir(), clock),
                    ingestSettings, PipelineProcessor.grouped(pipeline.pipeline(), store), clock);
            if (!dashboard) {
                return new ServeRuntime(clock, store, pipeline, ingest, null, null, null);
            }
            UserStore users = null;
            Alerts alerts = null;
            try {
                PostureService posture = posture(config, store, clock);
                alerts = alerts(config, store, ingest, posture, clock);
                users = UsersCommand.userStore(config.dataDir(), clock);
                WebSettings settings = config.web();
                WebApp web = new WebApp(store, new IngestServiceConsole(ingest, settings.maxUploadBytes()), users,
                        settings, clock, posture, config.excludeUnverified()
                        ? UnverifiedReports.EXCLUDED : UnverifiedReports.INCLUDED, alerts == null ? null
                        : new AlertsConsole(alerts.file().log(), alerts.file().outbox(), alerts.engine().rules(),
                                config.alerts().evaluateEvery())).start(config.webHost(), config.webPort());
                return new ServeRuntime(clock, store, pipeline, ingest, users, web, alerts);
            } catch (RuntimeException e) {
                ingest.close();
                if (alerts != null) {
                    alerts.close();
                }
                closeQuietly(users);
                throw new IOException("cannot start the dashboard on " + config.webHost() + ":" + config.webPort()
                        + ": " + e.getMessage(), e);
            }
        } catch (IOException | RuntimeException e) {
            if (pipeline != null) {
                pipeline.close();
            }
            store.close();
            throw e;
        }
    }

    /**
     * The alert rules on {@code dataDir/alerts.db}, told of every commit of reports and run on their schedule;
     * null when {@code alerts.enabled} is false.
     */
    private static Alerts alerts(ServeConfig config, Store store, IngestService ingest, PostureService posture,
                                 Clock clock) {
        AlertSettings settings = config.alerts();
        if (!settings.enabled()) {
            return null;
        }
        SqliteAlerts file = SqliteAlerts.open(config.dataDir());
        AlertEngine engine = new AlertEngine(store, file.log(), settings.rules(posture, new IngestServiceHealth(ingest)),
                settings, config.excludeUnverified(), clock);
        store.addCommitListener(engine.commitListener());
        return new Alerts(file, engine.start());
    }

    /** The Posture page's DNS checks: the enrichment's resolver, off in offline mode. */
    private static PostureService posture(ServeConfig config, Store store, Clock clock) {
        String dns = config.enrichment().dnsServer();
        boolean offline = config.offline() || config.enrichment().offline();
        return new PostureService(store, dns == null || dns.isBlank() ? null : DnsClient.parseServer(dns),
                Duration.ofSeconds(3), offline, clock, config.excludeUnverified());
    }

    /** The clock every part of this runtime reads. */
    public Clock clock() {
        return clock;
    }

    public Store store() {
        return store;
    }

    /** The dashboard's users (null when only processing). */
    public UserStore users() {
        return users;
    }

    /** The dashboard (null when only processing). */
    public WebApp web() {
        return web;
    }

    public IngestService ingest() {
        return ingest;
    }

    /** The alert engine (null when only processing, or when alerts are off). */
    public AlertEngine alerts() {
        return alerts == null ? null : alerts.engine();
    }

    @Override
    public void close() throws IOException {
        if (web != null) {
            web.stop();
        }
        try {
            if (alerts != null) {
                alerts.close();
            }
            ingest.close();
        } finally {
            try {
                pipeline.close();
            } finally {
                store.close();
                closeQuietly(users);
                LOG.info("Stopped");
            }
        }
    }

    private static void closeQuietly(UserStore users) {
        if (users == null) {
            return;
        }
        try {
            users.close();
        } catch (StoreException e) {
            LOG.warn("Cannot close the user store: {}", e.getMessage());
        }
    }
}
