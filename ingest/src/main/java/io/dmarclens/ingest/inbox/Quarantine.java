package io.dmarclens.ingest.inbox;

import io.dmarclens.store.StoreException;
import io.dmarclens.store.ingestlog.InboxIds;
import io.dmarclens.store.ingestlog.InboxMessage;
import io.dmarclens.store.ingestlog.IngestLog;
import io.dmarclens.store.ingestlog.IngestLogEntry;
import io.dmarclens.store.ingestlog.IngestLogPage;
import io.dmarclens.store.ingestlog.IngestStatus;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages that hold no readable report, kept with the reason: list them, read one, download its
 * bytes, retry it (after a parser fix, say) or delete it. The read API for the dashboard and the
 * {@code quarantine} command.
 *
 * <p>A quarantined message is kept twice: in this node's {@code quarantine/} directory, and its bytes in the
 * ingest log ({@link IngestLog#keepContent}), which on a shared store every node reads. So a message another
 * node quarantined (or a node that is gone) is shown, downloaded and retried here too: retrying takes its bytes
 * into this node's inbox under the same id. What is in this node's directory is read from there first.
 */
public final class Quarantine {
    /**
     * The origin detail of a message the quarantine holds without its content (an IMAP mail over the size
     * limit: only its header is kept), with its size: retrying it here cannot read it.
     */
    public static final String UNREAD = "unread";
    private static final Logger LOG = LoggerFactory.getLogger(Quarantine.class);

    private final DurableInbox inbox;
    private final IngestLog log;
    private final InboxWorkers workers;

    public Quarantine(DurableInbox inbox, IngestLog log, InboxWorkers workers) {
        this.inbox = inbox;
        this.log = log;
        this.workers = workers;
    }

    /** Quarantined messages, newest first. */
    public IngestLogPage list(int offset, int limit) throws IOException {
        return log.page(IngestStatus.QUARANTINED, offset, limit);
    }

    /** A quarantined message with its reason; empty for an unknown (or malformed) id. */
    public Optional<IngestLogEntry> get(String id) throws IOException {
        if (inbox.quarantined(id).isPresent()) {
            return log.get(id);
        }
        if (!InboxIds.isValid(id) || log.withContent(List.of(id)).isEmpty()) {
            return Optional.empty();
        }
        return log.get(id).filter(e -> e.status() == IngestStatus.QUARANTINED);
    }

    /** True while the quarantine holds the message (it may have been dropped to keep within its bounds). */
    public boolean holds(String id) {
        return held(List.of(id)).contains(id);
    }

    /** Which of these messages the quarantine of this node, or the shared ingest log, holds. */
    public Set<String> held(Collection<String> ids) {
        Set<String> out = new HashSet<>();
        List<String> elsewhere = new ArrayList<>();
        for (String id : ids) {
            try {
                if (inbox.quarantined(id).isPresent()) {
                    out.add(id);
                } else if (InboxIds.isValid(id)) {
                    elsewhere.add(id);
                }
            } catch (IOException e) {
                elsewhere.add(id);
            }
        }
        if (!elsewhere.isEmpty()) {
            out.addAll(log.withContent(elsewhere));
        }
        return out;
    }

    /**
     * The bytes of a quarantined message as received; the caller closes the stream.
     *
     * @throws java.nio.file.NoSuchFileException when neither this node nor the ingest log holds it
     */
    public InputStream open(String id) throws IOException {
        if (!InboxIds.isValid(id) || inbox.quarantined(id).isPresent()) {
            // A malformed id is refused there, as for a path.
            return inbox.openQuarantined(id);
        }
        Optional<byte[]> kept = log.content(id);
        if (kept.isEmpty()) {
            throw new NoSuchFileException("no quarantined message " + id);
        }
        return new ByteArrayInputStream(kept.get());
    }

    /**
     * Keeps the bytes of a message this node just quarantined in the ingest log, for the other nodes; a log that
     * cannot take them now is warned about (this node still has them).
     */
    public static void share(DurableInbox inbox, IngestLog log, String id) {
        try {
            if (inbox.quarantined(id).isEmpty()) {
                return; // dropped at once to keep within the bounds
            }
            byte[] bytes;
            try (InputStream in = inbox.openQuarantined(id)) {
                bytes = in.readAllBytes();
            }
            log.keepContent(id, bytes);
        } catch (IOException | StoreException e) {
            LOG.warn("Quarantined message {} is kept on this node only: {}", id, e.getMessage());
        }
    }

    /**
     * Moves the message back into the inbox and processes it again; the future completes with its new
     * log entry (quarantined again, with the reason, if it still holds no report).
     *
     * A message kept without its content ({@link #UNREAD}) is not processed: its entry, whose reason says
     * how it is read again, is the answer.
     *
     * @throws java.nio.file.NoSuchFileException when there is no quarantined message with this id
     */
    public CompletableFuture<IngestLogEntry> retry(String id) throws IOException {
        Optional<InboxMessage> kept = inbox.quarantined(id);
        if (kept.isPresent() && !kept.get().origin().detail(UNREAD).isEmpty()) {
            Optional<IngestLogEntry> entry = log.get(id);
            if (entry.isPresent()) {
                return CompletableFuture.completedFuture(entry.get());
            }
        }
        InboxMessage message;
        if (kept.isPresent()) {
            message = inbox.requeue(id);
        } else {
            // Quarantined by another node: its bytes come from the shared log, into this node's inbox.
            Optional<IngestLogEntry> entry = get(id);
            Optional<byte[]> bytes = entry.isPresent() ? log.content(id) : Optional.empty();
            if (bytes.isEmpty()) {
                throw new NoSuchFileException("no quarantined message " + id);
            }
            IngestLogEntry e = entry.get();
            if (!e.origin().detail(UNREAD).isEmpty()) {
                return CompletableFuture.completedFuture(e);
            }
            message = inbox.acceptAgain(new InboxMessage(id, e.receivedAt(), e.origin(), bytes.get().length, e.name()),
                    bytes.get());
        }
        return workers.submit(message).thenApply(done -> {
            if (done.status() != IngestStatus.QUARANTINED) {
                forget(id);
            }
            return done;
        });
    }

    private void forget(String id) {
        try {
            log.forgetContent(id);
        } catch (StoreException e) {
            LOG.warn("Cannot forget the quarantined bytes of message {} in the ingest log: {}", id, e.getMessage());
        }
    }

    /**
     * How many messages have been dropped, oldest first, to keep the quarantine within its size and age
     * bounds ({@code quarantine.max_size}, {@code quarantine.max_age}), ever.
     */
    public long dropped() throws IOException {
        return inbox.droppedFromQuarantine();
    }

    /** Deletes a quarantined message, here and in the shared log; its log entry stays. */
    public boolean delete(String id) throws IOException {
        boolean shared = InboxIds.isValid(id) && !log.withContent(List.of(id)).isEmpty();
        boolean here = inbox.deleteQuarantined(id);
        if (shared) {
            forget(id);
        }
        return here || shared;
    }
}
