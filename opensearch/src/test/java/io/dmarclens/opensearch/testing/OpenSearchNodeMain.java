package io.dmarclens.opensearch.testing;

import java.nio.file.Path;
import org.codelibs.opensearch.runner.OpenSearchRunner;

/**
 * A single local OpenSearch 2.19 node in its own process, for benchmarks and fault tests that stop and start
 * the cluster: {@code java -cp <opensearch test class path> io.dmarclens.opensearch.testing.OpenSearchNodeMain
 * HTTP_PORT TRANSPORT_PORT DIR}. The same ports and directory give the same node (and its data) again. Runs until
 * killed.
 */
public final class OpenSearchNodeMain {
    private OpenSearchNodeMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        ParentWatch.fromSystemProperty();
        int http = Integer.parseInt(args[0]);
        int transport = Integer.parseInt(args[1]);
        Path base = Path.of(args[2]).toAbsolutePath();
        OpenSearchRunner runner = new OpenSearchRunner();
        runner.setMaxHttpPort(http);
        runner.onBuild((number, settings) -> {
            settings.put("http.port", String.valueOf(http));
            settings.put("transport.port", String.valueOf(transport));
            settings.put("network.host", "127.0.0.1");
            settings.put("discovery.type", "single-node");
            settings.put("cluster.routing.allocation.disk.threshold_enabled", "false");
            settings.put("action.auto_create_index", "false");
            settings.put("indices.breaker.total.use_real_memory", "false");
        }).build(OpenSearchRunner.newConfigs()
                .basePath(base.toString())
                .numOfNode(1)
                .baseHttpPort(http - 1)
                .clusterName("dmarc-lens-local-" + http)
                .disableESLogger());
        runner.ensureYellow();
        System.out.println("OpenSearch node on http://127.0.0.1:" + http + " (data in " + base + ")");
        System.out.flush();
        Thread.currentThread().join();
    }
}
