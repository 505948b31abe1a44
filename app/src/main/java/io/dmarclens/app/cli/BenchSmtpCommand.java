package io.dmarclens.app.cli;

import io.dmarclens.bench.ClusterSmtpBenchmark;
import io.dmarclens.bench.SmtpBenchmark;
import io.dmarclens.index.EmbeddedStore;
import io.dmarclens.index.ingestlog.SqliteIngestLog;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dmarc-lens bench smtp}: concurrent SMTP clients on loopback against the full receive path. */
@Command(name = "smtp", mixinStandardHelpOptions = true,
        description = {"Sends typical aggregate reports (a zip attachment of 50 records) from concurrent SMTP clients",
                "on loopback to the receiver, with the real inbox, pipeline and store in a fresh data directory,",
                "and prints reports per second accepted (250 received) and fully processed (stored and indexed),",
                "and the CPU milliseconds per report of each part of the process (a figure that shrinks less than",
                "the rates when other work shares the machine). --direct skips SMTP and the inbox: --workers threads",
                "hand the same mails straight to the import pipeline, which shows what the pipeline and store allow."})
public final class BenchSmtpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--clients", defaultValue = "8", description = "concurrent SMTP connections (default: ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--messages", defaultValue = "2000", description = "messages to send (default: ${DEFAULT-VALUE})")
    int messages;

    @Option(names = "--records", defaultValue = "50", description = "records per report (default: ${DEFAULT-VALUE})")
    int records;

    @Option(names = "--workers", defaultValue = "2", description = "inbox workers (default: ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--warmup", defaultValue = "1000", description = {"messages sent and processed first, not counted,",
            "so the figures are those of a receiver that has run a while (default: ${DEFAULT-VALUE}; 0 for a cold start)"})
    int warmup;

    @Option(names = "--direct", description = "no SMTP, no inbox: the mails go straight to the import pipeline")
    boolean direct;

    @Option(names = "--data", paramLabel = "DIR", description = "data directory to use (default: a new temporary one, deleted afterwards)")
    Path dataDir;

    @Option(names = "--smtp", paramLabel = "HOST:PORT", split = ",", description = {"send to these running nodes instead",
            "(comma-separated; the clients are spread over them); needs --opensearch, the store they share, to count",
            "what they stored"})
    java.util.List<String> smtpTargets;

    @Option(names = "--opensearch", paramLabel = "URL", description = {"with --smtp: the OpenSearch cluster the nodes",
            "store into (index prefix and sign-in from DMARC_LENS_STORE_OPENSEARCH_*, as for serve)"})
    String opensearch;

    @Override
    public Integer call() throws InterruptedException, MessagingException, IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (smtpTargets != null && !smtpTargets.isEmpty()) {
            return againstRunningNodes(out);
        }
        SmtpBenchmark.Result r = new SmtpBenchmark(EmbeddedStore::open, SqliteIngestLog::open, clients, messages, records, workers, direct, warmup).run(dataDir);
        if (direct) {
            out.printf("bench smtp --direct: %d messages (%d records each, %d-byte zip mail) straight to the import"
                    + " pipeline from %d threads (no SMTP, no inbox, no ingest log), after %d warm-up messages%n",
                    messages, records, r.messageBytes(), workers, warmup);
            out.printf("  imported (stored, not yet indexed): %6.1f reports/s  (%d in %.2f s)%n",
                    r.accepted() / r.acceptSeconds(), r.accepted(), r.acceptSeconds());
        } else {
            out.printf("bench smtp: %d messages (%d records each, %d-byte zip mail), %d clients, %d inbox workers,"
                    + " after %d warm-up messages%n", messages, records, r.messageBytes(), clients, workers, warmup);
            out.printf("  accepted (250 received):      %6.1f reports/s  (%d in %.2f s)%n", r.acceptedPerSecond(),
                    r.accepted(), r.acceptSeconds());
        }
        out.printf("  fully processed (stored):     %6.1f reports/s  (%d in %.2f s)%n", r.processedPerSecond(),
                r.stored(), r.processSeconds());
        out.printf(direct ? "  failed imports:               %d%n" : "  refused or failed sends:      %d%n", r.failed());
        out.printf("  CPU per report: %.2f ms for the whole process (JIT and GC included), of which%n",
                r.cpuMillisPerReport(r.processCpuNanos()));
        r.cpuByRole().forEach((role, nanos) -> out.printf("    %6.2f ms  %s%n", r.cpuMillisPerReport(nanos), role));
        long rest = r.processCpuNanos() - r.cpuByRole().values().stream().mapToLong(Long::longValue).sum();
        out.printf("    %6.2f ms  the rest: threads that ended, JVM threads not listed above%n", r.cpuMillisPerReport(rest));
        out.printf("  machine: %d cores, Java %s, %s; load average %.1f at the end (other work running)%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                System.getProperty("os.name"), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        return r.stored() == messages ? 0 : 1;
    }

    /** {@code --smtp}: the nodes run already; the shared store says when their reports are stored. */
    private int againstRunningNodes(PrintWriter out) throws InterruptedException, MessagingException {
        if (opensearch == null) {
            throw new CliError(Main.USAGE, "bench smtp --smtp needs --opensearch URL: the store the nodes share, to count what"
                    + " they stored");
        }
        java.util.List<ClusterSmtpBenchmark.Target> targets = new java.util.ArrayList<>();
        for (String t : smtpTargets) {
            try {
                targets.add(ClusterSmtpBenchmark.Target.parse(t.strip()));
            } catch (IllegalArgumentException e) {
                throw new CliError(Main.USAGE, "--smtp: " + e.getMessage() + "; give HOST:PORT of each node, comma-separated");
            }
        }
        io.dmarclens.app.config.StoreSettings settings = new io.dmarclens.app.config.ConfigLoader(System.getenv())
                .load(null, io.dmarclens.app.config.ConfigOverrides.store(null, opensearch)).store();
        try (io.dmarclens.store.Store store = StoreOption.open(settings, null, StoreOption.clock())) {
            ClusterSmtpBenchmark.Result r = new ClusterSmtpBenchmark(targets, clients, messages, records, warmup,
                    () -> store.reports().countByVerdict().values().stream().mapToLong(Long::longValue).sum()).run();
            out.printf("bench smtp --smtp %s: %d messages (%d records each, %d-byte zip mail), %d clients, after %d"
                    + " warm-up messages, into %s%n", targets.stream().map(String::valueOf)
                    .collect(java.util.stream.Collectors.joining(",")), messages, records, r.messageBytes(),
                    Math.max(clients, targets.size()), warmup, settings.describe());
            out.printf("  accepted (250 received):      %6.1f reports/s  (%d in %.2f s; per node %s)%n",
                    r.acceptedPerSecond(), r.accepted(), r.acceptSeconds(), r.perTarget());
            out.printf("  fully processed (stored):     %6.1f reports/s  (%d in %.2f s)%n", r.processedPerSecond(),
                    r.stored(), r.processSeconds());
            out.printf("  refused or failed sends:      %d%n", r.failed());
            out.printf("  machine: %d cores, Java %s, %s; load average %.1f at the end (other work running)%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                    System.getProperty("os.name"), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            return r.stored() == messages ? 0 : 1;
        }
    }
}
