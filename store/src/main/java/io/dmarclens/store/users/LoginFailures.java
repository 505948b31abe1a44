package io.dmarclens.store.users;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Failed logins counted with the {@link Accounts}, so that every DMARC Lens process on the same accounts counts
 * the same failures: an attacker cannot spread guesses over the nodes behind a load balancer. A counter has a
 * key (the caller's: a user name, a client address, or both) and keeps the times of its latest failures; a
 * pair that logged in is remembered with the time. Only failed or checked logins write; a request made with a
 * session never does.
 *
 * <p>Every method throws {@link io.dmarclens.store.StoreException} when the counters cannot be read or
 * written; its message says what to check.
 */
public interface LoginFailures {
    /** Each key's failure times after {@code since}, oldest first (keys without any are left out). */
    Map<String, List<Instant>> failures(Collection<String> keys, Instant since);

    /**
     * Counts a failure at {@code at} for each key, keeping only the newest {@code depth} times after
     * {@code since} per key.
     */
    void add(Collection<String> keys, Instant at, int depth, Instant since);

    /** Takes back the failure counted at {@code at} for each key (the login it counted succeeded). */
    void takeBack(Collection<String> keys, Instant at);

    /** Forgets every failure of the key (a pair that just logged in). */
    void clear(String key);

    /** Remembers that the key (a user at an address) logged in at {@code at}. */
    void loggedIn(String key, Instant at);

    /** When the key last logged in, if it is remembered. */
    Optional<Instant> lastLogin(String key);

    /** Forgets failures at or before {@code failuresBefore} and logins at or before {@code loginsBefore}; how many counters went. */
    int purge(Instant failuresBefore, Instant loginsBefore);
}
