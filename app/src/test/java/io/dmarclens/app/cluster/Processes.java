package io.dmarclens.app.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Processes() {
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code java} of this JVM with a heap of {@code heap} and the test class path. */
    static List<String> java(String heap, String mainClass) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // -da:org.opensearch... as in the pom's argLine: the class path holds our Lucene beside the node's.
        // The child runs on the same (possibly shifted) clock as the test.
        return List.of(java, "-Xms" + heap, "-Xmx" + heap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-da:org.opensearch...", "-D" + io.dmarclens.store.Clocks.SHIFT_PROPERTY + "="
                        + System.getProperty(io.dmarclens.store.Clocks.SHIFT_PROPERTY, ""),
                "-cp", System.getProperty("java.class.path"), mainClass);
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
