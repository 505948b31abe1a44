package io.dmarclens.app.cli;

import io.dmarclens.bench.CpuByThread;
import io.dmarclens.demo.AggregateCorpusGenerator;
import io.dmarclens.ingest.enrich.EnrichmentSettings;
import io.dmarclens.ingest.importer.FileImporter;
import io.dmarclens.ingest.importer.ImportSummary;
import io.dmarclens.ingest.pipeline.PipelineSetup;
import io.dmarclens.parser.ReportParser;
import io.dmarclens.store.Clocks;
import io.dmarclens.store.CommitMode;
import io.dmarclens.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import java.time.Clock;

/**
 * {@code dmarc-lens bench import}: generates a corpus of gzip-compressed aggregate reports (or reuses
 * one generated with the same figures) and imports it with {@code --offline} into a fresh data
 * directory, timing the whole of it: parse, enrich, store, index.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Generates a corpus of aggregate reports and times importing it offline into a fresh data directory.",
                "Run with -Xmx512m (DMARC_LENS_JAVA_OPTS=-Xmx512m) to check the memory target."})
public final class BenchImportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--reports", defaultValue = "10000", description = "reports in the corpus (default: ${DEFAULT-VALUE})")
    int reports;

    @Option(names = "--records", defaultValue = "5000000", description = "records in all reports together (default: ${DEFAULT-VALUE})")
    long records;

    @Option(names = "--ips", defaultValue = "3000", description = "distinct source addresses (default: ${DEFAULT-VALUE})")
    int ips;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "bench-import",
            description = "where the corpus (DIR/corpus) and the data directory (DIR/data) go (default: ${DEFAULT-VALUE})")
    Path dir;

    @Option(names = "--data", paramLabel = "DIR", description = "data directory to import into (default: DIR/data); emptied first")
    Path data;

    /** {@code --opensearch URL}: import into a fresh index prefix on that cluster instead of a data directory. */
    @picocli.CommandLine.Mixin
    StoreOption storeOption = new StoreOption();

    @Option(names = "--threads", defaultValue = "1",
            description = "files imported at the same time (default: ${DEFAULT-VALUE}); on OpenSearch a few overlap"
                    + " the round trips of one report with the work of another")
    int threads;

    @Option(names = "--keep", description = "keep the data directory afterwards (for bench queries)")
    boolean keep;

    @Override
    public Integer call() throws InterruptedException, IOException {
        PrintWriter out = spec.commandLine().getOut();
        Path corpus = dir.resolve("corpus");
        Path dataDir = data != null ? data : dir.resolve("data");
        String figures = reports + " reports, " + records + " records, " + ips + " addresses, seed 42";
        Path marker = corpus.resolve(".generated");
        if (!Files.isRegularFile(marker) || !Files.readString(marker).equals(figures)) {
            deleteTree(corpus);
            out.println("generating " + figures + " into " + corpus + " ...");
            out.flush();
            long t = System.nanoTime();
            new AggregateCorpusGenerator(reports, records, ips, 40, 42, Clocks.system()).write(corpus);
            Files.writeString(marker, figures);
            out.printf("generated in %.1f s%n", (System.nanoTime() - t) / 1e9);
        } else {
            out.println("reusing the corpus in " + corpus + " (" + figures + ")");
        }
        deleteTree(dataDir);
        io.dmarclens.app.config.StoreSettings target = storeOption.settings();
        if (target.onOpenSearch()) {
            // A fresh store each run: its own index prefix (left on the cluster for bench queries).
            io.dmarclens.opensearch.OpenSearchSettings o = target.opensearch();
            target = new io.dmarclens.app.config.StoreSettings(target.backend(), new io.dmarclens.opensearch.OpenSearchSettings(
                    o.urls(), o.user(), o.password(), o.apiKey(), o.caCertificate(),
                    o.indexPrefix() + "-bench-" + Long.toString(clockNow(), 36), o.shards(), o.replicas(),
                    o.commitGroupWindow()));
        }

        out.println("importing offline into " + (target.onOpenSearch() ? target.describe() : dataDir) + " ...");
        out.flush();
        HeapSampler heap = new HeapSampler();
        long start = System.nanoTime();
        long cpuStart = processCpuNanos();
        Map<String, Long> cpuBefore = CpuByThread.snapshot();
        ImportSummary summary;
        String threadCpu;
        Clock clock = Clocks.system(); // the store's and the reverse DNS cache's
        try (Store store = StoreOption.open(target, dataDir, clock);
             PipelineSetup setup = PipelineSetup.open(store, new ReportParser()::parse,
                     new EnrichmentSettings(true, null, List.of(), null, List.of()), CommitMode.GROUPED,
                     clock)) {
            summary = new FileImporter(setup.pipeline(), ImportCommand.MAX_MESSAGE_BYTES, threads).run(List.of(corpus),
                    (done, total, soFar) -> { });
            store.flush();
            store.awaitIndexed();
            threadCpu = CpuByThread.since(cpuBefore, CpuByThread.snapshot()).entrySet().stream()
                    .map(e -> String.format("%s %.1f s", e.getKey(), e.getValue() / 1e9))
                    .collect(Collectors.joining(", "));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
        ImportCommand.print(summary, out);
        // Wall-clock rates mean little on a shared machine; CPU time of the whole process (all threads:
        // parsing, SQLite, Lucene, GC) is the steadier measure.
        out.printf("process CPU time %.1f s: %,.0f records per CPU-second%n", cpuSeconds, summary.records() / cpuSeconds);
        out.println("CPU by thread: " + threadCpu);
        heap.stop();
        out.printf("%d records in %.1f s: %,.0f records/s, %,.1f reports/s (%d cores)%n",
                summary.records(), seconds, summary.records() / seconds, summary.reports() / seconds,
                Runtime.getRuntime().availableProcessors());
        out.printf("heap: max %d MiB; peak in use %d MiB (sampled every 20 ms); peak left after a collection %d MiB%n",
                Runtime.getRuntime().maxMemory() >> 20, heap.peakUsed >> 20, heap.peakAfterGc >> 20);
        if (!keep) {
            deleteTree(dataDir);
        } else {
            out.println("data directory kept: " + dataDir);
        }
        out.flush();
        return summary.failures().isEmpty() && summary.invalid().isEmpty() ? 0 : 1;
    }

    private static long clockNow() {
        return Clocks.system().millis();
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    /**
     * Samples the heap while the import runs. (Summing each pool's own peak, as before, overstated the
     * peak: the pools peak at different moments.) What is left after a collection is what the import
     * really holds; the rest is garbage not yet collected.
     */
    private static final class HeapSampler {
        private final Thread thread;
        private volatile boolean running = true;
        volatile long peakUsed;
        volatile long peakAfterGc;

        HeapSampler() {
            java.lang.management.MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == MemoryType.HEAP).toList();
            thread = new Thread(() -> {
                while (running) {
                    peakUsed = Math.max(peakUsed, memory.getHeapMemoryUsage().getUsed());
                    long afterGc = 0;
                    for (MemoryPoolMXBean pool : heapPools) {
                        java.lang.management.MemoryUsage usage = pool.getCollectionUsage();
                        if (usage != null) {
                            afterGc += usage.getUsed();
                        }
                    }
                    peakAfterGc = Math.max(peakAfterGc, afterGc);
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
