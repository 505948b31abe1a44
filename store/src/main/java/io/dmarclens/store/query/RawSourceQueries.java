package io.dmarclens.store.query;

import java.io.OutputStream;
import java.util.Optional;

/** The raw sources reports came from, as received, for download. Every store implements it with the same answers (the contract kit checks). */
public interface RawSourceQueries {
    /** Metadata of a raw source, or empty. Every domain: for trusted callers only. */
    default Optional<RawSource> rawSource(long id) {
        return rawSource(id, DomainScope.all());
    }

    /**
     * Metadata of a raw source, or empty when there is none or it is outside {@code scope}: a raw source is in a
     * limited scope only when it holds at least one stored report and every report stored from it is in scope
     * (its bytes hold them all).
     */
    Optional<RawSource> rawSource(long id, DomainScope scope);
    /**
     * Writes the original bytes of a raw source to {@code out}.
     *
     * @return false when there is no such source or retention deleted its content
     */
    default boolean copyRawSource(long id, OutputStream out) {
        return copyRawSource(id, out, DomainScope.all());
    }

    /** As {@link #copyRawSource(long, OutputStream)}; false when the source is outside {@code scope}. */
    boolean copyRawSource(long id, OutputStream out, DomainScope scope);
}
