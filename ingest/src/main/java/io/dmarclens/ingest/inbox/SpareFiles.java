package io.dmarclens.ingest.inbox;

import io.dmarclens.store.PrivateFiles;
import java.util.Set;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Files of processed inbox messages, kept to be written over by the next messages instead of being
 * deleted. On ext4, creating a file soon after many were deleted is slow: the inode allocator skips every
 * inode freed in the last seconds, reading the inode table as it goes. A receiver that deletes two files
 * per message and creates two more spent more than half of its SMTP sessions' CPU there under a burst
 * ({@code bench smtp}: 4.0 ms of CPU per message, 1.8 with this pool). Renames keep the inode, so a
 * spare file is renamed into place and truncated.
 *
 * <p>At most {@code capacity} files are kept; more are deleted. Files over 16 KiB are truncated when
 * they become spare, so the pool holds little disk space (at most 16 KiB a file; a typical aggregate
 * report mail is 2 to 10 KiB). A spare file may hold the bytes of a processed
 * message until it is reused (the store keeps a copy of every processed message anyway).
 */
final class SpareFiles {
    /** Files larger than this are emptied when they become spare. */
    private static final long TRUNCATE_ABOVE = 16 * 1024;

    private final Path dir;
    private final int capacity;
    private final Queue<Path> files = new ConcurrentLinkedQueue<>();
    private final AtomicInteger count = new AtomicInteger();

    private SpareFiles(Path dir, int capacity) {
        this.dir = dir;
        this.capacity = capacity;
    }

    /** Opens the pool in {@code dir} (created when missing) with the spare files a previous run left there. */
    static SpareFiles open(Path dir, int capacity) throws IOException {
        PrivateFiles.createDirectories(dir);
        SpareFiles spares = new SpareFiles(dir, capacity);
        try (DirectoryStream<Path> left = Files.newDirectoryStream(dir)) {
            for (Path p : left) {
                if (spares.count.get() < capacity && Files.isRegularFile(p)) {
                    spares.files.add(p);
                    spares.count.incrementAndGet();
                } else {
                    Files.deleteIfExists(p);
                }
            }
        }
        return spares;
    }

    /**
     * Opens {@code target} (which must not exist) empty for writing: a spare file renamed there when there
     * is one, else a new file.
     */
    FileChannel create(Path target) throws IOException {
        Path spare;
        while ((spare = files.poll()) != null) {
            count.decrementAndGet();
            try {
                Files.move(spare, target, StandardCopyOption.ATOMIC_MOVE);
                return FileChannel.open(target, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            } catch (NoSuchFileException gone) {
                // removed behind our back: try the next one
            }
        }
        return FileChannel.open(target, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PrivateFiles.fileAttributes());
    }

    /** Takes a file that is no longer needed: keeps it as a spare, or deletes it when the pool is full. */
    void recycle(Path file) throws IOException {
        if (count.incrementAndGet() > capacity) {
            count.decrementAndGet();
            Files.deleteIfExists(file);
            return;
        }
        Path spare = dir.resolve(file.getFileName());
        try {
            Files.move(file, spare, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException gone) {
            count.decrementAndGet();
            return;
        } catch (IOException e) {
            count.decrementAndGet();
            throw e;
        }
        if (Files.size(spare) > TRUNCATE_ABOVE) {
            try (FileChannel ch = FileChannel.open(spare, StandardOpenOption.WRITE)) {
                ch.truncate(0);
            }
        }
        files.add(spare);
    }

    /** Spare files kept now. */
    int size() {
        return count.get();
    }
}
