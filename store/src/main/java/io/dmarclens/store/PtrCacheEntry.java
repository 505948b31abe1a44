package io.dmarclens.store;

import java.time.Instant;

/**
 * A cached reverse DNS answer.
 *
 * @param name      the PTR name, or null when the address has none (negative answers are cached too)
 * @param expiresAt when the answer must be looked up again
 */
public record PtrCacheEntry(String name, Instant expiresAt) {
}
