package io.dmarclens.ingest.oauth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Holds the current token of a {@link TokenSource} in memory and fetches a new one before it expires:
 * once less than a quarter of its lifetime (at most five minutes) is left, so that a connection never
 * starts with a token about to run out. A refused token is dropped at once.
 */
public final class RenewingTokens implements AccessTokens {
    private static final Duration MOST_MARGIN = Duration.ofMinutes(5);

    private final TokenSource source;
    private final Clock clock;
    private AccessToken held;

    public RenewingTokens(TokenSource source, Clock clock) {
        this.source = Objects.requireNonNull(source, "source");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public synchronized AccessToken current() throws TokenException {
        Instant now = clock.instant();
        if (held == null || renewDue(held, now)) {
            held = null;
            AccessToken fresh = source.fetch();
            if (fresh.expiredAt(clock.instant())) {
                throw new TokenException("the token endpoint issued a token that has already expired ("
                        + fresh.expiresAt() + "); check this machine's clock");
            }
            held = fresh;
        }
        return held;
    }

    @Override
    public synchronized void refused(AccessToken token) {
        if (held != null && held.value().equals(token.value())) {
            held = null;
        }
    }

    /** When the token will be renewed: a quarter of its lifetime (at most five minutes) before it expires. */
    static Instant renewAt(AccessToken token) {
        if (token.expiresAt() == null) {
            return Instant.MAX;
        }
        Duration lifetime = Duration.between(token.fetchedAt(), token.expiresAt());
        Duration margin = lifetime.dividedBy(4);
        if (margin.compareTo(MOST_MARGIN) > 0) {
            margin = MOST_MARGIN;
        }
        return token.expiresAt().minus(margin.isNegative() ? Duration.ZERO : margin);
    }

    private static boolean renewDue(AccessToken token, Instant now) {
        return !now.isBefore(renewAt(token));
    }
}
