package io.dmarclens.store;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The data directory holds reports that name real people, password hashes and mail from strangers: what
 * the program creates there is for its own user only (directories 0700, files 0600), whatever the umask.
 * On a file system without POSIX permissions nothing is changed.
 */
public final class PrivateFiles {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {
    }

    /** Creates {@code dir} and its missing parents owner-only; an existing {@code dir} itself is made owner-only too. */
    public static Path createDirectories(Path dir) throws IOException {
        if (!POSIX) {
            return Files.createDirectories(dir);
        }
        Path created = Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR));
        Files.setPosixFilePermissions(dir, DIR);
        return created;
    }

    /** The attribute of a new owner-only file (none where the file system has no POSIX permissions). */
    public static FileAttribute<?>[] fileAttributes() {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)} : new FileAttribute<?>[0];
    }

    /** Creates {@code file} empty and owner-only when it does not exist yet. */
    public static void createFileIfAbsent(Path file) throws IOException {
        if (!Files.exists(file)) {
            try {
                Files.createFile(file, fileAttributes());
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // created meanwhile by another opener: theirs stands
            }
        }
    }
}
