package io.dmarclens.app.cli;

import io.dmarclens.app.config.NodeSettings;
import io.dmarclens.store.StoreException;
import io.dmarclens.store.cluster.Coordination;
import io.dmarclens.store.cluster.Duty;
import io.dmarclens.store.cluster.LeaseKeeper;
import io.dmarclens.store.cluster.NodeRole;
import io.dmarclens.store.cluster.NodeStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process as a node of a cluster: its heartbeat in the node registry, the lease of each mailbox it may poll
 * and the lease of the work done once per cluster ({@value #JOBS}). With the embedded store it is the only
 * node, and its leases are always its own.
 */
final class ClusterNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);
    /** The lease of the once-per-cluster work: the alert schedule (posture checks among its rules), digests, retention. */
    static final String JOBS = "jobs";

    private final Coordination coordination;
    private final NodeSettings node;
    private final String version;
    private final Clock clock;
    private final Instant startedAt;
    private final List<LeaseKeeper> keepers = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService heartbeats;
    private volatile LongSupplier inboxDepth = () -> 0;
    private volatile boolean failing;

    ClusterNode(Coordination coordination, NodeSettings node, String version, Clock clock) {
        this.coordination = coordination;
        this.node = node;
        this.version = version;
        this.clock = clock;
        this.startedAt = clock.instant();
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "node-heartbeat");
            t.setDaemon(true);
            return t;
        });
    }

    NodeSettings settings() {
        return node;
    }

    Coordination coordination() {
        return coordination;
    }

    /** The duty of polling a mailbox: its lease, held while this node can renew it. */
    Duty mailbox(String leaseName) {
        return keep(leaseName);
    }

    /** The duty of the once-per-cluster work: never for a node without the {@code jobs} role. */
    Duty jobs() {
        if (!node.runs(NodeRole.JOBS)) {
            return () -> false;
        }
        return keep(JOBS);
    }

    private LeaseKeeper keep(String name) {
        LeaseKeeper k = new LeaseKeeper(coordination.leases(), name, node.name(), node.leaseTtl(), clock).start();
        keepers.add(k);
        return k;
    }

    /** Writes a heartbeat now and every {@code node.heartbeat_every}, with the inbox depth of {@code depth}. */
    void startHeartbeat(LongSupplier depth) {
        this.inboxDepth = depth;
        long every = node.heartbeatEvery().toMillis();
        heartbeats.scheduleWithFixedDelay(this::beat, 0, every, TimeUnit.MILLISECONDS);
    }

    /** The leases this node holds now, by name. */
    List<String> heldLeases() {
        return keepers.stream().filter(LeaseKeeper::held).map(LeaseKeeper::name).sorted().toList();
    }

    /** How old a heartbeat may be before the Ingest page marks its node stale: three missed beats. */
    Duration staleAfter() {
        return node.heartbeatEvery().multipliedBy(3);
    }

    private void beat() {
        try {
            coordination.registry().heartbeat(new NodeStatus(node.name(), node.roles(), version, startedAt,
                    clock.instant(), Math.max(0, inboxDepth.getAsLong()), heldLeases()));
            if (failing) {
                LOG.info("Node {}: heartbeats are written again", node.name());
                failing = false;
            }
        } catch (StoreException e) {
            if (!failing) {
                LOG.warn("Node {}: cannot write its heartbeat ({}); trying again", node.name(), e.getMessage());
                failing = true;
            }
        } catch (RuntimeException e) {
            LOG.error("Node {}: heartbeat failed", node.name(), e);
        }
    }

    /** Stops the heartbeat and gives every lease up, so that other nodes take them over at once. */
    @Override
    public void close() {
        heartbeats.shutdownNow();
        try {
            heartbeats.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        keepers.forEach(LeaseKeeper::close);
        coordination.close();
    }
}
