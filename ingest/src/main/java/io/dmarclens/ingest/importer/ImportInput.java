package io.dmarclens.ingest.importer;

import io.dmarclens.ingest.pipeline.ImportException;
import io.dmarclens.ingest.pipeline.ImportOutcome;
import io.dmarclens.ingest.pipeline.ImportPipeline;
import java.nio.file.Path;

/**
 * One thing to import: a whole file, or one message of an mbox file.
 *
 * @param origin where it came from, stored with its reports ({@code file:/abs/path},
 *               {@code file:/abs/box.mbox#12} for the 12th message of an mbox)
 * @param name   how it is named in messages to the user
 * @param file   the file to read, when the input is a whole file
 * @param data   the bytes, when the input was cut out of a larger file
 */
public record ImportInput(String origin, String name, Path file, byte[] data) {
    static ImportInput ofFile(Path file) {
        return new ImportInput("file:" + file.toAbsolutePath().normalize(), file.toString(), file, null);
    }

    static ImportInput ofBytes(String origin, String name, byte[] data) {
        return new ImportInput(origin, name, null, data);
    }

    /** Runs this input through the pipeline. */
    public ImportOutcome importInto(ImportPipeline pipeline) throws ImportException {
        return file != null ? pipeline.importFile(origin, file) : pipeline.importBytes(origin, name, data);
    }
}
