package io.dmarclens.app.security;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.app.cli.Main;
import io.dmarclens.store.Clocks;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code dmarc-lens} commands as their own processes, as an operator runs them: {@code serve} and {@code users}. */
final class ServeProcess implements AutoCloseable {
    private final Process process;
    final int webPort;

    private ServeProcess(Process process, int webPort) {
        this.process = process;
        this.webPort = webPort;
    }

    /** Starts {@code serve} on a free dashboard port with the given environment, and waits until it listens. */
    static ServeProcess start(Path dir, Path data, Map<String, String> environment) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> cmd = new ArrayList<>(javaCommand());
        cmd.addAll(List.of("serve", "--data", data.toString(), "--smtp-listen", "127.0.0.1:0",
                "--web-listen", "127.0.0.1:" + port, "--offline"));
        Path log = dir.resolve("serve.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(environment);
        ServeProcess serve = new ServeProcess(pb.start(), port);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return serve;
            } catch (IOException notYet) {
                if (!serve.process.isAlive() || System.nanoTime() > deadline) {
                    serve.close();
                    throw new AssertionError("serve did not start listening: " + Files.readString(log));
                }
                Thread.sleep(100);
            }
        }
    }

    /** Runs {@code users ...} as its own process, the password (if any) on its standard input; its exit status. */
    static int users(Path dir, Path data, String password, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(javaCommand());
        cmd.add("users");
        cmd.add(args[0]);
        cmd.add("--data");
        cmd.add(data.toString());
        cmd.addAll(List.of(args).subList(1, args.length));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("users-" + args[0] + ".log").toFile()).start();
        try (OutputStream in = p.getOutputStream()) {
            if (password != null) {
                in.write((password + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "users " + args[0] + " finishes");
        return p.exitValue();
    }

    private static List<String> javaCommand() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // The child runs on the same (possibly shifted) clock as the test.
        return List.of(java, "-Xmx256m", "-D" + Clocks.SHIFT_PROPERTY + "=" + System.getProperty(Clocks.SHIFT_PROPERTY, ""),
                "-cp", System.getProperty("java.class.path"), Main.class.getName());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
