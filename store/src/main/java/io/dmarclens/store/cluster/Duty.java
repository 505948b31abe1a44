package io.dmarclens.store.cluster;

/**
 * Whether this node is the one to do some work now (it holds the work's lease). Work done once per cluster asks
 * before each run; a mailbox poller before each round and before it archives.
 */
@FunctionalInterface
public interface Duty {
    /** True while this node may do the work. */
    boolean held();

    /** Always on duty: a node alone, or work that needs no lease. */
    static Duty always() {
        return () -> true;
    }
}
