package io.dmarclens.store.cluster;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One node as its last heartbeat described it.
 *
 * @param name        {@code node.name}, unique in the cluster
 * @param roles       the parts it runs
 * @param version     the DMARC Lens version it runs
 * @param startedAt   when it started
 * @param heartbeatAt when it wrote this (by its own clock)
 * @param inboxDepth  messages it accepted and has not processed yet (its durable inbox is its own disk)
 * @param leases      the leases it held then (mailboxes, jobs)
 */
public record NodeStatus(String name, Set<NodeRole> roles, String version, Instant startedAt, Instant heartbeatAt,
                         long inboxDepth, List<String> leases) {
    public NodeStatus {
        Objects.requireNonNull(name, "name");
        roles = Set.copyOf(roles);
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(heartbeatAt, "heartbeatAt");
        leases = List.copyOf(leases);
    }

    /** Whether its last heartbeat is older than {@code staleAfter} at {@code now}: the node is probably gone. */
    public boolean staleAt(Instant now, java.time.Duration staleAfter) {
        return heartbeatAt.plus(staleAfter).isBefore(now);
    }
}
