package io.dmarclens.store.users;

import java.time.Instant;
import java.util.Optional;

/**
 * The dashboard's logged-in sessions, kept with the {@link Accounts} so that every DMARC Lens process on the
 * same accounts knows them: a user logged in through one node stays logged in on another, and a logout on any
 * node ends the session on all. Sessions are found by the digest of their id (the caller digests; the id
 * itself is never stored). Expiry is decided by the caller's clock: the store keeps the times it is given and
 * answers only sessions live at the {@code now} it is asked with.
 *
 * <p>Every method throws {@link io.dmarclens.store.StoreException} when the sessions cannot be read or
 * written; its message says what to check.
 */
public interface SessionStore {
    /**
     * Keeps a new session and ends the user's oldest sessions (by login time) beyond {@code maxPerUser}, the new
     * one counted, so that one script with a password cannot fill the store.
     */
    void create(StoredSession session, int maxPerUser);

    /** The session with this digest when it is live at {@code now}; empty when unknown, ended or expired. */
    Optional<StoredSession> find(String digest, Instant now);

    /** Moves the idle expiry of a session to {@code expires}; nothing happens to an unknown session. */
    void renew(String digest, Instant expires);

    /** Lets an enrol-only session do everything its role may (its second factor is enrolled). */
    void completeEnrolment(String digest);

    /** Ends one session; false when there was none. */
    boolean end(String digest);

    /** Ends every session of a user (removed, or logged out everywhere); how many there were. */
    int endAll(String user);

    /** Forgets the sessions no longer live at {@code now}; how many. */
    int purge(Instant now);
}
