package io.dmarclens.store.cluster;

import java.time.Instant;
import java.util.Objects;

/**
 * A lease as the store holds it: who holds it until when, and the version of the store's document, which a
 * renewal or release must name (optimistic concurrency: a lease taken over meanwhile has another version).
 *
 * @param name      what it is for, e.g. {@code imap:reports} or {@code job:retention}
 * @param holder    the node holding it ({@code node.name})
 * @param expiresAt until when, by the holder's clock; another node may take it over after that
 * @param version   the store's version of the lease (OpenSearch: sequence number and primary term)
 */
public record Lease(String name, String holder, Instant expiresAt, String version) {
    public Lease {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(version, "version");
    }
}
