package io.dmarclens.app.cli;

import io.dmarclens.app.config.ConfigKeys;
import io.dmarclens.app.config.ConfigLoader;
import io.dmarclens.app.config.ConfigOverrides;
import io.dmarclens.app.config.RetentionSettings;
import io.dmarclens.app.config.ServeConfig;
import io.dmarclens.index.EmbeddedStore;
import io.dmarclens.store.Store;
import io.dmarclens.store.audit.AuditEntry;
import io.dmarclens.store.audit.AuditLog;
import io.dmarclens.store.retention.RetentionResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dmarc-lens retention}: applies the retention policy now ({@code retention.*} of the configuration, or
 * {@code --reports} and {@code --raw-sources}) and prints what it removed. The run is written to the audit log
 * like serve's scheduled runs, so the Ingest page shows it as the last run.
 */
@Command(name = "retention", mixinStandardHelpOptions = true,
        description = {"Deletes what the retention policy says is too old, now: whole reports older than"
                + " retention.reports (taken out of every figure exactly), the raw bytes of sources older than"
                + " retention.raw_sources; prints what it removed. serve does the same every retention.every on"
                + " the node holding the jobs lease.",
                "Embedded: it needs the data directory to itself (stop serve first). OpenSearch (--opensearch URL):"
                        + " serve may keep running.",
                "Exit status: 0, 1 when the store cannot be read or written, 2 on a usage or configuration error."})
public final class RetentionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file (its retention.* and store)")
    Path config;

    @picocli.CommandLine.Mixin
    DataDirOption data = new DataDirOption();

    @picocli.CommandLine.Mixin
    StoreOption storeOption = new StoreOption();

    @Option(names = "--reports", paramLabel = "AGE",
            description = "delete whole reports older than AGE (e.g. 400d, or forever) instead of retention.reports")
    String reports;

    @Option(names = "--raw-sources", paramLabel = "AGE",
            description = "delete the raw bytes of sources older than AGE (e.g. 90d, or forever) instead of"
                    + " retention.raw_sources")
    String rawSources;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ServeConfig cfg = new ConfigLoader(System.getenv()).load(config,
                ConfigOverrides.store(data.given() ? data.path() : null, storeOption.url));
        RetentionSettings configured = cfg.retention();
        RetentionSettings settings = new RetentionSettings(
                reports == null ? configured.reports() : age(ConfigKeys.RETENTION_REPORTS, "--reports", reports),
                rawSources == null ? configured.rawSources()
                        : age(ConfigKeys.RETENTION_RAW_SOURCES, "--raw-sources", rawSources),
                configured.every());
        if (!settings.removesAnything()) {
            out.println("nothing to remove: reports and raw sources are kept forever (set retention.reports or"
                    + " retention.raw_sources, or give --reports or --raw-sources)");
            out.flush();
            return 0;
        }
        Clock clock = StoreOption.clock();
        boolean opensearch = cfg.store().onOpenSearch();
        Path dir = opensearch ? cfg.dataDir() : data.given() ? data.existingStore() : existing(cfg.dataDir());
        try (Store store = opensearch ? StoreOption.open(cfg.store(), dir, clock) : EmbeddedStore.open(dir, clock);
             AuditLog audit = StoreOption.auditLog(cfg.store(), dir)) {
            Instant now = clock.instant();
            RetentionResult r = store.applyRetention(settings.policy(), now);
            String removed = RetentionJob.describe(r);
            audit.append(new AuditEntry(now, "cli", RetentionJob.ACTION, removed + " (" + settings.describe() + ")",
                    "local"));
            out.println("retention (" + settings.describe() + "): removed " + removed);
        }
        out.flush();
        return 0;
    }

    /** The configured data directory, which must hold a store (a mistyped path is not a new, empty store). */
    private static Path existing(Path dir) {
        DataDirOption d = new DataDirOption();
        d.dir = dir;
        return d.existingStore();
    }

    /** An age given on the command line, parsed as its key is (so "13m" is refused as 13 minutes). */
    private static Duration age(io.dmarclens.app.config.ConfigKey<Duration> key, String flag, String text) {
        return key.type().parse(flag, text.strip(), "command line");
    }
}
