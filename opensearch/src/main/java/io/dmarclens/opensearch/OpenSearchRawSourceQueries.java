package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.store.query.RawSource;
import io.dmarclens.store.query.RawSourceQueries;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/** Raw sources as received: their document, and their bytes from the chunk documents in order. */
final class OpenSearchRawSourceQueries implements RawSourceQueries {
    private final Reads reads;
    private final ReportDocs docs;

    OpenSearchRawSourceQueries(Reads reads, ReportDocs docs) {
        this.reads = reads;
        this.docs = docs;
    }

    @Override
    public Optional<RawSource> rawSource(long id) {
        JsonNode s = docs.one(Family.SOURCES, "source_id", id);
        if (s == null) {
            return Optional.empty();
        }
        return Optional.of(new RawSource(s.path("source_id").asLong(), Rows.text(s, "name"), Rows.text(s, "origin"),
                Rows.text(s, "sha256"), s.path("size").asLong(), Rows.seconds(s, "received_at"),
                s.path("available").asBoolean()));
    }

    @Override
    public boolean copyRawSource(long id, OutputStream out) {
        JsonNode s = docs.one(Family.SOURCES, "source_id", id);
        if (s == null || !s.path("available").asBoolean()) {
            return false;
        }
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        ObjectNode query = reads.visible(null);
        Reads.filters(query).add(Dsl.term("source_ref", id));
        int[] chunks = {0};
        reads.each(Family.RAW, query, Order.sort("chunk", "asc"), hit -> {
            try {
                stored.write(hit.path("_source").path("data").binaryValue());
                chunks[0]++;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        if (chunks[0] == 0 && s.path("chunks").asInt(0) > 0) {
            return false;
        }
        try (InputStream in = "gzip".equals(Rows.text(s, "encoding"))
                ? new GZIPInputStream(new java.io.ByteArrayInputStream(stored.toByteArray()))
                : new java.io.ByteArrayInputStream(stored.toByteArray())) {
            in.transferTo(out);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy raw source " + id, e);
        }
    }
}
