package io.dmarclens.app.cli;

import io.dmarclens.index.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --data} option every command shares, with one default. Commands that only read ask for
 * {@link #existingStore()}, so that a mistyped path is an error naming it rather than a new, empty store
 * answering "0 hits"; only {@code import}, {@code serve} and {@code users add} create a data directory.
 */
public final class DataDirOption {
    /** The default data directory, relative to the working directory. */
    public static final String DEFAULT = "data";

    @Option(names = "--data", paramLabel = "DIR", description = "data directory (default: " + DEFAULT + ")")
    Path dir;

    /** The directory given, or the default. */
    public Path path() {
        return dir != null ? dir : Path.of(DEFAULT);
    }

    /** Whether {@code --data} was given on the command line. */
    public boolean given() {
        return dir != null;
    }

    /** Whether the directory holds a report store ({@code dmarc-lens.db}). */
    public boolean holdsStore() {
        return Files.isRegularFile(path().resolve(Database.FILE_NAME));
    }

    /**
     * The directory, for a command that only reads it.
     *
     * @throws CliError (exit status 2) naming the path when it holds no store
     */
    public Path existingStore() {
        return existing(Database.FILE_NAME);
    }

    /**
     * The directory, for a command that only reads {@code file} in it (the quarantine reads {@code ingest.db}).
     *
     * @throws CliError (exit status 2) naming the path when the file is not there
     */
    public Path existing(String file) {
        if (!Files.isRegularFile(path().resolve(file))) {
            throw new CliError(2, "no store in " + path().toAbsolutePath() + " (no " + file
                    + "): check --data, or import reports first");
        }
        return path();
    }
}
