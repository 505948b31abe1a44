package io.dmarclens.app.cluster;

import io.dmarclens.testing.LoopbackPorts;

import io.dmarclens.app.cli.Main;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A DMARC Lens node as an operator runs it: {@code serve} in a process of its own, with its own data directory
 * (its durable inbox) and ports, configured through the environment. Restarting keeps all three.
 */
final class LensProcess implements AutoCloseable {
    final String name;
    final Path data;
    final int smtpPort;
    final int webPort;
    private final Path log;
    private final Map<String, String> environment;
    private Process process;
    /** Set before the kill signal: a sender that sees its connection reset knows why even before the exit is reaped. */
    private volatile boolean killed;

    private LensProcess(String name, Path dir, Map<String, String> environment) {
        this.name = name;
        this.data = dir.resolve(name);
        this.log = dir.resolve(name + ".log");
        int[] ports = LoopbackPorts.free(2);
        this.smtpPort = ports[0];
        this.webPort = ports[1];
        this.environment = environment;
    }

    /** Starts the node (without waiting: see {@link #awaitReady}). */
    static LensProcess start(Path dir, String name, Map<String, String> environment) throws IOException {
        LensProcess node = new LensProcess(name, dir, environment);
        node.launch();
        return node;
    }

    private void launch() throws IOException {
        List<String> cmd = new ArrayList<>(Processes.java(Processes.THROUGHPUT ? "512m" : "200m", Main.class.getName()));
        if (Processes.THROUGHPUT) {
            // Measured as ./dmarc-lens serve runs (the fault tests' own options stand otherwise).
            cmd.addAll(1, Processes.launcherOptions());
        }
        // The log an operator reads (INFO: leases taken and lost, IMAP rounds), not the tests' quiet one.
        java.net.URL config = Main.class.getResource("/logback.xml");
        if (config != null) {
            cmd.add(cmd.size() - 1, "-Dlogback.configurationFile=" + config);
        }
        cmd.addAll(List.of("serve", "--data", data.toString(), "--smtp-listen", "127.0.0.1:" + smtpPort,
                "--web-listen", "127.0.0.1:" + webPort, "--offline"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("DMARC_LENS_"));
        pb.environment().putAll(environment);
        pb.environment().put("DMARC_LENS_NODE_NAME", name);
        process = pb.start();
    }

    /** Starts the node again on the same data directory and ports. */
    void restart() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " still runs");
        }
        killed = false;
        launch();
    }

    /** Waits until {@code /ready} answers 200 (the store answers and the inbox works). */
    void awaitReady(Duration max) throws InterruptedException {
        URI ready = URI.create("http://127.0.0.1:" + webPort + "/ready");
        if (!Processes.await(max, () -> !process.isAlive() || Processes.status(ready) == 200) || !process.isAlive()) {
            throw new AssertionError(name + " did not become ready (alive=" + process.isAlive() + "):\n"
                    + Processes.tail(log));
        }
    }

    /** CPU time the process has used so far (zero when it does not run). */
    Duration cpu() {
        return process == null ? Duration.ZERO : process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** {@code kill -9}. */
    void kill() {
        killed = true;
        Processes.kill(process);
    }

    /** Whether it was killed (or died) since it was last started. */
    boolean killed() {
        return killed || !alive();
    }

    /** Messages accepted and not processed yet: the files waiting in its durable inbox. */
    long waiting() {
        Path pending = data.resolve("inbox/new");
        if (!Files.isDirectory(pending)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(pending)) {
            return files.filter(p -> p.toString().endsWith(".msg")).count();
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }

    String logTail() {
        return Processes.tail(log);
    }

    URI web(String path) {
        return URI.create("http://127.0.0.1:" + webPort + path);
    }

    @Override
    public void close() {
        kill();
    }
}
