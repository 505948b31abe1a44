package io.dmarclens.ingest;

import io.dmarclens.ingest.imap.ImapAccount;
import io.dmarclens.ingest.imap.ImapPoller;
import io.dmarclens.ingest.mailapi.MailApiAccount;
import io.dmarclens.ingest.mailapi.MailApiReader;
import io.dmarclens.ingest.oauth.AccessTokens;
import io.dmarclens.ingest.oauth.OAuthSettings;
import io.dmarclens.ingest.inbox.DurableInbox;
import io.dmarclens.ingest.inbox.InboxWorkers;
import io.dmarclens.store.ingestlog.IngestLog;
import io.dmarclens.ingest.inbox.MessageIntake;
import io.dmarclens.ingest.inbox.MessageProcessor;
import io.dmarclens.ingest.inbox.Quarantine;
import io.dmarclens.ingest.inbox.QuarantineBounds;
import io.dmarclens.ingest.smtp.SmtpReceiver;
import io.dmarclens.store.Clocks;
import io.dmarclens.store.ingestlog.IngestLog;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything that takes mail in, started together: the durable inbox and its workers (resuming what a
 * previous run accepted), the SMTP receiver and the IMAP pollers. {@link #close} stops them in the order
 * that loses nothing: first no new mail, then the workers finish the message each holds.
 */
public final class IngestService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);
    private static final Duration IMAP_OUTCOME_WAIT = Duration.ofMinutes(2);

    private final DurableInbox inbox;
    private final IngestLog log;
    private final InboxWorkers workers;
    private final MessageIntake intake;
    private final Quarantine quarantine;
    private final SmtpReceiver smtp;
    private final List<ImapPoller> pollers;
    private final List<MailApiReader> readers;
    private final QuarantineBounds bounds;

    private IngestService(DurableInbox inbox, IngestLog log, InboxWorkers workers, MessageIntake intake,
                          Quarantine quarantine, SmtpReceiver smtp, List<ImapPoller> pollers,
                          List<MailApiReader> readers, QuarantineBounds bounds) {
        this.bounds = bounds;
        this.inbox = inbox;
        this.log = log;
        this.workers = workers;
        this.intake = intake;
        this.quarantine = quarantine;
        this.smtp = smtp;
        this.pollers = pollers;
        this.readers = readers;
    }

    /**
     * Opens the inbox in {@code dataDir}, queues what it still holds, then starts the receivers. The
     * service records every message in {@code log} and closes it when it closes (or fails to start).
     *
     * @throws IOException when the inbox cannot be opened, or the SMTP port cannot be bound
     * @throws io.dmarclens.store.StoreException when the ingest log cannot be written
     */
    public static IngestService start(Path dataDir, IngestLog log, IngestSettings settings,
                                      MessageProcessor processor) throws IOException {
        return start(dataDir, log, settings, processor, Clocks.system());
    }

    /**
     * As {@link #start(Path, IngestLog, IngestSettings, MessageProcessor)}, with {@code clock} as the time of
     * arrival of messages (inbox ids).
     *
     * @throws IOException when the inbox cannot be opened, or the SMTP port cannot be bound
     * @throws io.dmarclens.store.StoreException when the ingest log cannot be written
     */
    public static IngestService start(Path dataDir, IngestLog log, IngestSettings settings,
                                      MessageProcessor processor, Clock clock) throws IOException {
        return start(dataDir, log, settings, processor, clock, mailbox -> io.dmarclens.store.cluster.Duty.always());
    }

    /**
     * As {@link #start(Path, IngestLog, IngestSettings, MessageProcessor, Clock)}, each mailbox (IMAP, Graph,
     * Gmail) read only while {@code mailboxDuty} of its lease name ({@link #leaseName}) holds: in a cluster, one
     * node at a time.
     *
     * @throws IOException when the inbox cannot be opened, or the SMTP port cannot be bound
     * @throws io.dmarclens.store.StoreException when the ingest log cannot be written
     */
    public static IngestService start(Path dataDir, IngestLog log, IngestSettings settings,
                                      MessageProcessor processor, Clock clock,
                                      java.util.function.Function<String, io.dmarclens.store.cluster.Duty> mailboxDuty)
            throws IOException {
        DurableInbox inbox;
        try {
            inbox = DurableInbox.open(dataDir, clock, settings.limits());
        } catch (IOException | RuntimeException e) {
            log.close();
            throw e;
        }
        InboxWorkers workers = new InboxWorkers(inbox, log, processor, settings.workers());
        SmtpReceiver smtp = null;
        QuarantineBounds bounds = null;
        List<ImapPoller> pollers = new ArrayList<>();
        List<MailApiReader> readers = new ArrayList<>();
        try {
            workers.recover();
            // Messages past the age bound since the last run, then on a schedule: old ones go even when
            // nothing new is quarantined.
            bounds = new QuarantineBounds(inbox, log);
            bounds.enforce();
            bounds.every(QuarantineBounds.interval(settings.limits().quarantineMaxAge()));
            MessageIntake intake = new MessageIntake(inbox, log, workers, settings.limits(), clock);
            // Every poller is made (its trusted certificates read) before SMTP listens: a mistake in an
            // account stops the start before anything accepts mail.
            // Token supplies are made here too (their key and certificate files read); tokens are fetched
            // only when a connection needs one.
            for (ImapAccount account : settings.imap()) {
                OAuthSettings oauth = settings.mailboxes().imapOAuth().get(account.name());
                pollers.add((oauth == null ? new ImapPoller(account, intake, IMAP_OUTCOME_WAIT)
                        : new ImapPoller(account, intake, IMAP_OUTCOME_WAIT,
                                oauth.open(account.user(), OAuthSettings.Use.IMAP, clock), clock))
                        .onDuty(mailboxDuty.apply(leaseName("imap", account.name()))));
            }
            for (Mailboxes.ApiMailbox mailbox : settings.mailboxes().apis()) {
                MailApiAccount account = mailbox.account();
                AccessTokens tokens = mailbox.oauth().open(account.user(), account.api() == MailApiAccount.Api.GRAPH
                        ? OAuthSettings.Use.GRAPH : OAuthSettings.Use.GMAIL, clock);
                readers.add(new MailApiReader(account, tokens, intake, IMAP_OUTCOME_WAIT, clock)
                        .onDuty(mailboxDuty.apply(leaseName(account.api().name().toLowerCase(java.util.Locale.ROOT),
                                account.name()))));
            }
            if (settings.smtp().enabled()) {
                smtp = SmtpReceiver.start(settings.smtp(), intake);
            }
            for (int i = 0; i < pollers.size(); i++) {
                pollers.get(i).start();
                LOG.info("IMAP poller started for {}", settings.imap().get(i));
            }
            for (int i = 0; i < readers.size(); i++) {
                readers.get(i).start();
                LOG.info("Mail API reader started for {}", settings.mailboxes().apis().get(i).account());
            }
            return new IngestService(inbox, log, workers, intake, new Quarantine(inbox, log, workers), smtp, pollers,
                    readers, bounds);
        } catch (IOException | RuntimeException e) {
            if (bounds != null) {
                bounds.close();
            }
            pollers.forEach(ImapPoller::close);
            readers.forEach(MailApiReader::close);
            if (smtp != null) {
                smtp.close();
            }
            workers.stop(Duration.ofSeconds(30));
            log.close();
            throw e;
        }
    }

    /**
     * The lease a mailbox is read under in a cluster: {@code imap:NAME}, {@code graph:NAME} or {@code gmail:NAME}
     * (account names are unique per kind, and the same on every node of a cluster).
     */
    public static String leaseName(String kind, String account) {
        return kind + ":" + account;
    }

    /** Where uploads (and any other channel) hand in messages. */
    public MessageIntake intake() {
        return intake;
    }

    public Quarantine quarantine() {
        return quarantine;
    }

    public IngestLog log() {
        return log;
    }

    /** Messages dropped from the quarantine, ever, to keep it within its bounds. */
    public long droppedFromQuarantine() throws IOException {
        return quarantine.dropped();
    }

    /**
     * Why the inbox cannot be processed now, in words (a directory not writable, a worker not running, the
     * store failing), or empty when it can.
     */
    public Optional<String> problem() {
        Optional<String> inboxProblem = inbox.problem();
        return inboxProblem.isPresent() ? inboxProblem : workers.problem();
    }

    /** Inbox worker threads running now. */
    public int liveWorkers() {
        return workers.liveWorkers();
    }

    /** Inbox workers that died and were replaced since the start. */
    public int workerRestarts() {
        return workers.restarts();
    }

    /** Messages accepted and not yet processed. */
    public int backlog() {
        return workers.backlog();
    }

    /** The running SMTP receiver, when enabled. */
    public Optional<SmtpReceiver> smtp() {
        return Optional.ofNullable(smtp);
    }

    public List<ImapPoller> imapPollers() {
        return List.copyOf(pollers);
    }

    /** The readers of mailboxes read through Graph or the Gmail API. */
    public List<MailApiReader> mailApiReaders() {
        return List.copyOf(readers);
    }

    /** Waits until every accepted message is processed, or {@code max} has passed; true when drained. */
    public boolean awaitIdle(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (workers.backlog() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** Stops taking mail, then lets the workers finish their current message; the rest waits in the inbox. */
    @Override
    public void close() throws IOException {
        if (smtp != null) {
            smtp.close();
        }
        pollers.forEach(ImapPoller::close);
        readers.forEach(MailApiReader::close);
        bounds.close();
        workers.stop(Duration.ofSeconds(60));
        log.close();
        LOG.info("Ingest stopped; {} messages wait in the inbox for the next start", Math.max(0, workers.backlog()));
    }
}
