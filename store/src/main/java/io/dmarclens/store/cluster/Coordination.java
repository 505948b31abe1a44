package io.dmarclens.store.cluster;

/**
 * The node registry and the leases of one store, opened beside it: every node on the same store sees the same.
 */
public interface Coordination extends AutoCloseable {
    NodeRegistry registry();

    Leases leases();

    /** Whether other processes can share this (false for the embedded store: one node only). */
    boolean shared();

    @Override
    void close();
}
