package io.dmarclens.ingest.inbox;

import io.dmarclens.store.PrivateFiles;
import io.dmarclens.store.Clocks;
import io.dmarclens.store.ingestlog.InboxIds;
import io.dmarclens.store.ingestlog.InboxMessage;
import io.dmarclens.store.ingestlog.MessageOrigin;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages on disk between their acceptance and their processing, so that none is lost when the
 * process dies. A message is written to {@code inbox/tmp}, fsynced, then renamed into
 * {@code inbox/new} and the directory fsynced: only then does {@link #accept} return and the sender get
 * its acknowledgement. Each message is two files, {@code ID.msg} (the bytes as received) and
 * {@code ID.meta} (where it came from); the {@code .msg} rename is the commit point. The files of
 * processed messages go to {@code inbox/spare/} to be written over by later messages ({@link SpareFiles});
 * messages without a report move to {@code quarantine/}.
 */
public final class DurableInbox {
    private static final Logger LOG = LoggerFactory.getLogger(DurableInbox.class);
    private static final String DATA = ".msg";
    private static final String META = ".meta";
    private static final int BUFFER = 64 * 1024;
    /** Processed messages' files kept for reuse (two per message): enough for a burst's worth in flight. */
    private static final int SPARE_FILES = 4096;

    private final Path tmp;
    private final Path pending;
    private final Path quarantine;
    private final SpareFiles spares;
    private final Clock clock;
    private final InboxLimits limits;
    private final Path droppedCount;

    private DurableInbox(Path tmp, Path pending, Path quarantine, SpareFiles spares, Clock clock, InboxLimits limits,
                         Path droppedCount) {
        this.tmp = tmp;
        this.pending = pending;
        this.quarantine = quarantine;
        this.spares = spares;
        this.clock = clock;
        this.limits = limits;
        this.droppedCount = droppedCount;
    }

    /** Opens (creating when needed) the inbox under {@code dataDir/inbox} and {@code dataDir/quarantine}. */
    public static DurableInbox open(Path dataDir, Clock clock) throws IOException {
        return open(dataDir, clock, InboxLimits.none());
    }

    /**
     * Opens the inbox, bounding its quarantine by {@code limits}: each time a message is quarantined, the
     * oldest quarantined messages past the size or age bound are dropped (and counted).
     */
    public static DurableInbox open(Path dataDir, Clock clock, InboxLimits limits) throws IOException {
        Path root = dataDir.resolve("inbox");
        DurableInbox inbox = new DurableInbox(root.resolve("tmp"), root.resolve("new"),
                dataDir.resolve("quarantine"), SpareFiles.open(root.resolve("spare"), SPARE_FILES), clock, limits,
                root.resolve("quarantine-dropped"));
        PrivateFiles.createDirectories(inbox.tmp);
        PrivateFiles.createDirectories(inbox.pending);
        PrivateFiles.createDirectories(inbox.quarantine);
        return inbox;
    }

    /** The bytes left for us on the disk that holds the inbox. */
    public long freeDisk() throws IOException {
        return Files.getFileStore(tmp).getUsableSpace();
    }

    public static DurableInbox open(Path dataDir) throws IOException {
        return open(dataDir, Clocks.system());
    }

    /**
     * Stores a message durably. Reads {@code data} to its end, but never keeps more than
     * {@code maxBytes} of it.
     *
     * @throws MessageTooLargeException when the message is longer than {@code maxBytes}; nothing is kept,
     *                                  and the rest of the stream is left unread
     * @throws InboxWriteException      when the inbox cannot be written (the sender should retry later)
     * @throws IOException              when reading {@code data} fails (the sender went away); nothing is kept
     */
    public InboxMessage accept(MessageOrigin origin, String name, InputStream data, long maxBytes)
            throws IOException {
        Instant now = clock.instant();
        return write(InboxIds.next(now), now, origin, name, data, maxBytes);
    }

    /**
     * Takes a message quarantined by another node (its bytes kept in the shared ingest log) into this inbox under
     * its own id and time, to be processed again here.
     *
     * @throws InboxWriteException when the inbox cannot be written
     */
    public InboxMessage acceptAgain(InboxMessage kept, byte[] data) throws IOException {
        checkId(kept.id());
        return write(kept.id(), kept.receivedAt(), kept.origin(), kept.name(), new java.io.ByteArrayInputStream(data),
                Long.MAX_VALUE);
    }

    private InboxMessage write(String id, Instant now, MessageOrigin origin, String name, InputStream data,
                               long maxBytes) throws IOException {
        Path tmpData = tmp.resolve(id + DATA);
        Path tmpMeta = tmp.resolve(id + META);
        boolean committed = false;
        try {
            long size = copyCapped(data, tmpData, maxBytes);
            InboxMessage message = new InboxMessage(id, now, origin, size, name);
            try {
                writeMeta(tmpMeta, message);
                // The meta file first, so a committed .msg always has its origin beside it.
                Files.move(tmpMeta, pending.resolve(id + META), StandardCopyOption.ATOMIC_MOVE);
                Files.move(tmpData, pending.resolve(id + DATA), StandardCopyOption.ATOMIC_MOVE);
                fsyncDirectory(pending);
            } catch (IOException e) {
                throw new InboxWriteException("cannot write message to the inbox " + pending + ": " + e, e);
            }
            committed = true;
            return message;
        } finally {
            if (!committed) {
                deleteQuietly(tmpData);
                deleteQuietly(tmpMeta);
                deleteQuietly(pending.resolve(id + META));
            }
        }
    }

    /** Stores a message held in memory; see {@link #accept(MessageOrigin, String, InputStream, long)}. */
    public InboxMessage accept(MessageOrigin origin, String name, byte[] data) throws IOException {
        return accept(origin, name, new java.io.ByteArrayInputStream(data), Long.MAX_VALUE);
    }

    private long copyCapped(InputStream in, Path target, long maxBytes) throws IOException {
        FileChannel out;
        try {
            out = spares.create(target);
        } catch (IOException e) {
            throw new InboxWriteException("cannot create " + target + ": " + e, e);
        }
        try (out) {
            byte[] buffer = new byte[BUFFER];
            long size = 0;
            int n;
            while ((n = in.read(buffer)) >= 0) {
                size += n;
                if (size > maxBytes) {
                    throw new MessageTooLargeException(maxBytes);
                }
                try {
                    ByteBuffer bb = ByteBuffer.wrap(buffer, 0, n);
                    while (bb.hasRemaining()) {
                        out.write(bb);
                    }
                } catch (IOException e) {
                    throw new InboxWriteException("cannot write " + target + ": " + e, e);
                }
            }
            try {
                out.force(true);
            } catch (IOException e) {
                throw new InboxWriteException("cannot fsync " + target + ": " + e, e);
            }
            return size;
        }
    }

    private void writeMeta(Path file, InboxMessage message) throws IOException {
        Properties p = new Properties();
        p.setProperty("id", message.id());
        p.setProperty("received", message.receivedAt().toString());
        p.setProperty("channel", message.origin().channel().name());
        p.setProperty("size", Long.toString(message.size()));
        p.setProperty("name", message.name());
        message.origin().details().forEach((k, v) -> p.setProperty("origin." + k, v));
        p.setProperty("origin-order", String.join(",", message.origin().details().keySet()));
        try (FileChannel ch = spares.create(file);
             Writer w = java.nio.channels.Channels.newWriter(ch, StandardCharsets.UTF_8)) {
            p.store(w, null);
            w.flush();
            ch.force(true);
        }
    }

    private static InboxMessage readMeta(Path meta, Path data, String id) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        Map<String, String> details = new LinkedHashMap<>();
        // Properties forgets the order of keys; origin-order keeps it.
        for (String key : p.getProperty("origin-order", "").split(",")) {
            if (!key.isEmpty()) {
                details.put(key, p.getProperty("origin." + key, ""));
            }
        }
        MessageOrigin origin = new MessageOrigin(MessageOrigin.Channel.valueOf(p.getProperty("channel")), details);
        long size = Files.size(data);
        return new InboxMessage(id, Instant.parse(p.getProperty("received")), origin, size, p.getProperty("name", ""));
    }

    /**
     * The messages accepted and not yet processed, oldest first. Call once at start-up, before any
     * {@link #accept}: it also removes the remains of writes a crash interrupted.
     */
    public List<InboxMessage> recover() throws IOException {
        int removed = 0;
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(tmp)) {
            for (Path p : leftovers) {
                Files.deleteIfExists(p);
                removed++;
            }
        }
        if (removed > 0) {
            LOG.info("Removed {} unfinished inbox writes (never acknowledged) from {}", removed, tmp);
        }
        TreeSet<String> dataIds = new TreeSet<>();
        List<Path> metas = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(pending)) {
            for (Path p : files) {
                String file = p.getFileName().toString();
                if (file.endsWith(DATA) && InboxIds.isValid(stem(file))) {
                    dataIds.add(stem(file));
                } else if (file.endsWith(META)) {
                    metas.add(p);
                }
            }
        }
        for (Path meta : metas) {
            if (!dataIds.contains(stem(meta.getFileName().toString()))) {
                Files.deleteIfExists(meta); // an accept that crashed before its commit point
            }
        }
        List<InboxMessage> messages = new ArrayList<>();
        for (String id : dataIds) {
            messages.add(describe(pending, id));
        }
        return messages;
    }

    private InboxMessage describe(Path dir, String id) throws IOException {
        Path data = dir.resolve(id + DATA);
        Path meta = dir.resolve(id + META);
        if (Files.exists(meta)) {
            return readMeta(meta, data, id);
        }
        // Only a crash between renames on a file system that reorders them gets here; keep the message.
        LOG.warn("Inbox message {} has no origin file; processing it as 'recovered'", id);
        return new InboxMessage(id, clock.instant(), MessageOrigin.file("recovered inbox message " + id),
                Files.size(data), "");
    }

    /** Why messages cannot be accepted or moved now (a directory is gone or read-only, the disk below
     * {@link InboxLimits#minFreeDisk()}), or empty. */
    public Optional<String> problem() {
        Map<String, Path> dirs = Map.of("inbox/tmp", tmp, "inbox/new", pending, "quarantine", quarantine);
        for (Map.Entry<String, Path> dir : new java.util.TreeMap<>(dirs).entrySet()) {
            if (!Files.isDirectory(dir.getValue()) || !Files.isWritable(dir.getValue())) {
                return Optional.of("the directory " + dir.getKey() + " in the data directory is not writable");
            }
        }
        // Below the threshold new messages are refused (452), so the sender keeps them: say so before it happens
        // for long, rather than only in the SMTP replies nobody reads.
        try {
            long free = freeDisk();
            if (free < limits.minFreeDisk()) {
                return Optional.of("the disk of the data directory has " + (free >> 20) + " MiB free, below"
                        + " inbox.min_free_disk (" + (limits.minFreeDisk() >> 20) + " MiB): new messages are refused;"
                        + " free some space");
            }
        } catch (IOException e) {
            return Optional.of("the free space of the data directory's disk cannot be read: " + e.getMessage());
        }
        return Optional.empty();
    }

    /** Where the bytes of a pending message are, to be read by the pipeline. */
    public Path pendingData(InboxMessage message) {
        return pending.resolve(message.id() + DATA);
    }

    /** The message has been stored: forgets it (its files become spares). */
    public void complete(InboxMessage message) throws IOException {
        // Data first: a crash in between leaves only an orphan .meta, removed by recover().
        spares.recycle(pending.resolve(message.id() + DATA));
        spares.recycle(pending.resolve(message.id() + META));
    }

    /**
     * The message holds no report: keeps it in quarantine until a user retries or deletes it, then keeps the
     * quarantine within its bounds.
     *
     * @return the messages dropped to keep within the bounds (the new one too, when it alone is past them)
     */
    public List<DroppedMessage> quarantine(InboxMessage message) throws IOException {
        moveBoth(message.id(), pending, quarantine);
        return boundQuarantine();
    }

    /**
     * Drops quarantined messages, oldest first, while the quarantine is larger than its bound or they are
     * older than its age bound; a stranger's junk must not fill the disk. Counted ({@link #droppedFromQuarantine}).
     *
     * @return the messages dropped, with the bound that dropped each
     */
    public synchronized List<DroppedMessage> boundQuarantine() throws IOException {
        TreeSet<String> ids = new TreeSet<>(); // ids sort in arrival order
        long total = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(quarantine, "*" + DATA)) {
            for (Path f : files) {
                String id = stem(f.getFileName().toString());
                if (InboxIds.isValid(id)) {
                    ids.add(id);
                    total += Files.size(f);
                }
            }
        }
        Instant oldestKept = clock.instant().minus(limits.quarantineMaxAge());
        List<DroppedMessage> dropped = new ArrayList<>();
        for (String id : ids) {
            boolean tooOld = InboxIds.time(id).isBefore(oldestKept);
            if (total <= limits.quarantineMaxBytes() && !tooOld) {
                break;
            }
            Path data = quarantine.resolve(id + DATA);
            long size = Files.size(data);
            if (deleteQuarantined(id)) {
                dropped.add(new DroppedMessage(id, tooOld
                        ? "dropped from the quarantine: older than " + days(limits.quarantineMaxAge())
                                + " (quarantine.max_age)"
                        : "dropped from the quarantine, oldest first: it held " + total + " bytes, more than "
                                + limits.quarantineMaxBytes() + " (quarantine.max_size)"));
                total -= size;
            }
        }
        if (!dropped.isEmpty()) {
            long count = droppedFromQuarantine() + dropped.size();
            Path next = droppedCount.resolveSibling(droppedCount.getFileName() + ".tmp");
            Files.writeString(next, Long.toString(count), StandardCharsets.US_ASCII);
            Files.move(next, droppedCount, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            LOG.warn("Dropped {} messages from the quarantine (oldest first) to keep it within {} bytes and {}: {}",
                    dropped.size(), limits.quarantineMaxBytes(), limits.quarantineMaxAge(),
                    dropped.stream().map(DroppedMessage::id).toList());
        }
        return dropped;
    }

    private static String days(java.time.Duration age) {
        return age.toHours() % 24 == 0 && age.toDays() > 0 ? age.toDays() + " days" : age.toString();
    }

    /** How many quarantined messages have been dropped to keep the quarantine within its bounds, ever. */
    public long droppedFromQuarantine() throws IOException {
        try {
            return Long.parseLong(Files.readString(droppedCount, StandardCharsets.US_ASCII).trim());
        } catch (NoSuchFileException e) {
            return 0;
        } catch (NumberFormatException e) {
            LOG.warn("Cannot read the count of messages dropped from quarantine in {}; counting from 0", droppedCount);
            return 0;
        }
    }

    /** Moves a quarantined message back into the inbox, to be processed again. */
    public InboxMessage requeue(String id) throws IOException {
        checkId(id);
        if (!Files.exists(quarantine.resolve(id + DATA))) {
            throw new NoSuchFileException("no quarantined message " + id);
        }
        moveBoth(id, quarantine, pending);
        return describe(pending, id);
    }

    /** A quarantined message, when there is one with this id. */
    public Optional<InboxMessage> quarantined(String id) throws IOException {
        if (!InboxIds.isValid(id) || !Files.exists(quarantine.resolve(id + DATA))) {
            return Optional.empty();
        }
        return Optional.of(describe(quarantine, id));
    }

    /**
     * The file of a quarantined message under {@code dataDir}, for commands that only look: unlike
     * {@link #open} it creates nothing and needs no write access. Empty for an id the inbox never gives
     * out and for a message the quarantine does not hold.
     */
    public static Optional<Path> quarantinedFile(Path dataDir, String id) {
        if (!InboxIds.isValid(id)) {
            return Optional.empty();
        }
        Path file = dataDir.resolve("quarantine").resolve(id + DATA);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    /** Opens the bytes of a quarantined message, for download. */
    public InputStream openQuarantined(String id) throws IOException {
        checkId(id);
        return Files.newInputStream(quarantine.resolve(id + DATA));
    }

    /** Deletes a quarantined message for good. */
    public boolean deleteQuarantined(String id) throws IOException {
        checkId(id);
        boolean existed = Files.deleteIfExists(quarantine.resolve(id + DATA));
        Files.deleteIfExists(quarantine.resolve(id + META));
        return existed;
    }

    private void moveBoth(String id, Path from, Path to) throws IOException {
        Path meta = from.resolve(id + META);
        if (Files.exists(meta)) {
            Files.move(meta, to.resolve(id + META), StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(from.resolve(id + DATA), to.resolve(id + DATA), StandardCopyOption.ATOMIC_MOVE);
        fsyncDirectory(to);
        fsyncDirectory(from);
    }

    private static void checkId(String id) {
        if (!InboxIds.isValid(id)) {
            throw new IllegalArgumentException("not a message id: " + id);
        }
    }

    private static String stem(String file) {
        int dot = file.lastIndexOf('.');
        return dot < 0 ? file : file.substring(0, dot);
    }

    private static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.debug("Cannot delete {}: {}", p, e.toString());
        }
    }
}
