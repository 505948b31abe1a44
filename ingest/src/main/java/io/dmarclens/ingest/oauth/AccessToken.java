package io.dmarclens.ingest.oauth;

import java.time.Instant;
import java.util.Objects;

/**
 * An OAuth2 access token and when it expires. Kept in memory only; {@link #toString()} never shows it.
 *
 * @param value     the bearer token
 * @param fetchedAt when it was obtained
 * @param expiresAt when the issuer says it stops working, or null when unknown (a token file)
 */
public record AccessToken(String value, Instant fetchedAt, Instant expiresAt) {
    public AccessToken {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(fetchedAt, "fetchedAt");
        if (value.isBlank()) {
            throw new IllegalArgumentException("an empty access token");
        }
    }

    /** True once the token has expired at {@code now}. */
    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    @Override
    public String toString() {
        return "AccessToken[expires " + (expiresAt == null ? "unknown" : expiresAt) + "]";
    }
}
