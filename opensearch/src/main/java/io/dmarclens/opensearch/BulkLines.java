package io.dmarclens.opensearch;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Bulk lines written straight to their NDJSON bytes in one growing buffer that an importer reuses from report to
 * report: the documents of an import are streamed by a Jackson generator instead of being built as trees, copied
 * into a byte array per line and copied again into the request. At 5,000,000 records with a 512 MiB heap those
 * trees and copies were most of what the importer allocated, and the collector's work with them. Not thread-safe.
 */
final class BulkLines {
    /** A buffer that grew beyond this is dropped after use rather than kept for the next report. */
    static final int KEEP_BYTES = 8 << 20;

    /** Lines already encoded, each ending with a newline: an element of the lines {@link Cluster#bulk} sends. */
    record Ndjson(byte[] bytes, int lines) {
    }

    private final ObjectMapper json;
    private final Buffer buffer = new Buffer();
    private JsonGenerator generator;
    private int lines;

    BulkLines(ObjectMapper json) {
        this.json = json;
        this.generator = newGenerator();
    }

    private JsonGenerator newGenerator() {
        try {
            JsonGenerator g = json.getFactory().createGenerator(buffer);
            // Lines are separated by newlines, not by the generator's space between root values.
            g.setRootValueSeparator(null);
            return g;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The generator to write the next line with; {@link #endLine} ends it. */
    JsonGenerator generator() {
        return generator;
    }

    /** Ends the line just written with the {@link #generator()}. */
    void endLine() {
        try {
            generator.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        buffer.write('\n');
        lines++;
    }

    /** Adds a line built as a tree (actions and documents written once per report). */
    void add(JsonNode line) {
        try {
            json.writeTree(generator, line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        endLine();
    }

    /** Adds lines already encoded. */
    void add(Ndjson encoded) {
        buffer.write(encoded.bytes(), 0, encoded.bytes().length);
        lines += encoded.lines();
    }

    int lines() {
        return lines;
    }

    boolean isEmpty() {
        return lines == 0;
    }

    /** The lines so far, in a byte array of their own. */
    Ndjson ndjson() {
        return new Ndjson(Arrays.copyOf(buffer.bytes, buffer.size), lines);
    }

    /** Empties the lines, keeping the buffer unless it grew large. */
    void clear() {
        if (generator.getOutputContext().inRoot()) {
            try {
                generator.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            generator = newGenerator(); // a line left half written (a failure): its bytes are dropped with it
        }
        buffer.size = 0;
        lines = 0;
        if (buffer.bytes.length > KEEP_BYTES) {
            buffer.bytes = new byte[Buffer.INITIAL];
        }
    }

    /** The buffer the generator writes into: no copies but its growth, no locks. */
    private static final class Buffer extends OutputStream {
        static final int INITIAL = 64 << 10;
        byte[] bytes = new byte[INITIAL];
        int size;

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(size + more, bytes.length * 2));
            }
        }

        @Override
        public void write(int b) {
            ensure(1);
            bytes[size++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, bytes, size, len);
            size += len;
        }
    }
}
