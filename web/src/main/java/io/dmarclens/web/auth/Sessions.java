package io.dmarclens.web.auth;

import io.dmarclens.store.users.SessionStore;
import io.dmarclens.store.users.StoredSession;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * Logged-in browser sessions, kept in the {@link SessionStore} of the accounts (docs/cluster.md): every DMARC
 * Lens node on the same accounts knows them, so a login through one node holds on the next, and a logout on any
 * node ends the session everywhere. Only the SHA-256 digest of a session id is stored, never the id. Each session
 * carries its own CSRF token and the credential stamp of the password it was opened with (see
 * {@link UserStore#credentialStamp}), so that a changed or removed account ends it. A session ends after
 * {@code idleTimeout} without a request, and in any case {@code lifetime} after the login.
 *
 * <p>Renewing the idle timer is a write, so it is written at most once per {@link #renewStep()} of a session,
 * not on every request: a session may end up to that much before its idle timeout.
 */
public final class Sessions {
    /** A user's sessions beyond this end, oldest first: one script with a password cannot fill the store. */
    static final int MAX_SESSIONS_PER_USER = 32;
    /** How often a node forgets the expired sessions of the store. */
    private static final Duration PURGE_EVERY = Duration.ofHours(1);

    private final SessionStore store;
    private final SecureRandom random = new SecureRandom();
    private final Duration idleTimeout;
    private final Duration lifetime;
    private final Clock clock;
    private Instant lastPurge = Instant.MIN;

    public Sessions(SessionStore store, Duration idleTimeout, Duration lifetime, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.idleTimeout = idleTimeout;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /** Starts a session for a user who just proved the password whose stamp is {@code credential}. */
    public Session create(String user, String credential) {
        return create(user, credential, false);
    }

    /**
     * Starts a session; with {@code enrolOnly} it may only enrol a second factor (its user's role requires
     * one and it has none yet) until {@link #completeEnrolment} lifts that.
     */
    public Session create(String user, String credential, boolean enrolOnly) {
        Instant now = now();
        purgeNowAndThen(now);
        String id = randomToken();
        StoredSession stored = new StoredSession(digest(id), user, randomToken(), credential, now, now.plus(idleTimeout),
                now.plus(lifetime), enrolOnly);
        store.create(stored, MAX_SESSIONS_PER_USER);
        return session(id, stored);
    }

    /** The live session with this id, its idle timer restarted (written at most once per {@link #renewStep()}). */
    public Optional<Session> find(String id) {
        if (id == null || id.isEmpty() || id.length() > 100) {
            return Optional.empty();
        }
        Instant now = now();
        String digest = digest(id);
        Optional<StoredSession> found = store.find(digest, now);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        StoredSession s = found.get();
        Instant renewed = now.plus(idleTimeout);
        if (renewed.isAfter(s.expires().plus(renewStep()))) {
            store.renew(digest, renewed);
            s = new StoredSession(s.digest(), s.user(), s.csrfToken(), s.credential(), s.createdAt(), renewed,
                    s.endsAt(), s.enrolOnly());
        }
        return Optional.of(session(id, s));
    }

    /** How far the idle timer may lag behind the last request: a tenth of the idle timeout, at most a minute. */
    Duration renewStep() {
        Duration tenth = idleTimeout.dividedBy(10);
        return tenth.compareTo(Duration.ofMinutes(1)) < 0 ? tenth : Duration.ofMinutes(1);
    }

    /** Lets an enrol-only session do everything its role may, once the second factor is enrolled. */
    public void completeEnrolment(String id) {
        if (id != null) {
            store.completeEnrolment(digest(id));
        }
    }

    /** Ends the session on every node. */
    public void invalidate(String id) {
        if (id != null && !id.isEmpty() && id.length() <= 100) {
            store.end(digest(id));
        }
    }

    /** Ends every session of a user, e.g. when the user is removed. */
    public void invalidateUser(String user) {
        store.endAll(user);
    }

    private synchronized void purgeNowAndThen(Instant now) {
        if (now.isBefore(lastPurge.plus(PURGE_EVERY)) && !now.isBefore(lastPurge)) {
            return;
        }
        lastPurge = now;
        store.purge(now);
    }

    /** The stores keep milliseconds: a session's times are what they give back. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static Session session(String id, StoredSession s) {
        return new Session(id, s.user(), s.csrfToken(), s.credential(), s.expires(), s.endsAt(), s.enrolOnly());
    }

    /** What the store keeps of a session id. */
    static String digest(String id) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    private String randomToken() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** How long a new session's cookie should live: until its absolute end, if idle never ends it first. */
    public Duration cookieLifetime() {
        return idleTimeout.compareTo(lifetime) < 0 ? idleTimeout : lifetime;
    }

    /**
     * One browser session.
     *
     * @param credential the stamp of the password the user logged in with
     * @param expires    when it ends unless used before
     * @param endsAt     when it ends however much it is used
     * @param enrolOnly  it may only enrol a second factor (or log out) until it has one
     */
    public record Session(String id, String user, String csrfToken, String credential, Instant expires,
                          Instant endsAt, boolean enrolOnly) {
    }
}
