package io.dmarclens.store.users;

import java.time.Instant;
import java.util.Objects;

/**
 * A logged-in browser session as the store keeps it: never the session id itself, only its digest, so a copy
 * of the store does not hand out sessions.
 *
 * @param digest     the digest of the session id (the caller makes it; the store only compares)
 * @param user       whose session it is
 * @param csrfToken  the CSRF token the session's forms must send back
 * @param credential the stamp of the password the user logged in with (a changed password ends the session)
 * @param createdAt  when the user logged in
 * @param expires    when it ends unless used before (the idle timeout; renewed by {@link SessionStore#renew})
 * @param endsAt     when it ends however much it is used
 * @param enrolOnly  it may only enrol a second factor (or log out) until it has one
 */
public record StoredSession(String digest, String user, String csrfToken, String credential, Instant createdAt,
                            Instant expires, Instant endsAt, boolean enrolOnly) {
    public StoredSession {
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(csrfToken, "csrfToken");
        Objects.requireNonNull(credential, "credential");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expires, "expires");
        Objects.requireNonNull(endsAt, "endsAt");
    }

    /** True while the session may be used at {@code now}: neither idle too long nor past its end. */
    public boolean liveAt(Instant now) {
        return !now.isAfter(expires) && now.isBefore(endsAt);
    }
}
