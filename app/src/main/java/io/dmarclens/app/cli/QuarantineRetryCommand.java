package io.dmarclens.app.cli;

import io.dmarclens.app.config.ConfigLoader;
import io.dmarclens.app.config.ConfigOverrides;
import io.dmarclens.app.config.ServeConfig;
import io.dmarclens.store.ingestlog.IngestLogEntry;
import io.dmarclens.store.ingestlog.IngestStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dmarc-lens quarantine retry ID}: runs a quarantined message through the pipeline again (after an
 * upgrade of the parser, say). It opens the store, so DMARC Lens must not be running on the same data
 * directory; there, retry from the dashboard.
 */
@Command(name = "retry", mixinStandardHelpOptions = true,
        description = {"Processes a quarantined message again; it stays quarantined (with the new reason) if it still holds no report.",
                "Stop 'serve' on this data directory first, or use the dashboard's retry."})
final class QuarantineRetryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    DataDirOption data = new DataDirOption();

    @Option(names = "--offline", description = "no DNS lookups")
    boolean offline;

    @Parameters(paramLabel = "ID", description = "the message id from 'quarantine list'")
    String id;

    @Override
    public Integer call() throws InterruptedException, IOException, ExecutionException, TimeoutException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        java.nio.file.Path dataDir = data.existing(QuarantineCommand.INGEST_LOG);
        ServeConfig config = new ConfigLoader(java.util.Map.of()).load(null,
                new ConfigOverrides(dataDir, null, null, null, offline ? Boolean.TRUE : null));
        try (ServeRuntime runtime = ServeRuntime.startProcessingOnly(config)) {
            IngestLogEntry e = runtime.ingest().quarantine().retry(id).get(10, TimeUnit.MINUTES);
            if (e.status() == IngestStatus.QUARANTINED) {
                out.println("Still quarantined: " + e.detail());
                return 1;
            }
            out.printf("%s: %d reports stored, %d records, %d duplicates%n", e.status().name().toLowerCase(Locale.ROOT),
                    e.reports(), e.records(), e.duplicates());
            return 0;
        } catch (NoSuchFileException | IllegalArgumentException e) {
            err.println("No quarantined message " + id + ".");
            return 1;
        }
    }
}
