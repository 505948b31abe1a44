package io.dmarclens.store.users;

import java.time.Instant;

/** A user as listed by {@code users list}: name, when it was created, and how many API tokens it holds. */
public record UserInfo(String name, Instant createdAt, int tokens) {
}
