package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.store.SourceFile;
import io.dmarclens.store.StoreException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Raw sources, kept once per SHA-256 so that nothing ever needs fetching again: the bytes gzip-compressed
 * (as received when they came gzip- or zip-compressed), in chunks of {@value #CHUNK} bytes (documents stay
 * small whatever a mail weighs), written before the source document that says they are complete. A small source
 * imported in a group ({@link Prepared#small}) waits for the group's commit instead, and goes in its one bulk
 * request with the reports read from it: its chunk and document are then written together, and a failure of that
 * request fails the group, whose messages are imported again (the source is looked for only through the reports
 * that name it, which that failure leaves unstored).
 */
final class Sources {
    static final int CHUNK = 1 << 20;

    private final Cluster cluster;
    private final IndexNames names;
    private final Clock clock;

    Sources(Cluster cluster, IndexNames names, Clock clock) {
        this.cluster = cluster;
        this.names = names;
        this.clock = clock;
    }

    /**
     * A raw source ready to be written: its id, the bulk lines that create its chunks, and those that create its
     * document (after the chunks).
     */
    record Prepared(long id, List<Object> chunks, List<Object> document, int storedBytes) {
        /** Small enough to wait in a grouped commit's bulk request with the reports (one chunk, a few KB). */
        boolean small() {
            return chunks.size() == 2 && storedBytes <= GROUPED_MAX;
        }

        /** The chunks, then the document: the lines of one bulk request. */
        List<Object> lines() {
            List<Object> all = new ArrayList<>(chunks);
            all.addAll(document);
            return all;
        }
    }

    /**
     * Stored bytes up to which a source waits for a grouped commit instead of being written at once: a report mail
     * is a few KB; a group holds many, and its bulk request is kept in memory until the commit.
     */
    static final int GROUPED_MAX = 64 * 1024;

    /**
     * Stores the source unless stored; returns its id. Most sources are new, so their chunks are written without
     * asking first (two requests where a look-up made three): each chunk is created once (a chunk found there
     * already holds the same bytes, the id being the content's hash), and the source document after them.
     */
    long store(SourceFile source) {
        return write(prepare(source));
    }

    /** Writes a prepared source now: its chunks, then its document (see {@link #store}). */
    long write(Prepared p) {
        List<Object> lines = new ArrayList<>();
        for (int i = 0; i < p.chunks().size(); i += 2) {
            lines.add(p.chunks().get(i));
            lines.add(p.chunks().get(i + 1));
            if (lines.size() >= 16) {
                createChunks(lines);
                lines.clear();
            }
        }
        createChunks(lines);
        for (com.fasterxml.jackson.databind.JsonNode item : cluster.bulkItems(p.document())) {
            if (item.has("error") && item.path("status").asInt() != 409) {
                throw new StoreException("OpenSearch at " + cluster.name() + " refused storing a raw source ("
                        + cluster.itemError(item) + ")");
            }
        }
        return p.id();
    }

    /**
     * Reads and compresses the source and makes its bulk lines ({@code create} actions: a chunk or document found
     * there already is the same source, the ids being the content's hash).
     */
    Prepared prepare(SourceFile source) {
        long id = DocIds.ofSha256(source.sha256());
        byte[] raw;
        try (InputStream in = source.open()) {
            raw = in.readAllBytes();
        } catch (IOException e) {
            throw new StoreException("cannot read the raw source " + source.name() + ": " + e.getMessage(), e);
        }
        boolean compressed = raw.length >= 2 && ((raw[0] == 0x1f && (raw[1] & 0xff) == 0x8b)
                || (raw[0] == 'P' && raw[1] == 'K'));
        byte[] stored = compressed ? raw : gzip(raw);
        int chunks = Math.max(1, (stored.length + CHUNK - 1) / CHUNK);
        List<Object> chunkLines = new ArrayList<>();
        for (int i = 0; i < chunks; i++) {
            ObjectNode action = JsonNodes.object();
            action.putObject("create").put("_index", names.of(Family.RAW)).put("_id", id + "-" + i);
            ObjectNode doc = JsonNodes.object();
            doc.put("source_ref", id);
            doc.put("chunk", i);
            doc.put("data", Arrays.copyOfRange(stored, i * CHUNK, Math.min(stored.length, (i + 1) * CHUNK)));
            chunkLines.add(action);
            chunkLines.add(doc);
        }
        ObjectNode doc = JsonNodes.object();
        doc.put("source_id", id);
        doc.put("sha256", source.sha256());
        doc.put("name", source.name());
        doc.put("origin", source.origin());
        doc.put("size", raw.length);
        doc.put("received_at", clock.instant().getEpochSecond());
        doc.put("encoding", compressed ? "as-received" : "gzip");
        doc.put("stored_bytes", stored.length);
        doc.put("chunks", chunks);
        doc.put("available", true);
        ObjectNode action = JsonNodes.object();
        action.putObject("create").put("_index", names.of(Family.SOURCES)).put("_id", String.valueOf(id));
        return new Prepared(id, chunkLines, List.of(action, doc), stored.length);
    }

    /** Sends chunk creations; a chunk that exists already (409) is the same bytes, any other refusal throws. */
    private void createChunks(List<Object> lines) {
        for (com.fasterxml.jackson.databind.JsonNode item : cluster.bulkItems(lines)) {
            if (item.has("error") && item.path("status").asInt() != 409) {
                throw new StoreException("OpenSearch at " + cluster.name() + " refused storing a raw source ("
                        + cluster.itemError(item) + ")");
            }
        }
    }

    private static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 4 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new IllegalStateException("gzip in memory cannot fail", e);
        }
        return out.toByteArray();
    }
}
