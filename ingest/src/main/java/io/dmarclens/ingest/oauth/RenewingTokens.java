package io.dmarclens.ingest.oauth;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * Holds the current token of a {@link TokenSource} in memory and fetches a new one before it expires
 * ({@link AccessToken#renewAt()}), so that a connection never starts with a token about to run out. A
 * refused token is dropped at once.
 */
final class RenewingTokens implements AccessTokens {
    private final TokenSource source;
    private final Clock clock;
    private AccessToken held;

    RenewingTokens(TokenSource source, Clock clock) {
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

    private static boolean renewDue(AccessToken token, Instant now) {
        return !now.isBefore(token.renewAt());
    }
}
