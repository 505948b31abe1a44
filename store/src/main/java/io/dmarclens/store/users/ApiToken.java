package io.dmarclens.store.users;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An API token as it is kept and listed: everything but its secret, which is shown once at creation and
 * stored only as a digest.
 *
 * @param id         a short public name of the token (the first 16 hex digits of its digest), to list and
 *                   revoke it by; it does not let anybody use the token
 * @param user       the user it acts for; it carries that user's role and scope
 * @param label      what its owner called it ({@code grafana}), may be empty
 * @param scope      the policy domains it is narrowed to ({@code all}: its user's whole scope), comma-separated
 * @param createdAt  when it was issued
 * @param expiresAt  when it stops working, empty for never
 * @param lastUsedAt when it was last accepted, empty for never
 */
public record ApiToken(String id, String user, String label, String scope, Instant createdAt,
                       Optional<Instant> expiresAt, Optional<Instant> lastUsedAt) {
    public ApiToken {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(user, "user");
        label = label == null ? "" : label;
        scope = scope == null || scope.isBlank() ? Account.ALL : scope;
        Objects.requireNonNull(createdAt, "createdAt");
        expiresAt = expiresAt == null ? Optional.empty() : expiresAt;
        lastUsedAt = lastUsedAt == null ? Optional.empty() : lastUsedAt;
    }

    /** The public id of the token with this digest. */
    public static String idOf(String digest) {
        return digest.length() <= 16 ? digest : digest.substring(0, 16);
    }

    /** Whether the token no longer works at {@code now}. */
    public boolean expiredAt(Instant now) {
        return expiresAt.map(e -> !now.isBefore(e)).orElse(false);
    }

    /** The same token, noted as used at {@code at}. */
    public ApiToken usedAt(Instant at) {
        return new ApiToken(id, user, label, scope, createdAt, expiresAt, Optional.of(at));
    }
}
