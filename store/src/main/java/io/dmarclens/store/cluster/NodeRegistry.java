package io.dmarclens.store.cluster;

import java.util.List;

/** The nodes of a cluster, as their heartbeats describe them. */
public interface NodeRegistry {
    /**
     * Records the node's status, replacing its previous one (nodes are told apart by name).
     *
     * @throws io.dmarclens.store.StoreException when the store cannot be written
     */
    void heartbeat(NodeStatus status);

    /**
     * Every node that ever sent a heartbeat and was not {@linkplain #forget forgotten}, by name.
     *
     * @throws io.dmarclens.store.StoreException when the store cannot be read
     */
    List<NodeStatus> statuses();

    /** Drops a node from the list (one taken out of the cluster); false when there was none of that name. */
    boolean forget(String name);
}
