package io.dmarclens.app.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The figures of docs/performance.md for a cluster: {@code bench smtp --smtp} (the built jar, a process of its
 * own) against one node, then two nodes, of a three-node OpenSearch cluster with one replica, in the same run. Not
 * part of the build (it takes minutes and its figures depend on the machine): run it with
 * {@code mvn -pl app -am verify -Dtest=ClusterBenchRun -Ddmarclens.cluster.bench=true} after {@code package}.
 */
class ClusterBenchRun {
    @Test
    void benchSmtpAgainstOneNodeThenTwo() throws Exception {
        assumeTrue(Boolean.getBoolean("dmarclens.cluster.bench"), "set -Ddmarclens.cluster.bench=true to run it");
        Path jar = Path.of("target", "dmarc-lens.jar").toAbsolutePath();
        assumeTrue(Files.exists(jar), "build the jar first (mvn package)");
        Path dir = Path.of("target", "cluster-bench-" + ProcessHandle.current().pid()).toAbsolutePath();
        Files.createDirectories(dir);
        try (OpenSearchProcesses cluster = OpenSearchProcesses.start(dir, 3)) {
            cluster.awaitHealth("green", 3, Duration.ofSeconds(180));
            Map<String, String> env = new HashMap<>();
            env.put("DMARC_LENS_STORE_BACKEND", "opensearch");
            env.put("DMARC_LENS_STORE_OPENSEARCH_URLS", String.join(",", cluster.urls().stream().map(String::valueOf).toList()));
            env.put("DMARC_LENS_STORE_OPENSEARCH_INDEX_PREFIX", "bench");
            env.put("DMARC_LENS_STORE_OPENSEARCH_REPLICAS", "1");
            env.put("DMARC_LENS_INBOX_JUNK_PER_SENDER", "0");
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
                bench(jar, dir, env, cluster, a, "one");
                bench(jar, dir, env, cluster, a + "," + b, "two");
            } finally {
                nodes.forEach(LensProcess::close);
            }
        }
    }

    private static void bench(Path jar, Path dir, Map<String, String> env, OpenSearchProcesses cluster, String targets,
                              String label) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path out = dir.resolve("bench-" + label + ".txt");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "-jar", jar.toString(), "bench", "smtp", "--smtp",
                targets, "--opensearch", cluster.urls().get(0).toString(), "--messages", "1500", "--warmup", "300",
                "--clients", "8").redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        p.waitFor(15, TimeUnit.MINUTES);
        String text = Files.readString(out);
        System.out.println("=== bench smtp against " + label + " node(s)\n" + text.lines()
                .filter(l -> !l.matches("^\\d\\d:\\d\\d:\\d\\d.*(INFO|DEBUG).*")).reduce("", (x, y) -> x + y + "\n"));
        assertEquals(0, p.exitValue(), text);
    }
}
