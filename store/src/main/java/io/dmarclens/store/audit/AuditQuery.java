package io.dmarclens.store.audit;

import java.time.Instant;
import java.util.Optional;

/**
 * Which audit entries to read: all filters optional, newest first, at most {@code limit}.
 *
 * @param user   only this user's entries
 * @param action only entries of this action
 * @param from   only entries at or after
 * @param to     only entries before
 * @param limit  at most this many
 */
public record AuditQuery(Optional<String> user, Optional<String> action, Optional<Instant> from,
                         Optional<Instant> to, int limit) {
    /** Every entry, newest first, up to {@code limit}. */
    public static AuditQuery all(int limit) {
        return new AuditQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), limit);
    }
}
