package io.dmarclens.store.query;

import java.io.OutputStream;
import java.util.Optional;

/** The raw sources reports came from, as received, for download. Every store implements it with the same answers (the contract kit checks). */
public interface RawSourceQueries {
    /** Metadata of a raw source, or empty. */
    Optional<RawSource> rawSource(long id);
    /**
     * Writes the original bytes of a raw source to {@code out}.
     *
     * @return false when there is no such source or retention deleted its content
     */
    boolean copyRawSource(long id, OutputStream out);
}
