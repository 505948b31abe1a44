package io.dmarclens.ingest.importer;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Expands the paths given to {@code import} into the files to read: a file is itself; a directory is
 * every file below it (symbolic links to directories are not followed, hidden files are skipped); a
 * Maildir (a directory with {@code cur/} and {@code new/}) is the messages in {@code cur/} and
 * {@code new/}, never {@code tmp/} or the mail server's index files.
 */
public final class InputFinder {
    /** A path that could not be listed or does not exist. */
    public record Problem(Path path, String reason) {
    }

    private final List<Path> files = new ArrayList<>();
    private final List<Problem> problems = new ArrayList<>();

    public static InputFinder find(List<Path> paths) {
        InputFinder finder = new InputFinder();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                finder.directory(path);
            } else if (Files.isRegularFile(path)) {
                finder.files.add(path);
            } else {
                finder.problems.add(new Problem(path, Files.exists(path) ? "not a regular file or directory"
                        : "no such file or directory"));
            }
        }
        return finder;
    }

    public List<Path> files() {
        return files;
    }

    public List<Problem> problems() {
        return problems;
    }

    static boolean isMaildir(Path dir) {
        return Files.isDirectory(dir.resolve("cur")) && Files.isDirectory(dir.resolve("new"));
    }

    private void directory(Path dir) {
        if (isMaildir(dir)) {
            messages(dir.resolve("cur"));
            messages(dir.resolve("new"));
        }
        for (Path entry : sortedEntries(dir)) {
            String name = entry.getFileName().toString();
            boolean hidden = name.startsWith(".");
            if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                boolean maildirPart = isMaildir(dir) && (name.equals("cur") || name.equals("new") || name.equals("tmp"));
                if (!maildirPart && (!hidden || isMaildir(entry))) {
                    directory(entry);
                }
            } else if (!isMaildir(dir) && !hidden && Files.isRegularFile(entry)) {
                files.add(entry);
            }
        }
    }

    private void messages(Path dir) {
        for (Path entry : sortedEntries(dir)) {
            if (Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
                files.add(entry);
            }
        }
    }

    private List<Path> sortedEntries(Path dir) {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(entries::add);
        } catch (IOException e) {
            problems.add(new Problem(dir, "cannot list the directory: " + e.getMessage()));
        }
        entries.sort(null);
        return entries;
    }
}
