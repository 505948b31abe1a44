package io.dmarclens.store.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The coordination of a store only one process can open (the embedded store takes its index's write lock): the
 * registry and the leases in memory, with the same rules as a shared one, so that the same code runs on both.
 */
public final class SingleNode implements Coordination, NodeRegistry, Leases {
    private final TreeMap<String, NodeStatus> nodes = new TreeMap<>();
    private final TreeMap<String, Lease> leases = new TreeMap<>();
    private long versions;

    @Override
    public NodeRegistry registry() {
        return this;
    }

    @Override
    public Leases leases() {
        return this;
    }

    @Override
    public boolean shared() {
        return false;
    }

    @Override
    public synchronized void heartbeat(NodeStatus status) {
        nodes.put(status.name(), status);
    }

    @Override
    public synchronized List<NodeStatus> statuses() {
        return new ArrayList<>(nodes.values());
    }

    @Override
    public synchronized boolean forget(String name) {
        return nodes.remove(name) != null;
    }

    @Override
    public synchronized Optional<Lease> acquire(String name, String holder, Instant now, Duration ttl) {
        Lease current = leases.get(name);
        if (current != null && !current.holder().equals(holder) && current.expiresAt().isAfter(now)) {
            return Optional.empty();
        }
        return Optional.of(put(name, holder, now.plus(ttl)));
    }

    @Override
    public synchronized Optional<Lease> renew(Lease held, Instant now, Duration ttl) {
        Lease current = leases.get(held.name());
        if (current == null || !current.version().equals(held.version())) {
            return Optional.empty();
        }
        return Optional.of(put(held.name(), held.holder(), now.plus(ttl)));
    }

    @Override
    public synchronized void release(Lease held) {
        Lease current = leases.get(held.name());
        if (current != null && current.version().equals(held.version())) {
            leases.remove(held.name());
        }
    }

    @Override
    public synchronized List<Lease> current() {
        return new ArrayList<>(leases.values());
    }

    private Lease put(String name, String holder, Instant expiresAt) {
        Lease lease = new Lease(name, holder, expiresAt, Long.toString(++versions));
        leases.put(name, lease);
        return lease;
    }

    @Override
    public void close() {
        // nothing is kept
    }
}
