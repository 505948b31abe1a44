package io.dmarclens.ingest.oauth;

import java.time.Duration;
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
    private static final Duration MOST_MARGIN = Duration.ofMinutes(5);

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

    /**
     * When a new token is due: once less than a quarter of this one's lifetime (at most five minutes) is
     * left, so that nothing starts with a token about to run out; never for a token of unknown expiry.
     */
    public Instant renewAt() {
        if (expiresAt == null) {
            return Instant.MAX;
        }
        Duration margin = Duration.between(fetchedAt, expiresAt).dividedBy(4);
        if (margin.compareTo(MOST_MARGIN) > 0) {
            margin = MOST_MARGIN;
        }
        return expiresAt.minus(margin.isNegative() ? Duration.ZERO : margin);
    }

    @Override
    public String toString() {
        return "AccessToken[expires " + (expiresAt == null ? "unknown" : expiresAt) + "]";
    }
}
