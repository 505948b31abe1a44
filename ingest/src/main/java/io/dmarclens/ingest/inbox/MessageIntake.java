package io.dmarclens.ingest.inbox;

import io.dmarclens.store.ingestlog.InboxMessage;
import io.dmarclens.store.ingestlog.IngestLog;
import io.dmarclens.store.ingestlog.IngestLogEntry;
import io.dmarclens.store.ingestlog.IngestStatus;
import io.dmarclens.store.ingestlog.MessageOrigin;
import io.dmarclens.store.ingestlog.ProcessingResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import io.dmarclens.store.Clocks;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where every channel (SMTP, IMAP, upload) hands in a message: stores it durably, logs it and queues it
 * for processing. {@link #accept} returns only once the message is safe on disk, so the caller may then
 * acknowledge it to its sender; it waits for the ingest log's entry a few seconds at most ({@link IntakeLog}).
 */
public final class MessageIntake {
    private static final Logger LOG = LoggerFactory.getLogger(MessageIntake.class);

    /**
     * How long a message waits for room in its sender's allowance while the allowance is full of the
     * sender's messages still being processed (a reporter's burst: they are credited back as they are
     * stored); the SMTP session or upload waits with it.
     */
    static final Duration CREDIT_WAIT = Duration.ofSeconds(10);

    private final DurableInbox inbox;
    private final IngestLog log;
    private final IntakeLog intakeLog;
    private final InboxWorkers workers;
    private final long minFreeDisk;
    private final JunkLimiter junk;

    /** An intake without limits (tools, tests); {@code serve} uses the other constructor. */
    public MessageIntake(DurableInbox inbox, IngestLog log, InboxWorkers workers) {
        this(inbox, log, workers, InboxLimits.none(), Clocks.system());
    }

    /**
     * @param limits the free disk to keep and the junk allowed per sender
     * @param clock  the time junk is counted by
     */
    public MessageIntake(DurableInbox inbox, IngestLog log, InboxWorkers workers, InboxLimits limits, Clock clock) {
        this.inbox = inbox;
        this.log = log;
        this.intakeLog = new IntakeLog(log);
        this.workers = workers;
        this.minFreeDisk = limits.minFreeDisk();
        this.junk = new JunkLimiter(limits.junkPerSender(), InboxLimits.JUNK_WINDOW, clock);
    }

    /** True when the disk has less free space than it must keep: new messages would be refused. */
    public boolean diskLow() {
        if (minFreeDisk == 0) {
            return false;
        }
        try {
            return inbox.freeDisk() < minFreeDisk;
        } catch (IOException e) {
            LOG.warn("Cannot read the free space of the inbox's disk: {}", e.getMessage());
            return true;
        }
    }

    /**
     * False when the sender of a message from {@code origin} has used its allowance (messages pending or
     * quarantined within the hour); counts nothing, {@link #accept} decides.
     */
    public boolean allows(MessageOrigin origin) {
        return junk.allows(JunkLimiter.sender(origin));
    }

    /**
     * Stores and queues a message.
     *
     * @throws MessageTooLargeException when it is longer than {@code maxBytes} (logged as rejected)
     * @throws DiskLowException         when the disk is below its free-space threshold (logged as rejected)
     * @throws SenderThrottledException when the sender has used its allowance: {@code junkPerSender} messages
     *                                  pending or quarantined within the hour (logged as rejected)
     * @throws InboxWriteException      when the inbox cannot be written (logged as rejected); retry later
     * @throws IOException              when reading {@code data} fails; nothing was kept
     */
    public AcceptedMessage accept(MessageOrigin origin, String name, InputStream data, long maxBytes)
            throws IOException {
        if (diskLow()) {
            rejected(origin, 0, "disk low: less than " + minFreeDisk + " bytes free");
            throw new DiskLowException("less than " + minFreeDisk + " bytes free on the inbox's disk");
        }
        String sender = JunkLimiter.sender(origin);
        // Counted now, in the same step as the check: a burst cannot pass the allowance while in flight.
        JunkLimiter.Charge charge;
        try {
            charge = junk.charge(sender, CREDIT_WAIT).orElse(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            charge = null;
        }
        if (charge == null) {
            rejected(origin, 0, "too many messages without a report (waiting or quarantined) from this sender within the hour");
            throw new SenderThrottledException("too much junk from " + sender + " within the hour");
        }
        InboxMessage message;
        try {
            message = inbox.accept(origin, name, data, maxBytes);
        } catch (MessageTooLargeException e) {
            charge.release();
            rejected(origin, e.limit(), "too large: more than " + e.limit() + " bytes");
            throw e;
        } catch (InboxWriteException e) {
            charge.release();
            rejected(origin, 0, "inbox not writable: " + e.getMessage());
            throw e;
        } catch (IOException | RuntimeException e) {
            charge.release(); // the sender went away: nothing was kept
            throw e;
        }
        intakeLog.accepted(message);
        // Asked for before the message is queued: a message processed at once leaves no waiting future behind.
        CompletableFuture<Void> waits = workers.waitingForStore(message.id());
        AcceptedMessage accepted = new AcceptedMessage(message, workers.submit(message));
        waits.thenRun(charge::waitsForStore); // waiting for the store is not junk
        charge.settleWith(accepted.outcome());
        return accepted;
    }

    public AcceptedMessage accept(MessageOrigin origin, String name, byte[] data) throws IOException {
        return accept(origin, name, new ByteArrayInputStream(data), Long.MAX_VALUE);
    }

    /**
     * Keeps a message that was not read in full (an IMAP mail over the size limit) in quarantine, where
     * unreadable mail goes: {@code standIn} (its headers and a note) is what the quarantine holds, the log
     * entry gets the mail's real size and the reason. It is not processed.
     *
     * @return the QUARANTINED log entry
     * @throws InboxWriteException when the inbox cannot be written; retry later
     */
    public IngestLogEntry quarantineUnread(MessageOrigin origin, byte[] standIn, long size, String reason)
            throws IOException {
        InboxMessage kept = inbox.accept(origin, "", standIn);
        inbox.quarantine(kept);
        InboxMessage logged = new InboxMessage(kept.id(), kept.receivedAt(), origin, size, kept.name());
        log.accepted(logged);
        IngestLogEntry entry = log.finished(logged, ProcessingResult.invalid(reason));
        Quarantine.share(inbox, log, kept.id());
        return entry;
    }

    /** Logs a message refused before acceptance; never fails, the refusal itself matters more. */
    public void rejected(MessageOrigin origin, long size, String reason) {
        intakeLog.rejected(origin, size, reason);
    }

    /** What became of a message read from the same source before (an IMAP message read again). */
    public Optional<IngestLogEntry> previously(String sourceKey) throws IOException {
        return log.bySourceKey(sourceKey);
    }

    /**
     * What became of an earlier copy of a message listed again by a mailbox (IMAP, Graph, Gmail): its final
     * entry, or the completion of its processing in this run. Empty when it must be read again: the earlier
     * copy was refused, or is neither final nor in this run's queue.
     */
    public Optional<CompletableFuture<IngestLogEntry>> earlierOutcome(IngestLogEntry earlier) throws IOException {
        if (earlier.status() == IngestStatus.REJECTED) {
            return Optional.empty();
        }
        if (earlier.status().isFinal()) {
            return Optional.of(CompletableFuture.completedFuture(earlier));
        }
        Optional<CompletableFuture<IngestLogEntry>> queued = pending(earlier.id());
        if (queued.isPresent()) {
            return queued;
        }
        // It may have finished between the two looks: then its final entry is logged, and reading it again
        // would accept it twice.
        return previously(earlier.origin().sourceKey())
                .filter(e -> e.status().isFinal() && e.status() != IngestStatus.REJECTED)
                .map(CompletableFuture::completedFuture);
    }

    /** The completion of a message still queued in this run, when there is one. */
    public Optional<CompletableFuture<IngestLogEntry>> pending(String id) {
        return Optional.ofNullable(workers.outcome(id));
    }
}
