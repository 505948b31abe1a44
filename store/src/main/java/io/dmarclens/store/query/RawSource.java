package io.dmarclens.store.query;

import java.time.Instant;

/**
 * A stored raw source (the mail or file reports were parsed from).
 *
 * @param id         database id
 * @param name       file or message name
 * @param origin     smtp, imap, file, ...
 * @param sha256     content hash
 * @param size       bytes
 * @param receivedAt when it was stored
 * @param available  false once retention deleted the content
 */
public record RawSource(long id, String name, String origin, String sha256, long size, Instant receivedAt,
                        boolean available) {
}
