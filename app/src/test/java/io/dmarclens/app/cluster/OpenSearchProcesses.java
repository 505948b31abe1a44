package io.dmarclens.app.cluster;

import io.dmarclens.testing.LoopbackPorts;

import io.dmarclens.opensearch.OpenSearchSettings;
import io.dmarclens.opensearch.testing.OpenSearchNodeMain;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An OpenSearch cluster of real processes on loopback ({@link OpenSearchNodeMain}, each node its own HTTP and
 * transport port and directory, every node cluster-manager eligible), started in parallel.
 */
final class OpenSearchProcesses implements AutoCloseable {
    private final Path dir;
    private final List<String> names = new ArrayList<>();
    private final List<Integer> http = new ArrayList<>();
    private final List<Integer> transport = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    private OpenSearchProcesses(Path dir) {
        this.dir = dir;
    }

    /** Starts {@code size} nodes at once and returns (use {@link #awaitHealth} before using them). */
    static OpenSearchProcesses start(Path dir, int size) throws IOException {
        OpenSearchProcesses c = new OpenSearchProcesses(dir);
        int[] ports = LoopbackPorts.free(2 * size);
        for (int i = 0; i < size; i++) {
            c.names.add("os-" + (i + 1));
            c.http.add(ports[2 * i]);
            c.transport.add(ports[2 * i + 1]);
        }
        for (int i = 0; i < size; i++) {
            c.processes.add(c.launch(i));
        }
        return c;
    }

    private Process launch(int i) throws IOException {
        List<String> cmd = new ArrayList<>(Processes.java(Processes.THROUGHPUT ? "768m" : "320m", OpenSearchNodeMain.class.getName()));
        cmd.addAll(List.of(String.valueOf(http.get(i)), String.valueOf(transport.get(i)),
                dir.resolve(names.get(i)).toString(), names.get(i), "dmarc-lens-cluster-test",
                transport.stream().map(String::valueOf).collect(Collectors.joining(",")), String.join(",", names)));
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log(i).toFile())).start();
    }

    Path log(int i) {
        return dir.resolve(names.get(i) + ".log");
    }

    /** CPU time each node's process has used so far. */
    List<Duration> cpu() {
        return processes.stream().map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO)).toList();
    }

    /** Every node's HTTP address. */
    List<URI> urls() {
        return http.stream().map(p -> URI.create("http://127.0.0.1:" + p)).toList();
    }

    /** Settings for a store on this cluster under {@code prefix}: one shard and one replica per index. */
    OpenSearchSettings settings(String prefix) {
        return new OpenSearchSettings(urls(), null, null, null, null, prefix, 1, 1);
    }

    /**
     * Waits until a live node reports the cluster {@code status} (or better) with {@code nodes} nodes.
     *
     * @throws AssertionError naming the nodes' logs when it does not come
     */
    void awaitHealth(String status, int nodes, Duration max) throws InterruptedException {
        boolean ok = Processes.await(max, () -> {
            if (processes.stream().filter(Process::isAlive).count() < nodes) {
                return true; // a node died while starting: no use waiting, the logs below say why
            }
            for (int i = 0; i < processes.size(); i++) {
                if (processes.get(i).isAlive() && Processes.status(urls().get(i).resolve("/_cluster/health?wait_for_status="
                        + status + "&wait_for_nodes=" + nodes + "&timeout=2s")) == 200) {
                    return true;
                }
            }
            return false;
        });
        if (!ok || processes.stream().filter(Process::isAlive).count() < nodes) {
            StringBuilder logs = new StringBuilder();
            for (int i = 0; i < processes.size(); i++) {
                logs.append("\n--- ").append(names.get(i)).append(" alive=").append(processes.get(i).isAlive())
                        .append('\n').append(Processes.tail(log(i)));
            }
            throw new AssertionError("the OpenSearch cluster did not become " + status + " with " + nodes + " nodes"
                    + logs);
        }
    }

    /**
     * What a live node says about the cluster, for a failure's message: its nodes, where each shard copy is,
     * and the tasks running on every node (a request that hangs shows there with how long it has run).
     */
    String diagnostics() {
        for (int i = 0; i < processes.size(); i++) {
            if (processes.get(i).isAlive()) {
                URI u = urls().get(i);
                StringBuilder d = new StringBuilder("\n--- cluster as " + names.get(i) + " sees it");
                for (String what : List.of("/_cat/nodes?v&h=name,master,ip,port", "/_cat/shards?v",
                        "/_cluster/pending_tasks", "/_cat/tasks?v&detailed=true")) {
                    d.append("\n").append(what).append("\n").append(Processes.get(u.resolve(what)).body());
                }
                return d.toString();
            }
        }
        return "\n(no OpenSearch node alive)";
    }

    /** {@code kill -9} of node {@code i}. */
    void kill(int i) {
        Processes.kill(processes.get(i));
    }

    @Override
    public void close() {
        processes.forEach(Processes::kill);
    }
}
