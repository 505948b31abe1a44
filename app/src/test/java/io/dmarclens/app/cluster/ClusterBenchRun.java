package io.dmarclens.app.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The figures of docs/performance.md for a cluster: {@code bench smtp --smtp} (the built jar, a process of its
 * own) against one node, then two nodes, of DMARC Lens on one OpenSearch store, in the same run, with the CPU time
 * each process used per report. Not part of the build (it takes minutes and its figures depend on the machine): run
 * it with {@code mvn -pl app -am verify -Dtest=ClusterBenchRun -Ddmarclens.cluster.bench=true} after
 * {@code package}. Settings (system properties):
 * <ul>
 *   <li>{@code dmarclens.cluster.bench.opensearch}: OpenSearch nodes, 3 (one replica per index, every write twice)
 *       or 1 (no replica), default 3;</li>
 *   <li>{@code dmarclens.cluster.bench.records}: records per report, default 50;</li>
 *   <li>{@code dmarclens.cluster.bench.messages} and {@code .warmup}: reports measured and sent before, default
 *       3000 and 1000: the steady state a server running for days sees (the JITs done, the store's segments
 *       merged as they come; a short run of 600 after 100 counts JIT compiling and the first merges in);</li>
 *   <li>{@code dmarclens.cluster.bench.clients}: SMTP clients, default 8;</li>
 *   <li>{@code dmarclens.cluster.bench.workers}: inbox workers of each DMARC Lens node, default 2 (as serve).</li>
 * </ul>
 */
class ClusterBenchRun {
    private static final String P = "dmarclens.cluster.bench.";

    @Test
    void benchSmtpAgainstOneNodeThenTwo() throws Exception {
        assumeTrue(Boolean.getBoolean("dmarclens.cluster.bench"), "set -Ddmarclens.cluster.bench=true to run it");
        Path jar = Path.of("target", "dmarc-lens.jar").toAbsolutePath();
        assumeTrue(Files.exists(jar), "build the jar first (mvn package)");
        int openSearchNodes = Integer.getInteger(P + "opensearch", 3);
        int replicas = openSearchNodes > 1 ? 1 : 0;
        Settings settings = new Settings(openSearchNodes, replicas, Integer.getInteger(P + "records", 50),
                Integer.getInteger(P + "messages", 3000), Integer.getInteger(P + "warmup", 1000),
                Integer.getInteger(P + "clients", 8), Integer.getInteger(P + "workers", 2));
        System.out.println("=== cluster bench: " + settings + "; serve and bench smtp JVMs as ./dmarc-lens runs them: "
                + Processes.launcherOptions());
        Path dir = Path.of("target", "cluster-bench-" + ProcessHandle.current().pid()).toAbsolutePath();
        Files.createDirectories(dir);
        try (OpenSearchProcesses cluster = OpenSearchProcesses.start(dir, openSearchNodes)) {
            cluster.awaitHealth("green", openSearchNodes, Duration.ofSeconds(180));
            Map<String, String> env = new HashMap<>();
            env.put("DMARC_LENS_STORE_BACKEND", "opensearch");
            env.put("DMARC_LENS_STORE_OPENSEARCH_URLS", String.join(",", cluster.urls().stream().map(String::valueOf).toList()));
            env.put("DMARC_LENS_STORE_OPENSEARCH_INDEX_PREFIX", "bench");
            env.put("DMARC_LENS_STORE_OPENSEARCH_REPLICAS", String.valueOf(replicas));
            env.put("DMARC_LENS_INBOX_JUNK_PER_SENDER", "0");
            env.put("DMARC_LENS_INBOX_WORKERS", String.valueOf(settings.workers()));
            env.put("DMARC_LENS_ALERTS_ENABLED", "false");
            // Every client stands for another MTA, but on loopback they share one address (as bench smtp sets it).
            env.put("DMARC_LENS_SMTP_MAX_CONNECTIONS_PER_ADDRESS", "32");
            List<LensProcess> nodes = new ArrayList<>();
            try {
                for (String name : List.of("bench-a", "bench-b")) {
                    nodes.add(LensProcess.start(dir, name, env));
                }
                for (LensProcess n : nodes) {
                    n.awaitReady(Duration.ofSeconds(180));
                }
                String a = "127.0.0.1:" + nodes.get(0).smtpPort;
                String b = "127.0.0.1:" + nodes.get(1).smtpPort;
                bench(jar, dir, env, cluster, nodes, settings, a, "one");
                bench(jar, dir, env, cluster, nodes, settings, a + "," + b, "two");
            } finally {
                nodes.forEach(LensProcess::close);
            }
        }
    }

    /** What a run is set to. */
    private record Settings(int openSearchNodes, int replicas, int records, int messages, int warmup, int clients,
                            int workers) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d OpenSearch node(s), %d replica(s), %d records per report, %d reports"
                    + " after %d warm-up, %d SMTP clients, %d inbox workers per DMARC Lens node (-D%sopensearch=%d"
                    + " -D%srecords=%d -D%smessages=%d -D%swarmup=%d -D%sclients=%d -D%sworkers=%d)", openSearchNodes,
                    replicas, records, messages, warmup, clients, workers, P, openSearchNodes, P, records, P, messages, P,
                    warmup, P, clients, P, workers);
        }
    }

    private static void bench(Path jar, Path dir, Map<String, String> env, OpenSearchProcesses cluster,
                              List<LensProcess> nodes, Settings settings, String targets, String label) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path out = dir.resolve("bench-" + label + ".txt");
        // As ./dmarc-lens bench smtp runs it (its JIT options on a small machine).
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m"));
        cmd.addAll(Processes.launcherOptions());
        cmd.addAll(List.of("-jar", jar.toString(), "bench", "smtp", "--smtp",
                targets, "--opensearch", cluster.urls().get(0).toString(), "--messages",
                String.valueOf(settings.messages()), "--warmup", String.valueOf(settings.warmup()), "--records",
                String.valueOf(settings.records()), "--clients", String.valueOf(settings.clients())));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().putAll(env);
        List<Duration> clusterBefore = cluster.cpu();
        List<Duration> nodesBefore = nodes.stream().map(LensProcess::cpu).toList();
        Process p = pb.start();
        Duration benchCpu = Duration.ZERO;
        // The bench's own CPU, read while it runs (an ended process has no figures left to read).
        while (!p.waitFor(200, TimeUnit.MILLISECONDS)) {
            benchCpu = p.info().totalCpuDuration().orElse(benchCpu);
        }
        String text = Files.readString(out);
        int reports = settings.messages() + settings.warmup();
        StringBuilder cpu = new StringBuilder(String.format(Locale.ROOT,
                "  CPU per report (the %d warm-up and measured reports, each process):%n", reports));
        List<Duration> clusterAfter = cluster.cpu();
        for (int i = 0; i < clusterAfter.size(); i++) {
            cpu.append(line("OpenSearch node " + (i + 1), clusterAfter.get(i).minus(clusterBefore.get(i)), reports));
        }
        for (int i = 0; i < nodes.size(); i++) {
            cpu.append(line("DMARC Lens node " + (char) ('a' + i), nodes.get(i).cpu().minus(nodesBefore.get(i)), reports));
        }
        cpu.append(line("bench smtp (sending, counting)", benchCpu, reports));
        System.out.println("=== bench smtp against " + label + " node(s); " + settings + "\n" + text.lines()
                .filter(l -> !l.matches("^\\d\\d:\\d\\d:\\d\\d.*(INFO|DEBUG).*")).reduce("", (x, y) -> x + y + "\n")
                + cpu);
        assertEquals(0, p.exitValue(), text);
    }

    private static String line(String what, Duration cpu, int reports) {
        return String.format(Locale.ROOT, "    %7.2f ms  %s (%.1f s)%n", cpu.toNanos() / 1e6 / reports, what,
                cpu.toNanos() / 1e9);
    }
}
