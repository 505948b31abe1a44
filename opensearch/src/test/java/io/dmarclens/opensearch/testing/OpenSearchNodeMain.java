package io.dmarclens.opensearch.testing;

import java.nio.file.Path;
import org.codelibs.opensearch.runner.OpenSearchRunner;

/**
 * A local OpenSearch 2.19 node in its own process, for benchmarks and fault tests that stop, kill and start
 * nodes: {@code java -cp <opensearch test class path> io.dmarclens.opensearch.testing.OpenSearchNodeMain
 * HTTP_PORT TRANSPORT_PORT DIR} for a node alone, or with {@code NODE_NAME CLUSTER_NAME SEED_TRANSPORT_PORTS
 * CLUSTER_MANAGER_NAMES} (comma-separated) for one node of a cluster on loopback (every node cluster-manager
 * eligible and holding data, unless a last argument NODE_ROLES names its roles, comma-separated). The same ports
 * and directory give the same node (and its data) again. Prints a
 * line once the node answers, and runs until killed.
 */
public final class OpenSearchNodeMain {
    private OpenSearchNodeMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        ParentWatch.fromSystemProperty();
        int http = Integer.parseInt(args[0]);
        int transport = Integer.parseInt(args[1]);
        Path base = Path.of(args[2]).toAbsolutePath();
        boolean clustered = args.length >= 7;
        String name = clustered ? args[3] : null;
        String clusterName = clustered ? args[4] : "dmarc-lens-local-" + http;
        OpenSearchRunner runner = new OpenSearchRunner();
        try {
            start(runner, args, http, transport, base, clustered, name, clusterName);
        } catch (RuntimeException failed) {
            // A node that joined the cluster by its transport port but could not bind HTTP would stay in the cluster
            // half started, its threads keeping the JVM alive: the process ends instead, so that its starter sees it.
            failed.printStackTrace();
            System.out.flush();
            Runtime.getRuntime().halt(3);
        }
        if (!clustered) {
            try {
                runner.ensureYellow();
            } catch (RuntimeException notYet) {
                // A node restarted on a large store replays its translog first; it answers once done.
                System.out.println("OpenSearch node on port " + http + " not yet yellow (" + notYet.getMessage()
                        + "); still starting");
            }
        }
        System.out.println("OpenSearch node on http://127.0.0.1:" + http + " (data in " + base + ")");
        System.out.flush();
        Thread.currentThread().join();
    }

    private static void start(OpenSearchRunner runner, String[] args, int http, int transport, Path base,
            boolean clustered, String name, String clusterName) {
        runner.setMaxHttpPort(http);
        runner.onBuild((number, settings) -> {
            settings.put("http.port", String.valueOf(http));
            settings.put("transport.port", String.valueOf(transport));
            settings.put("network.host", "127.0.0.1");
            if (clustered) {
                settings.put("node.name", name);
                settings.put("cluster.name", clusterName);
                settings.putList("discovery.seed_hosts", java.util.Arrays.stream(args[5].split(","))
                        .map(p -> "127.0.0.1:" + p.strip()).toList());
                settings.putList("cluster.initial_cluster_manager_nodes", java.util.Arrays.asList(args[6].split(",")));
                if (args.length >= 8) {
                    settings.putList("node.roles", java.util.Arrays.asList(args[7].split(",")));
                }
                // A node that died is noticed within seconds, not the default half minute of retries.
                settings.put("cluster.fault_detection.follower_check.interval", "1s");
                settings.put("cluster.fault_detection.follower_check.retry_count", "2");
                settings.put("cluster.fault_detection.leader_check.interval", "1s");
                settings.put("cluster.fault_detection.leader_check.retry_count", "2");
            } else {
                settings.put("discovery.type", "single-node");
            }
            settings.put("cluster.routing.allocation.disk.threshold_enabled", "false");
            settings.put("action.auto_create_index", "false");
            settings.put("indices.breaker.total.use_real_memory", "false");
        }).build(OpenSearchRunner.newConfigs()
                .basePath(base.toString())
                .numOfNode(1)
                .baseHttpPort(http - 1)
                .clusterName(clusterName)
                .disableESLogger());
    }
}
