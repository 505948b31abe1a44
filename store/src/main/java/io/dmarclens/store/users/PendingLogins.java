package io.dmarclens.store.users;

import java.time.Instant;
import java.util.Optional;

/**
 * The pending second steps of two-factor logins, kept with the {@link Accounts} like the {@link SessionStore}, so
 * that the code may reach another node than the password did (no sticky load balancer). Bounded per user and in
 * all, expiring by the caller's clock, and taken once: of two requests completing one step (on two nodes at
 * once), one gets it.
 *
 * <p>Every method throws {@link io.dmarclens.store.StoreException} when the steps cannot be read or written.
 */
public interface PendingLogins {
    /**
     * Keeps a new pending step, ending the user's oldest beyond {@code maxPerUser} (the new one counted). The steps
     * expired at the new one's creation are dropped first, every time; when {@code maxTotal} live steps are kept
     * still, nothing is kept.
     *
     * @return false when the store is full and the step was not kept
     */
    boolean begin(PendingLogin login, int maxPerUser, int maxTotal);

    /** The step with this digest when it is live at {@code now}; empty when unknown, taken or expired. */
    Optional<PendingLogin> find(String digest, Instant now);

    /**
     * Takes the step with this digest, live at {@code now}, away: it cannot be found nor taken again. A
     * compare-and-set: of two racing takers exactly one gets it.
     */
    Optional<PendingLogin> take(String digest, Instant now);

    /** Forgets the steps no longer live at {@code now}; how many. */
    int purge(Instant now);
}
