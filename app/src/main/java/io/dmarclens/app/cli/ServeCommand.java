package io.dmarclens.app.cli;

import io.dmarclens.app.config.ConfigFiles;
import io.dmarclens.app.config.ConfigLoader;
import io.dmarclens.app.config.ConfigOverrides;
import io.dmarclens.app.config.ServeConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dmarc-lens serve}: the store, the import pipeline, the inbox workers, the SMTP receiver, the
 * IMAP pollers and the dashboard in one process, until SIGTERM (or Ctrl-C) stops them gracefully.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Runs DMARC Lens: receives reports by SMTP and IMAP, stores them and serves the dashboard.",
                "Without --config it runs on safe defaults (see docs/configuration.md).",
                "Every file the configuration names and both listen addresses are checked before anything starts.",
                "Exit status: 0 after a graceful stop, 1 when it cannot start or run, 2 on a usage or configuration error."})
public class ServeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file")
    Path config;

    /** Overrides data_dir of the configuration when given. */
    @picocli.CommandLine.Mixin
    DataDirOption data = new DataDirOption();

    @Option(names = "--smtp-listen", paramLabel = "HOST:PORT", description = "SMTP receiver address (default: 127.0.0.1:2525)")
    String smtpListen;

    @Option(names = "--web-listen", paramLabel = "HOST:PORT", description = "dashboard address (default: 127.0.0.1:8080)")
    String webListen;

    @Option(names = "--recipients", paramLabel = "ADDRESS_OR_DOMAIN", split = ",",
            description = "accepted recipients: addresses or whole domains, comma-separated")
    List<String> recipients = new ArrayList<>();

    @Option(names = "--opensearch", paramLabel = "URL", description = "keep the reports and users in the OpenSearch "
            + "cluster at URL (e.g. http://127.0.0.1:9200); sets store.backend and store.opensearch.urls")
    String opensearch;

    @Option(names = "--offline", description = "no DNS lookups")
    boolean offline;

    @Option(names = "--demo", description = "start on a fresh data directory filled with sample-reports/ and 90 days "
            + "of generated reports, create a demo user and print the URL and login (implies --offline)")
    boolean demo;

    /** The configuration from the file, the environment and the flags; subclasses and options may adjust it. */
    protected ServeConfig configuration() throws IOException {
        Path dir = data.given() ? data.path() : null;
        if (demo && dir == null) {
            dir = java.nio.file.Files.createTempDirectory("dmarc-lens-demo");
        }
        if (demo && java.nio.file.Files.exists(dir.resolve("dmarc-lens.db"))) {
            throw new CliError(2, "--demo needs a fresh data directory; " + dir.toAbsolutePath()
                    + " already holds a store (leave out --data, or name a new directory)");
        }
        return new ConfigLoader(System.getenv()).load(config,
                new ConfigOverrides(dir, smtpListen, webListen, recipients, offline || demo ? Boolean.TRUE : null,
                        opensearch));
    }

    @Override
    public Integer call() throws InterruptedException, IOException {
        ServeConfig cfg = configuration();
        // Every file the configuration names is read before anything listens.
        ConfigFiles.check(cfg, config == null ? "configuration" : config.toString());
        ListenAddresses.checkFree(cfg);
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            LOG.info("Stopping: no new mail; inbox workers finish the message in hand");
            stop.countDown();
            try {
                stopped.await(90, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "shutdown");
        try (ServeRuntime runtime = ServeRuntime.start(cfg)) {
            Runtime.getRuntime().addShutdownHook(hook);
            if (demo) {
                System.out.println("Filling the demo store in " + cfg.dataDir().toAbsolutePath() + " ...");
                io.dmarclens.app.demo.DemoSetup.Result r = io.dmarclens.app.demo.DemoSetup.fill(runtime.store(),
                        runtime.users(), demoSamples(java.nio.file.Paths.get("sample-reports"),
                        System.getProperty("dmarclens.home")), java.time.LocalDate.now(runtime.clock()));
                System.out.printf("%nDMARC Lens demo: %d sample files and %d generated reports imported.%n",
                        r.samples(), r.generated());
                System.out.printf("  URL:      http://%s:%d/?range=90%n", cfg.webHost(), runtime.web().port());
                System.out.printf("  user:     %s%n  password: %s%n%n", r.user(), r.password());
            }
            LOG.info("DMARC Lens is running; data in {}", cfg.dataDir().toAbsolutePath());
            stop.await();
        } finally {
            stopped.countDown();
        }
        return 0;
    }

    /**
     * The sample reports the demo imports: {@code sample-reports/} of the current directory, or of the checkout the
     * {@code ./dmarc-lens} launcher runs from (it passes {@code -Ddmarclens.home}), so that the demo started from
     * another directory shows them too; null when neither is there (a jar on its own).
     */
    static Path demoSamples(Path here, String home) {
        if (java.nio.file.Files.isDirectory(here)) {
            return here;
        }
        if (home != null && !home.isBlank()) {
            Path beside = java.nio.file.Paths.get(home, "sample-reports");
            if (java.nio.file.Files.isDirectory(beside)) {
                return beside;
            }
        }
        return null;
    }
}
