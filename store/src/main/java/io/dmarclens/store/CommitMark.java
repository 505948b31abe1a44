package io.dmarclens.store;

/**
 * Where a store's commits stood before a run of imports (from {@link Store#mark()}); pass it back to
 * {@link Store#commitDurably}. Opaque: only the store that made it reads it.
 *
 * @param value the store's own position
 */
public record CommitMark(long value) {
}
