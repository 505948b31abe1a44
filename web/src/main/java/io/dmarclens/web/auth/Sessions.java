package io.dmarclens.web.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Logged-in browser sessions, held in memory: a restart logs everybody out, which is acceptable for a
 * self-hosted tool and keeps session ids out of any file. Each session carries its own CSRF token and the
 * credential stamp of the password it was opened with (see {@link UserStore#credentialStamp}), so that a
 * changed or removed account ends it. A session ends after {@code idleTimeout} without a request, and in
 * any case {@code lifetime} after the login.
 */
public final class Sessions {
    private static final int MAX_SESSIONS = 10_000;
    /** A user's sessions beyond this end, oldest first: one script with a password cannot fill the memory. */
    static final int MAX_SESSIONS_PER_USER = 32;

    private final Map<String, Session> byId = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Duration idleTimeout;
    private final Duration lifetime;
    private final Clock clock;

    public Sessions(Duration idleTimeout, Duration lifetime, Clock clock) {
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
    public synchronized Session create(String user, String credential, boolean enrolOnly) {
        if (byId.size() >= MAX_SESSIONS) {
            purgeExpired();
        }
        endOldestBeyondLimit(user);
        Instant now = clock.instant();
        Session s = new Session(randomToken(), user, randomToken(), credential, now.plus(idleTimeout),
                now.plus(lifetime), enrolOnly);
        byId.put(s.id(), s);
        return s;
    }

    /** The live session with this id, its idle timer restarted. */
    public Optional<Session> find(String id) {
        if (id == null || id.length() > 100) {
            return Optional.empty();
        }
        Session s = byId.get(id);
        if (s == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (now.isAfter(s.expires()) || !now.isBefore(s.endsAt())) {
            byId.remove(id);
            return Optional.empty();
        }
        Session renewed = new Session(s.id(), s.user(), s.csrfToken(), s.credential(), now.plus(idleTimeout),
                s.endsAt(), s.enrolOnly());
        byId.put(id, renewed);
        return Optional.of(renewed);
    }

    /** Lets an enrol-only session do everything its role may, once the second factor is enrolled. */
    public void completeEnrolment(String id) {
        byId.computeIfPresent(id, (k, s) -> new Session(s.id(), s.user(), s.csrfToken(), s.credential(), s.expires(),
                s.endsAt(), false));
    }

    public void invalidate(String id) {
        if (id != null) {
            byId.remove(id);
        }
    }

    /** Ends every session of a user, e.g. when the user is removed. */
    public void invalidateUser(String user) {
        byId.values().removeIf(s -> s.user().equals(user));
    }

    private void endOldestBeyondLimit(String user) {
        java.util.List<Session> own = byId.values().stream().filter(s -> s.user().equals(user))
                .sorted(java.util.Comparator.comparing(Session::endsAt)).toList();
        for (int i = 0; i <= own.size() - MAX_SESSIONS_PER_USER; i++) {
            byId.remove(own.get(i).id());
        }
    }

    private void purgeExpired() {
        Instant now = clock.instant();
        byId.values().removeIf(s -> now.isAfter(s.expires()) || !now.isBefore(s.endsAt()));
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
