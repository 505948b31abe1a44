package io.dmarclens.web.metrics;

import io.dmarclens.ingest.IngestService;
import io.dmarclens.ingest.imap.ImapPoller;
import io.dmarclens.store.Store;
import io.dmarclens.store.ingestlog.IngestLog;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.javalin.http.Context;
import java.time.Clock;

/**
 * The process's metrics, in one Micrometer registry written out in the Prometheus text format: messages
 * (through the ingest log), what the store committed (its commit listener), the inbox, the IMAP accounts,
 * HTTP latencies, the JVM, per-domain gauges and alert deliveries. docs/metrics.md lists every metric.
 * {@code serve} makes one and hands it to each part before it starts.
 */
public final class DmarcMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MetricsSettings settings;
    private final IngestMeters ingest;
    private final HttpMeters http;
    private final AlertDeliveries alerts;
    private final RetentionMeters retention;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private volatile DomainGauges domains;

    public DmarcMetrics(MetricsSettings settings) {
        this.settings = settings;
        // ProcessorMetrics' process.cpu.time comes out as process_cpu_time_ns_total, which promtool's lint refuses
        // (an abbreviated unit); process_cpu_usage says the same for a dashboard.
        registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")));
        // A gauge named ..._count reads as a summary's count to promtool's lint.
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
            }
        });
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        ingest = new IngestMeters(registry);
        http = new HttpMeters(registry);
        alerts = new AlertDeliveries(registry);
        retention = new RetentionMeters(registry);
    }

    public MetricsSettings settings() {
        return settings;
    }

    /** The ingest log, counting every message accepted, processed, refused or dropped as it is written. */
    public IngestLog counting(IngestLog log) {
        return new CountingIngestLog(log, ingest);
    }

    /** Counts what {@code store} commits, and serves its per-domain gauges (cached, bounded; see {@link DomainGauges}). */
    public void watchStore(Store store, Clock clock, boolean excludeUnverified) {
        store.addCommitListener(new StoreMeters(registry));
        domains = new DomainGauges(registry, store.domains(), clock, settings.domains(), settings.domainRefresh(),
                excludeUnverified);
    }

    /** The inbox's depth, its workers and each IMAP account's polling. */
    public void watchIngest(IngestService service) {
        Gauge.builder("dmarclens.inbox.depth", service, IngestService::backlog)
                .description("Messages accepted and not processed yet").baseUnit("messages").register(registry);
        Gauge.builder("dmarclens.inbox.workers", service, IngestService::liveWorkers)
                .description("Inbox worker threads running").register(registry);
        FunctionCounter.builder("dmarclens.inbox.worker.restarts", service, IngestService::workerRestarts)
                .description("Inbox workers that died and were replaced").register(registry);
        Gauge.builder("dmarclens.ready", service, s -> s.problem().isPresent() ? 0 : 1)
                .description("1 while received mail can be processed (as /ready), else 0").register(registry);
        for (ImapPoller poller : service.imapPollers()) {
            // Account names are the operator's own, from the configuration: a bounded label.
            Tags account = Tags.of("account", poller.name());
            FunctionCounter.builder("dmarclens.imap.connects", poller, ImapPoller::connects).tags(account)
                    .description("Successful IMAP logins").register(registry);
            FunctionCounter.builder("dmarclens.imap.failures", poller, ImapPoller::failures).tags(account)
                    .description("IMAP connections or rounds that failed").register(registry);
            FunctionCounter.builder("dmarclens.imap.archived", poller, ImapPoller::archived).tags(account)
                    .description("IMAP messages read and moved or marked seen").baseUnit("messages")
                    .register(registry);
            Gauge.builder("dmarclens.imap.failing", poller, p -> p.failing() ? 1 : 0).tags(account)
                    .description("1 while the account fails: its last connection or cycle failed and no whole cycle worked since").register(registry);
        }
    }

    /** What retention removed, for serve's scheduled runs to record. */
    public RetentionMeters retention() {
        return retention;
    }

    /** The counter the alert delivery calls for each attempt. */
    public AlertDeliveries alertDeliveries() {
        return alerts;
    }

    /** Times a request (before the routes). */
    public void beforeRequest(Context ctx) {
        http.before(ctx);
    }

    /** Records a request's latency (after the routes). */
    public void afterRequest(Context ctx) {
        http.after(ctx);
    }

    /** The metrics now, in the Prometheus text format (version 0.0.4). */
    public String scrape() {
        DomainGauges d = domains;
        if (d != null) {
            d.refreshIfStale();
        }
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
