package io.dmarclens.app.config;

import io.dmarclens.store.cluster.NodeRole;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Who this node is in a cluster and what it runs ({@code node.*}).
 *
 * @param name           unique in the cluster (default: the host name)
 * @param roles          the parts of {@code serve} it runs
 * @param leaseTtl       how long its leases last unrenewed
 * @param heartbeatEvery how often it writes its heartbeat
 */
public record NodeSettings(String name, Set<NodeRole> roles, Duration leaseTtl, Duration heartbeatEvery) {
    public NodeSettings {
        Objects.requireNonNull(name, "name");
        roles = Set.copyOf(roles);
        if (leaseTtl.toMillis() < 1000) {
            throw new ConfigException("node.lease_ttl must be at least 1s, not " + leaseTtl);
        }
        if (heartbeatEvery.toMillis() < 100) {
            throw new ConfigException("node.heartbeat_every must be at least 100ms, not " + heartbeatEvery);
        }
        if (roles.isEmpty()) {
            throw new ConfigException("node.roles is empty: give at least one of smtp, imap, inbox, web, jobs");
        }
        if ((roles.contains(NodeRole.SMTP) || roles.contains(NodeRole.IMAP)) && !roles.contains(NodeRole.INBOX)) {
            // What a node accepts waits in its own inbox (its disk): only its own workers can store it.
            throw new ConfigException("node.roles has smtp or imap but not inbox: mail this node accepts waits in its"
                    + " own inbox, so add inbox");
        }
    }

    /** Every role, named after the host. */
    public static NodeSettings defaults() {
        return new NodeSettings(hostName(), EnumSet.allOf(NodeRole.class), Duration.ofSeconds(30), Duration.ofSeconds(5));
    }

    public boolean runs(NodeRole role) {
        return roles.contains(role);
    }

    /** This machine's name, or {@code localhost} when it has none that resolves. */
    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
