package io.dmarclens.store.query;

import java.time.Instant;

/**
 * An earlier copy of a stored report that a more complete copy replaced (issue #12): its data left the
 * store, its raw source stayed.
 *
 * @param sourceId     id of its raw source (see {@link RawSourceQueries#rawSource})
 * @param sourceName   name of that source
 * @param sourcePart   where in that source
 * @param records      records it held (TLS: policies)
 * @param partialReason why it could not be read to its end, or null
 * @param importedAt   when it was stored
 * @param supersededAt when the more complete copy replaced it
 */
public record SupersededCopy(long sourceId, String sourceName, String sourcePart, long records, String partialReason,
                             Instant importedAt, Instant supersededAt) {
}
