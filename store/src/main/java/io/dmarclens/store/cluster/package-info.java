/**
 * What several DMARC Lens nodes on one store agree on: which nodes there are ({@link NodeRegistry}: each node's
 * heartbeat) and who does what ({@link Leases}: a mailbox polled by one node at a time, work done once per
 * cluster). {@link Coordination} is both, opened beside the store: on OpenSearch in the cluster, on the embedded
 * store in memory as a single node ({@link SingleNode}). {@link LeaseKeeper} holds a lease while the node lives.
 */
package io.dmarclens.store.cluster;
