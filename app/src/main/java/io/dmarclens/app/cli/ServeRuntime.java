package io.dmarclens.app.cli;

import io.dmarclens.alerts.AlertSettings;
import io.dmarclens.alerts.delivery.Deliverer;
import io.dmarclens.alerts.delivery.DeliverySettings;
import io.dmarclens.alerts.digest.DigestCollector;
import io.dmarclens.alerts.digest.DigestReadiness;
import io.dmarclens.alerts.digest.DigestScheduler;
import io.dmarclens.alerts.digest.DigestWriter;
import io.dmarclens.alerts.state.AlertEngine;
import io.dmarclens.web.AlertsConsole;
import io.dmarclens.app.config.RetentionSettings;
import io.dmarclens.app.config.ServeConfig;
import io.dmarclens.store.audit.AuditLog;
import java.util.Optional;
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
import io.dmarclens.store.ingestlog.IngestLog;
import io.dmarclens.web.IngestConsole;
import io.dmarclens.web.IngestServiceConsole;
import io.dmarclens.app.config.NodeSettings;
import io.dmarclens.ingest.Mailboxes;
import io.dmarclens.ingest.smtp.SmtpSettings;
import io.dmarclens.store.cluster.Duty;
import io.dmarclens.store.cluster.NodeRole;
import io.dmarclens.store.cluster.NodeStatus;
import java.util.List;
import io.dmarclens.web.MetricsServer;
import io.dmarclens.web.UnverifiedReports;
import io.dmarclens.web.WebApp;
import io.dmarclens.web.WebSettings;
import io.dmarclens.web.auth.UserStore;
import io.dmarclens.web.metrics.AlertDeliveries;
import io.dmarclens.web.metrics.DmarcMetrics;
import io.dmarclens.web.metrics.MetricsSettings;
import java.io.IOException;
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
    private final DmarcMetrics metrics;
    private final MetricsServer metricsServer;
    private final ClusterNode node;
    private final Retention retention;

    /** The retention job (null when nothing is ever removed) and the audit log it writes its runs to. */
    private record Retention(RetentionJob job, AuditLog audit) implements AutoCloseable {
        @Override
        public void close() {
            try {
                if (job != null) {
                    job.close();
                }
            } finally {
                audit.close();
            }
        }
    }

    /**
     * The alert state (alerts.db, or the cluster's), the engine evaluating the rules, the digests and the deliverer (all null when
     * alerts are off; the deliverer is null when no channel is configured: notices wait in the outbox).
     */
    private record Alerts(StoreOption.OpenedAlerts file, AlertEngine engine, DigestScheduler digests, Deliverer deliverer)
            implements AutoCloseable {
        @Override
        public void close() {
            try {
                if (deliverer != null) {
                    deliverer.close();
                }
                digests.close();
                engine.close();
            } finally {
                file.close();
            }
        }
    }

    private ServeRuntime(Clock clock, Store store, PipelineSetup pipeline, IngestService ingest, UserStore users,
                         WebApp web, Alerts alerts, DmarcMetrics metrics, MetricsServer metricsServer, ClusterNode node,
                         Retention retention) {
        this.node = node;
        this.retention = retention;
        this.clock = clock;
        this.store = store;
        this.pipeline = pipeline;
        this.ingest = ingest;
        this.users = users;
        this.web = web;
        this.alerts = alerts;
        this.metrics = metrics;
        this.metricsServer = metricsServer;
    }

    public static ServeRuntime start(ServeConfig config) throws IOException {
        return start(config, ingestOfRoles(config), true);
    }

    /** What the node's roles leave of the ingest side: SMTP with {@code smtp}, the mailboxes with {@code imap}. */
    private static IngestSettings ingestOfRoles(ServeConfig config) {
        IngestSettings all = config.ingest();
        NodeSettings node = config.node();
        SmtpSettings smtp = all.smtp();
        if (!node.runs(NodeRole.SMTP)) {
            smtp = new SmtpSettings(false, smtp.host(), smtp.port(), smtp.hostName(), smtp.recipients(),
                    smtp.maxMessageSize(), smtp.maxConnections(), smtp.readTimeout(), smtp.tlsCertificate(),
                    smtp.tlsKey(), smtp.requireTls(), smtp.limits());
        }
        boolean mailboxes = node.runs(NodeRole.IMAP);
        return new IngestSettings(all.workers(), smtp, mailboxes ? all.imap() : List.of(), all.limits(),
                mailboxes ? all.mailboxes() : Mailboxes.none());
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
        Store store = StoreOption.open(config.store(), config.dataDir(), clock);
        LOG.info("Reports are kept in {}", config.store().describe());
        ClusterNode node;
        try {
            node = new ClusterNode(StoreOption.coordination(config.store()), config.node(), Main.VERSION, clock);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        LOG.info("Node {} runs {}", config.node().name(), config.node().roles().stream().sorted()
                .map(NodeRole::id).toList());
        PipelineSetup pipeline = null;
        MetricsSettings metricsSettings = config.web().metrics();
        // Only serve has a /metrics to read them; made first so that it counts from the first message.
        DmarcMetrics metrics = dashboard && metricsSettings.enabled() ? new DmarcMetrics(metricsSettings) : null;
        try {
            if (metrics != null) {
                metrics.watchStore(store, clock, config.excludeUnverified());
            }
            // Grouped: each run of inbox messages is one commit; the workers flush before a message leaves the inbox.
            pipeline = PipelineSetup.open(store, new ReportParser(config.parserLimits())::parse, config.enrichment(),
                    CommitMode.GROUPED, clock);
            IngestLog log = StoreOption.ingestLog(config.store(), config.dataDir(), clock, config.node().name());
            IngestService ingest = IngestService.start(config.dataDir(), metrics == null ? log : metrics.counting(log),
                    ingestSettings, PipelineProcessor.grouped(pipeline.pipeline(), store), clock, node::mailbox);
            if (!dashboard) {
                // A command beside serve (quarantine retry) is not a node of its own: no heartbeat under serve's name.
                return new ServeRuntime(clock, store, pipeline, ingest, null, null, null, null, null, node, null);
            }
            if (metrics != null) {
                metrics.watchIngest(ingest);
            }
            UserStore users = null;
            Alerts alerts = null;
            MetricsServer metricsServer = null;
            Retention retention = null;
            try {
                node.startHeartbeat(ingest::backlog);
                // One keeper of the jobs lease for all the once-per-cluster work (two would fight over its version).
                Duty jobs = node.jobs();
                retention = retention(config, store, metrics, clock, jobs);
                PostureService posture = posture(config, store, clock);
                alerts = alerts(config, store, ingest, posture, metrics, clock, jobs);
                if (!config.node().runs(NodeRole.WEB)) {
                    LOG.info("No dashboard on this node (node.roles has no web)");
                    return new ServeRuntime(clock, store, pipeline, ingest, null, null, alerts, metrics, null, node,
                            retention);
                }
                users = UsersCommand.userStore(config.store(), config.dataDir(), config.web().twoFactorKeyFile(), clock);
                WebSettings settings = config.web();
                AuditLog runs = retention.audit();
                IngestServiceConsole console = new IngestServiceConsole(ingest, settings.maxUploadBytes(),
                        () -> nodeView(node, clock), () -> Optional.of(RetentionJob.view(runs, config.retention())));
                if (metrics != null && metricsSettings.separateListener()) {
                    metricsServer = startMetricsServer(metrics, store, console);
                }
                WebApp web = new WebApp(store, console, users,
                        settings, clock, posture, config.excludeUnverified()
                        ? UnverifiedReports.EXCLUDED : UnverifiedReports.INCLUDED, alerts == null ? null
                        : new AlertsConsole(alerts.file().log(), alerts.file().outbox(), alerts.engine().rules(),
                                config.alerts().evaluateEvery()), metrics).start(config.webHost(), config.webPort());
                return new ServeRuntime(clock, store, pipeline, ingest, users, web, alerts, metrics, metricsServer, node,
                        retention);
            } catch (RuntimeException e) {
                if (metricsServer != null) {
                    metricsServer.close();
                }
                ingest.close();
                if (alerts != null) {
                    alerts.close();
                }
                if (retention != null) {
                    retention.close();
                }
                closeQuietly(users);
                throw new IOException("cannot start the dashboard on " + config.webHost() + ":" + config.webPort()
                        + ": " + e.getMessage(), e);
            }
        } catch (IOException | RuntimeException e) {
            node.close();
            if (pipeline != null) {
                pipeline.close();
            }
            store.close();
            if (metrics != null) {
                metrics.close();
            }
            throw e;
        }
    }

    /**
     * Retention on its schedule, once per cluster: on the node holding the jobs lease ({@link RetentionJob}); none
     * when {@code retention.*} keeps everything. The audit log it writes its runs to is opened either way, for the
     * Ingest page's line.
     */
    private static Retention retention(ServeConfig config, Store store, DmarcMetrics metrics, Clock clock,
                                       Duty jobs) {
        AuditLog audit = StoreOption.auditLog(config.store(), config.dataDir());
        RetentionSettings settings = config.retention();
        if (!settings.removesAnything()) {
            LOG.info("Retention: reports and raw sources are kept forever (retention.reports, retention.raw_sources)");
            return new Retention(null, audit);
        }
        RetentionJob job = new RetentionJob(store, audit, settings, config.node().name(), clock,
                metrics == null ? null : metrics.retention()::record);
        LOG.info("Retention: {}, checked every {} on the node holding the jobs lease", settings.describe(),
                settings.every());
        return new Retention(job.start(jobs), audit);
    }

    /** The Ingest page's node list: the registry's, or none while the store cannot be read. */
    private static IngestConsole.NodeView nodeView(ClusterNode node, Clock clock) {
        java.util.List<NodeStatus> nodes;
        try {
            nodes = node.coordination().registry().statuses();
        } catch (StoreException e) {
            nodes = List.of();
        }
        return new IngestConsole.NodeView(nodes, clock.instant(), node.staleAfter(), node.settings().name());
    }

    private static MetricsServer startMetricsServer(DmarcMetrics metrics, Store store, IngestServiceConsole console) {
        MetricsSettings s = metrics.settings();
        try {
            MetricsServer server = new MetricsServer(metrics, store, console).start(s.listenHost(), s.listenPort());
            LOG.info("Metrics on http://{}:{}/metrics", s.listenHost(), server.port());
            if (s.token() == null && !isLoopback(s.listenHost())) {
                // Domain names and volumes are not for everyone: say so, but the operator may have a private network.
                LOG.warn("metrics.listen {} is not loopback and metrics.token is not set: anyone who reaches it reads"
                        + " your domains and volumes; keep it on a private network or set metrics.token", s.listenHost());
            }
            return server;
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot serve metrics on " + s.listenHost() + ":" + s.listenPort()
                    + " (metrics.listen): " + e.getMessage(), e);
        }
    }

    /** By its text only (no lookup): {@code localhost}, {@code 127.x.y.z} or {@code ::1}. */
    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
    }

    /**
     * The alert rules on {@code dataDir/alerts.db} or, on OpenSearch, on the cluster's alert state shared by every
     * node: told of every commit of reports on this node and run on their schedule; null when {@code alerts.enabled}
     * is false. The deliverer runs on every node that has channels configured: each takes a notice before sending
     * it ({@link io.dmarclens.store.alerts.Outbox#claim}), so a notice raised through any node is sent once.
     */
    private static Alerts alerts(ServeConfig config, Store store, IngestService ingest, PostureService posture,
                                 DmarcMetrics metrics, Clock clock, Duty jobs) {
        AlertSettings settings = config.alerts();
        if (!settings.enabled()) {
            return null;
        }
        StoreOption.OpenedAlerts file = StoreOption.alerts(config.store(), config.dataDir());
        AlertEngine engine = new AlertEngine(store, file.log(), settings.rules(posture, new IngestServiceHealth(ingest)),
                settings, config.excludeUnverified(), clock);
        store.addCommitListener(engine.commitListener());
        DeliverySettings delivery = config.delivery();
        DigestScheduler digests = new DigestScheduler(delivery.digests(), new DigestCollector(store, file.log(),
                new DigestReadiness(store, posture, config.excludeUnverified(), clock), config.excludeUnverified()),
                new DigestWriter(), file.log(), file.outbox(), clock);
        Deliverer deliverer = null;
        if (delivery.sends()) {
            String host = config.webHost().contains(":") ? "[" + config.webHost() + "]" : config.webHost();
            deliverer = new Deliverer(file.outbox(), delivery.routes(clock, "http://" + host + ":" + config.webPort()),
                    clock, delivery.firstRetry(), delivery.maxRetry());
            if (metrics != null) {
                AlertDeliveries counted = metrics.alertDeliveries();
                deliverer.reportingTo((kind, sent) -> counted.record(kind,
                        sent ? AlertDeliveries.Outcome.SENT : AlertDeliveries.Outcome.FAILED));
            }
            deliverer.start(delivery.every());
        } else {
            LOG.info("No alert mail recipients nor web hooks configured (alerts.mail.to, alerts.hooks): notices and"
                    + " digests are shown on the Alerts page only");
        }
        // The schedule and the digests once per cluster: on the node holding the jobs' lease.
        return new Alerts(file, engine.start(jobs), digests.start(Duration.ofMinutes(5), jobs), deliverer);
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

    /** The metrics (null when only processing, or with {@code metrics.enabled: false}). */
    public DmarcMetrics metrics() {
        return metrics;
    }

    /** The separate metrics listener of {@code metrics.listen}, or null. */
    public MetricsServer metricsServer() {
        return metricsServer;
    }

    /** The alert engine (null when only processing, or when alerts are off). */
    public AlertEngine alerts() {
        return alerts == null ? null : alerts.engine();
    }

    /** This node's name (node.name). */
    public String nodeName() {
        return node.settings().name();
    }

    /** The leases this node holds now (mailboxes, jobs). */
    public java.util.List<String> heldLeases() {
        return node.heldLeases();
    }

    @Override
    public void close() throws IOException {
        // First give the leases up, so that other nodes take the mailboxes and jobs over at once.
        node.close();
        if (metricsServer != null) {
            metricsServer.close();
        }
        if (web != null) {
            web.stop();
        }
        try {
            if (retention != null) {
                retention.close();
            }
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
                if (metrics != null) {
                    metrics.close();
                }
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
