package io.dmarclens.store.users;

import java.time.Instant;
import java.util.Objects;

/**
 * A login whose password was right and whose second-factor code is awaited, as the store keeps it: by the digest
 * of the id in the browser's cookie, never the id itself.
 *
 * @param digest     the digest of the pending step's id (the caller makes it; the store only compares)
 * @param user       who is logging in
 * @param credential the stamp of the password that was checked (a changed password voids the step)
 * @param createdAt  when the password was checked
 * @param expires    when the step lapses (the code must come before)
 * @param next       where the browser goes once logged in (a checked local path)
 */
public record PendingLogin(String digest, String user, String credential, Instant createdAt, Instant expires,
                           String next) {
    public PendingLogin {
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(credential, "credential");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expires, "expires");
        Objects.requireNonNull(next, "next");
    }

    /** True while the code may still come at {@code now}. */
    public boolean liveAt(Instant now) {
        return !now.isAfter(expires);
    }
}
