package io.dmarclens.store.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Named leases with optimistic concurrency: at most one holder at a time, whatever nodes race for it. A lease is
 * taken when it is free, expired, or already the taker's; it is kept by renewing it before it expires. The
 * store's clock is not involved: {@code now} is the caller's, so nodes must keep their clocks in sync (NTP) to
 * well under the lease's time to live.
 */
public interface Leases {
    /**
     * Takes the lease for {@code holder} until {@code now + ttl} when nobody else holds it at {@code now}.
     *
     * @return the lease, or empty when another holder has it (or won the race for it)
     * @throws io.dmarclens.store.StoreException when the store cannot be reached
     */
    Optional<Lease> acquire(String name, String holder, Instant now, Duration ttl);

    /**
     * Extends a lease still held as {@code held} (same version) until {@code now + ttl}.
     *
     * @return the renewed lease, or empty when it was taken over or released meanwhile
     * @throws io.dmarclens.store.StoreException when the store cannot be reached
     */
    Optional<Lease> renew(Lease held, Instant now, Duration ttl);

    /** Gives a lease up at once (when still held as {@code held}); other nodes may take it then. */
    void release(Lease held);

    /**
     * Every lease the store knows, expired ones included, by name.
     *
     * @throws io.dmarclens.store.StoreException when the store cannot be read
     */
    List<Lease> current();
}
