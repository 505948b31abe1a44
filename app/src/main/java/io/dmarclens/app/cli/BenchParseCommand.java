package io.dmarclens.app.cli;

import io.dmarclens.bench.ParseBenchmark;
import io.dmarclens.demo.AggregateReportGenerator;
import io.dmarclens.parser.ReportParseException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code dmarc-lens bench parse}: generates one large aggregate report as .xml and .xml.gz and times the
 * aggregate XML parser on each, single-threaded, with a handler that keeps nothing.
 */
@Command(name = "parse", mixinStandardHelpOptions = true,
        description = {"Generates a realistic aggregate report of --records records as .xml and .xml.gz, parses each",
                "--warmup times, then --iterations measured times, and prints records/s (median and range).",
                "Run with DMARC_LENS_JAVA_OPTS=-Xmx256m to show that parsing streams in bounded memory."})
public final class BenchParseCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--records", defaultValue = "1000000", description = "records in the generated report (default: ${DEFAULT-VALUE})")
    int records;

    @Option(names = "--dir", paramLabel = "DIR", description = "where to write the report files, kept afterwards (default: a temporary directory, deleted afterwards)")
    Path dir;

    @Option(names = "--warmup", defaultValue = "2", description = "unmeasured runs per file (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--iterations", defaultValue = "5", description = "measured runs per file (default: ${DEFAULT-VALUE})")
    int iterations;

    @Option(names = "--seed", defaultValue = "20260101", description = "seed of the generated report (default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() throws ReportParseException, IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (records < 1 || iterations < 1 || warmup < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--records and --iterations must be at least 1, --warmup at least 0");
        }
        boolean temporary = dir == null;
        Path where = temporary ? Files.createTempDirectory("dmarc-lens-bench") : Files.createDirectories(dir);
        Path xml = where.resolve("bench-aggregate-" + records + ".xml");
        Path gz = where.resolve("bench-aggregate-" + records + ".xml.gz");
        try {
            AggregateReportGenerator generator = new AggregateReportGenerator(seed);
            AggregateReportGenerator.Totals totals;
            long t0 = System.nanoTime();
            totals = generator.write(xml, records);
            generator.write(gz, records);
            out.printf("generated %,d records (%,d messages) in %.1f s: %s (%,d bytes), %s (%,d bytes)%n",
                    totals.records(), totals.messages(), (System.nanoTime() - t0) / 1e9,
                    xml.getFileName(), Files.size(xml), gz.getFileName(), Files.size(gz));
            out.printf("java %s, %d processors available, max heap %,d MiB%n", System.getProperty("java.version"),
                    Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
            out.flush();
            ParseBenchmark bench = new ParseBenchmark(totals);
            for (Path file : List.of(xml, gz)) {
                for (int i = 0; i < warmup; i++) {
                    bench.runOnce(file);
                }
                double[] wall = new double[iterations];
                double[] cpu = new double[iterations];
                for (int i = 0; i < iterations; i++) {
                    ParseBenchmark.Timing t = bench.runOnce(file);
                    wall[i] = totals.records() / (t.wallNanos() / 1e9);
                    cpu[i] = totals.records() / (t.cpuNanos() / 1e9);
                }
                ParseBenchmark.Rates w = ParseBenchmark.Rates.of(wall);
                ParseBenchmark.Rates c = ParseBenchmark.Rates.of(cpu);
                String name = file.getFileName().toString().endsWith(".gz") ? ".xml.gz" : ".xml";
                out.printf("%-8s wall: %,10.0f records/s median (range %,.0f .. %,.0f), %.0f MB/s of XML%n",
                        name, w.median(), w.min(), w.max(), Files.size(xml) / (totals.records() / w.median()) / 1e6);
                out.printf("%-8s CPU:  %,10.0f records per CPU-second median (range %,.0f .. %,.0f); %d runs after %d warm-up%n",
                        name, c.median(), c.min(), c.max(), iterations, warmup);
                out.flush();
            }
            return 0;
        } finally {
            if (temporary) {
                Files.deleteIfExists(xml);
                Files.deleteIfExists(gz);
                Files.deleteIfExists(where);
            }
        }
    }
}
