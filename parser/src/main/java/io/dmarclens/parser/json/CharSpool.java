package io.dmarclens.parser.json;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Text written now and either copied out or dropped later: in memory up to a threshold, then in a
 * temporary file, so that a report of a million records never sits whole on the heap.
 */
final class CharSpool extends Writer {
    private final int memoryThreshold;
    private StringWriter memory = new StringWriter();
    private Path file;
    private Writer fileWriter;

    CharSpool(int memoryThreshold) {
        this.memoryThreshold = memoryThreshold;
    }

    @Override
    public void write(char[] chars, int offset, int length) throws IOException {
        if (fileWriter == null && memory.getBuffer().length() + length > memoryThreshold) {
            file = Files.createTempFile("dmarc-lens-", ".json");
            fileWriter = new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8);
            fileWriter.write(memory.getBuffer().toString());
            memory = null;
        }
        if (fileWriter != null) {
            fileWriter.write(chars, offset, length);
        } else {
            memory.write(chars, offset, length);
        }
    }

    @Override
    public void flush() throws IOException {
        if (fileWriter != null) {
            fileWriter.flush();
        }
    }

    /** Copies everything written so far to {@code out}. */
    void copyTo(Writer out) throws IOException {
        if (fileWriter == null) {
            out.write(memory.getBuffer().toString());
            return;
        }
        fileWriter.flush();
        try (Reader in = new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8)) {
            in.transferTo(out);
        }
    }

    /** Drops the text and the temporary file. */
    @Override
    public void close() throws IOException {
        memory = null;
        if (fileWriter != null) {
            fileWriter.close();
            fileWriter = null;
            Files.deleteIfExists(file);
        }
    }
}
