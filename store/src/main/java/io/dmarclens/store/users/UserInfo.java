package io.dmarclens.store.users;

import java.time.Instant;

/**
 * A user as listed by {@code users list}.
 *
 * @param name      the login name
 * @param createdAt when it was created
 * @param tokens    how many API tokens it holds
 * @param role      what it may do
 * @param scope     its policy domains, {@code all} or a comma-separated list
 * @param twoFactor whether it has enrolled a TOTP second factor
 */
public record UserInfo(String name, Instant createdAt, int tokens, Role role, String scope, boolean twoFactor) {
}
