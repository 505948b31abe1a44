package io.dmarclens.web.auth;

import java.time.Duration;

/**
 * How many failed logins are allowed within a sliding window, and how much memory counting them may take.
 *
 * @param window         the sliding window every limit counts in
 * @param perPair        failures for one user name from one client address; past it only that pair waits
 * @param perAddress     failures from one client address over all user names; past it the address waits,
 *                       except for users who logged in from it before
 * @param perUser        failures for one user name over all addresses (a brake on guessing from many
 *                       addresses); past it the user waits, except at addresses it logged in from before
 * @param trackedKeys    how many counters are kept; past it new counters share hashed buckets, which only
 *                       ever count more, never forget
 */
public record LoginLimits(Duration window, int perPair, int perAddress, int perUser, int trackedKeys) {
    public LoginLimits {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("the login window must be positive, not " + window);
        }
        if (perPair < 1 || perAddress < 1 || perUser < 1) {
            throw new IllegalArgumentException("login failure limits must be at least 1");
        }
        if (trackedKeys < 1) {
            throw new IllegalArgumentException("at least 1 login counter must be kept, not " + trackedKeys);
        }
    }

    public static LoginLimits defaults() {
        return new LoginLimits(Duration.ofMinutes(15), 5, 20, 100, 100_000);
    }
}
