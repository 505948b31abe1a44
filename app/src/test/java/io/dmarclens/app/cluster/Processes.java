package io.dmarclens.app.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** What the cluster tests do with processes: free ports, java commands, waiting for conditions, killing. */
final class Processes {
    /** Set for a benchmark ({@code dmarclens.cluster.bench}): the JVMs' default JIT and garbage collector. */
    static final boolean THROUGHPUT = Boolean.getBoolean("dmarclens.cluster.bench");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Processes() {
    }


    /**
     * What {@code ./dmarc-lens} adds to the java command line of {@code serve} and {@code bench smtp}: on a machine
     * of 2 cores or fewer, C1-only JIT (docs/performance.md, "Runs of messages, reused inbox files and the JIT on two
     * cores"; operations.md's systemd unit says the same). A benchmark of DMARC Lens runs it as an operator does:
     * with the tiered JIT the C2 compiler took about as much CPU per report as the node's own work.
     */
    static List<String> launcherOptions() {
        List<String> options = new java.util.ArrayList<>(List.of("-Djava.awt.headless=true"));
        if (Runtime.getRuntime().availableProcessors() <= 2) {
            options.add("-XX:TieredStopAtLevel=1");
        }
        return options;
    }

    /** {@code java} of this JVM with a heap of {@code heap} and the test class path. */
    static List<String> java(String heap, String mainClass) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // -da:org.opensearch... as in the pom's argLine: the class path holds our Lucene beside the node's.
        // The child runs on the same (possibly shifted) clock as the test.
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "-Xms" + heap, "-Xmx" + heap));
        if (!THROUGHPUT) {
            // The fault tests want processes that start fast on a loaded machine, not their best speed.
            cmd.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        }
        cmd.addAll(List.of("-da:org.opensearch...", "-D" + io.dmarclens.store.Clocks.SHIFT_PROPERTY + "="
                        + System.getProperty(io.dmarclens.store.Clocks.SHIFT_PROPERTY, ""),
                "-cp", System.getProperty("java.class.path"), mainClass));
        return cmd;
    }

    /** Waits until {@code condition} holds, checking every 100 ms; false when {@code max} passed first. */
    static boolean await(Duration max, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    /** The status of a GET, or -1 when nothing answers. */
    static int status(URI url) {
        return get(url).statusCode();
    }

    /** A GET's answer; status -1 and an empty body when nothing answers. */
    static Answer get(URI url) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        } catch (IOException e) {
            return new Answer(-1, "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, "");
        }
    }

    record Answer(int statusCode, String body) {
    }

    /** {@code kill -9}: the process gets no chance to close anything. */
    static void kill(Process p) {
        if (p == null) {
            return;
        }
        p.destroyForcibly();
        try {
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last lines of a log file, for a failure's message. */
    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
