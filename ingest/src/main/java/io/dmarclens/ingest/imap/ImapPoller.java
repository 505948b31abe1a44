package io.dmarclens.ingest.imap;

import io.dmarclens.ingest.inbox.AcceptedMessage;
import io.dmarclens.store.ingestlog.IngestLogEntry;
import io.dmarclens.store.ingestlog.IngestStatus;
import io.dmarclens.ingest.inbox.MessageIntake;
import io.dmarclens.ingest.inbox.Quarantine;
import io.dmarclens.store.ingestlog.MessageOrigin;
import io.dmarclens.ingest.inbox.MessageTooLargeException;
import io.dmarclens.ingest.oauth.AccessToken;
import io.dmarclens.ingest.oauth.AccessTokens;
import io.dmarclens.parser.Bounded;
import io.dmarclens.store.Clocks;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import jakarta.mail.search.AndTerm;
import jakarta.mail.search.ComparisonTerm;
import jakarta.mail.search.FlagTerm;
import jakarta.mail.search.SizeTerm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Empties one IMAP mailbox into the durable inbox. Each round reads up to a batch of unseen messages (with
 * {@code after_import: move}: of any message still in the folder), writes each to the inbox, waits until each is stored or quarantined, and only then moves it to the
 * archive folder for its outcome (or marks it seen). A message read again later (the move failed, the
 * process died) is recognised by its UIDVALIDITY and UID and not imported twice. Between rounds it waits
 * with IDLE when the server has it, else polls; it reconnects with a growing delay after failures.
 */
public final class ImapPoller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ImapPoller.class);
    private static final Duration FIRST_RECONNECT = Duration.ofSeconds(1);
    private static final Duration LAST_RECONNECT = Duration.ofMinutes(5);
    /** The keyword on mails moved to the Invalid folder because they were too large to read. */
    static final String TOO_LARGE = "DmarcLensTooLarge";
    /** How much of a too-large mail's header the quarantine keeps. */
    private static final int STAND_IN_HEADERS = 64 * 1024;

    private final ImapAccount account;
    private final MessageIntake intake;
    private final Duration outcomeTimeout;
    /** Where OAuth2 access tokens come from; null when the account logs in with a password. */
    private final AccessTokens tokens;
    private final Clock clock;
    private final Thread thread;
    private final ScheduledExecutorService idleWatchdog;
    /** TLS sockets trusting the account's own certificates; null for the JVM's trust store. */
    private final SSLSocketFactory trustedTls;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final AtomicLong archived = new AtomicLong();
    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean running = true;
    private volatile String lastFailure;
    /** Whether a whole cycle of the current connection worked (cleared by a failure). */
    private volatile boolean connected;
    private volatile Store store;
    /** Whether this node may poll the mailbox now (in a cluster: it holds the mailbox's lease). */
    private volatile io.dmarclens.store.cluster.Duty duty = io.dmarclens.store.cluster.Duty.always();
    /** Whether the next round reads every message not yet moved, seen or not (after a start or a lease takeover). */
    private volatile boolean readLeftOver = true;

    /**
     * @param outcomeTimeout how long a round waits for its messages to be processed before leaving the
     *                       rest for the next round
     * @throws IllegalArgumentException when the account's trusted certificates cannot be read
     */
    public ImapPoller(ImapAccount account, MessageIntake intake, Duration outcomeTimeout) {
        this(account, intake, outcomeTimeout,
                account.accessToken() != null ? AccessTokens.fixed(account.accessToken()) : null, Clocks.system());
    }

    /**
     * A poller that logs in with SASL XOAUTH2 and the tokens of {@code tokens} (renewed before they expire,
     * asked again before every connection), or with the account's password when {@code tokens} is null.
     *
     * @param clock tells when the token of a session is due for renewal: the session is ended and opened
     *              again with a new token then, as Microsoft 365 ends IMAP sessions whose token expired
     * @throws IllegalArgumentException when the account has neither a password nor tokens, or its trusted
     *                                  certificates cannot be read
     */
    public ImapPoller(ImapAccount account, MessageIntake intake, Duration outcomeTimeout, AccessTokens tokens,
                      Clock clock) {
        this.account = account;
        this.intake = intake;
        this.outcomeTimeout = outcomeTimeout;
        this.tokens = account.password() != null ? null : tokens;
        this.clock = clock;
        if (account.password() == null && tokens == null) {
            throw new IllegalArgumentException("IMAP account " + account.name() + ": no password and no access token");
        }
        try {
            this.trustedTls = account.trustedCertificates() == null ? null
                    : TrustedCertificates.socketFactory(account.trustedCertificates());
        } catch (IOException e) {
            String why = e instanceof java.nio.file.NoSuchFileException ? "no such file " + account.trustedCertificates()
                    : e.getMessage();
            throw new IllegalArgumentException("IMAP account " + account.name() + ": trusted_certificates: " + why, e);
        }
        this.thread = new Thread(this::run, "imap-" + account.name());
        this.idleWatchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "imap-idle-" + account.name());
            t.setDaemon(true);
            return t;
        });
    }

    public ImapPoller start() {
        thread.start();
        return this;
    }

    /**
     * Polls only while {@code duty} holds (in a cluster: this node holds the mailbox's lease): it connects once
     * it holds, checks before each round and before it archives, and disconnects when it no longer holds, so that
     * one node at a time reads and archives the mailbox. Call before {@link #start()}.
     */
    public ImapPoller onDuty(io.dmarclens.store.cluster.Duty duty) {
        this.duty = java.util.Objects.requireNonNull(duty, "duty");
        return this;
    }

    /** Messages moved or marked seen so far, for tests and the dashboard. */
    public long archived() {
        return archived.get();
    }

    /** Why the last connection or round failed (with its causes), if one did; for the dashboard and tests. */
    public Optional<String> lastFailure() {
        return Optional.ofNullable(lastFailure);
    }

    /** Connections or rounds that failed so far (each is followed by a reconnect after a back-off). */
    public long failures() {
        return failures.get();
    }

    /** The account's name (as configured). */
    public String name() {
        return account.name();
    }

    /** Whether the mailbox is failing now: its last connection or cycle failed and no whole cycle worked since. */
    public boolean failing() {
        return !connected && lastFailure != null;
    }

    /** Successful logins so far (more than one means it reconnected). */
    public long connects() {
        return connects.get();
    }

    private void run() {
        Duration backoff = FIRST_RECONNECT;
        while (running) {
            if (!duty.held()) {
                // Another node polls this mailbox; wait to take its lease over.
                readLeftOver = true;
                pause(Duration.ofMillis(200));
                continue;
            }
            Folder folder = null;
            try {
                Session session = Session.getInstance(properties());
                Store s = tokens != null
                        ? new XoauthOnlyImapStore(session, account.security() == ImapAccount.Security.IMAPS)
                        : session.getStore(protocol());
                store = s;
                AccessToken token = null;
                if (tokens != null) {
                    token = connectWithToken(s);
                } else {
                    s.connect(account.host(), account.port(), account.user(), account.password());
                }
                // Ended when its token is renewed, a little before the server would end it for an expired token.
                Instant sessionEnds = token == null || token.expiresAt() == null ? null : token.renewAt();
                connects.incrementAndGet();
                FolderNames names = FolderNames.of(s);
                folder = s.getFolder(names.resolve(account.folder()));
                folder.open(Folder.READ_WRITE);
                LOG.info("IMAP {}: connected, reading {}", account.name(), folder.getFullName());
                readAgainWhatNowFits(s, names, folder);
                while (running && !ended(sessionEnds) && duty.held()) {
                    // The back-off starts over only once a whole cycle worked (a round that read mail and
                    // archived it, or a wait for mail): a cycle that fails after the login, such as an
                    // archive folder the server refuses, must not log in again every second.
                    if (round(s, names, folder) == 0) {
                        waitForMail(s, folder, sessionEnds);
                    }
                    backoff = FIRST_RECONNECT;
                    connected = true; // not failing: a whole cycle worked (as for the back-off)
                }
            } catch (MessagingException | IOException | RuntimeException e) {
                if (!running) {
                    break;
                }
                connected = false;
                lastFailure = describe(account, e);
                failures.incrementAndGet();
                LOG.warn("IMAP {}: {}; reconnecting in {} s", account.name(), lastFailure, backoff.toSeconds());
                LOG.debug("IMAP {}: connection failed", account.name(), e);
                closeQuietly(folder);
                pause(backoff);
                backoff = backoff.multipliedBy(2).compareTo(LAST_RECONNECT) > 0 ? LAST_RECONNECT : backoff.multipliedBy(2);
            } catch (InterruptedException e) {
                break;
            } finally {
                closeQuietly(folder);
                closeQuietly(store);
            }
        }
        LOG.info("IMAP {}: stopped", account.name());
    }

    /**
     * Logs in with the current token; when the server refuses it, the token is dropped and a new one is
     * fetched and tried once before the account is reported failing. A refused token is never sent again.
     */
    private AccessToken connectWithToken(Store s) throws MessagingException, IOException {
        AccessToken token = tokens.current();
        try {
            s.connect(account.host(), account.port(), account.user(), token.value());
            return token;
        } catch (AuthenticationFailedException refused) {
            tokens.refused(token);
            LOG.info("IMAP {}: the server refused the access token; fetching a new one", account.name());
        }
        AccessToken again = tokens.current();
        try {
            s.connect(account.host(), account.port(), account.user(), again.value());
            return again;
        } catch (AuthenticationFailedException refusedAgain) {
            tokens.refused(again);
            throw refusedAgain;
        }
    }

    /** True once the session's token is due for renewal: the session is opened again with a new one. */
    private boolean ended(Instant sessionEnds) {
        return sessionEnds != null && !clock.instant().isBefore(sessionEnds);
    }

    /** One round: reads up to a batch of unseen messages and archives those now stored. Returns how many it read. */
    private int round(Store s, FolderNames names, Folder folder)
            throws MessagingException, IOException, InterruptedException {
        if (!duty.held()) {
            return 0;
        }
        // With after_import: move, whatever is still in the folder (and not deleted by a move) is not archived yet,
        // seen or not: a poller that died between marking a message seen and moving it (or lost its lease there)
        // leaves it seen, and the node taking over must read it again. That is read once, at the first round after
        // this poller starts or takes the mailbox over; later rounds read unseen mail only, so that mail whose move
        // the server refuses is not read again on every reconnect (the back-off would not hold).
        boolean all = readLeftOver && account.afterImport() == ImapAccount.AfterImport.MOVE;
        readLeftOver = false;
        Message[] unseen = all ? folder.search(new FlagTerm(new Flags(Flags.Flag.DELETED), false))
                : folder.search(new FlagTerm(new Flags(Flags.Flag.SEEN), false));
        if (unseen.length == 0) {
            return 0;
        }
        List<Message> batch = new ArrayList<>();
        for (int i = 0; i < unseen.length && batch.size() < account.batchSize(); i++) {
            if (!unseen[i].isSet(Flags.Flag.DELETED)) {
                batch.add(unseen[i]);
            }
        }
        if (batch.isEmpty()) {
            return 0;
        }
        FetchProfile profile = new FetchProfile();
        profile.add(UIDFolder.FetchProfileItem.UID);
        profile.add(FetchProfile.Item.SIZE);
        folder.fetch(batch.toArray(new Message[0]), profile);
        UIDFolder uids = (UIDFolder) folder;
        long uidValidity = uids.getUIDValidity();
        Map<Long, CompletableFuture<IngestLogEntry>> outcomes = new LinkedHashMap<>();
        Set<Long> tooLarge = new HashSet<>();
        for (Message message : batch) {
            long uid = uids.getUID(message);
            MessageOrigin origin = MessageOrigin.imap(account.name(), account.folder(), uidValidity, uid);
            Optional<CompletableFuture<IngestLogEntry>> known = alreadyAccepted(origin, message.getSize());
            if (known.isPresent()) {
                outcomes.put(uid, known.get());
                IngestLogEntry done = known.get().getNow(null);
                if (done != null && !done.origin().detail(Quarantine.UNREAD).isEmpty()) {
                    tooLarge.add(uid); // quarantined for its size in a round whose archiving failed
                }
                continue;
            }
            if (message.getSize() > account.maxMessageSize()) {
                outcomes.put(uid, CompletableFuture.completedFuture(quarantineTooLarge(message, origin, message.getSize())));
                tooLarge.add(uid);
                continue;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.max(1024, message.getSize()));
            message.writeTo(bytes);
            try {
                AcceptedMessage accepted = intake.accept(origin, "", new java.io.ByteArrayInputStream(bytes.toByteArray()),
                        account.maxMessageSize());
                outcomes.put(uid, accepted.outcome());
            } catch (MessageTooLargeException e) {
                // The server's SIZE was smaller than what it sent.
                outcomes.put(uid, CompletableFuture.completedFuture(quarantineTooLarge(message, origin, bytes.size())));
                tooLarge.add(uid);
            }
        }
        archive(s, names, folder, outcomes, tooLarge);
        return batch.size();
    }

    /**
     * A message read before: its outcome (done, or still being processed), so it is not imported again. A
     * message quarantined unread for its size, that fits now, is read (with {@code mark_seen} it keeps its UID).
     */
    private Optional<CompletableFuture<IngestLogEntry>> alreadyAccepted(MessageOrigin origin, long size)
            throws IOException {
        Optional<IngestLogEntry> before = intake.previously(origin.sourceKey());
        if (before.isEmpty() || before.get().status() == IngestStatus.REJECTED) {
            return Optional.empty();
        }
        if (!before.get().origin().detail(Quarantine.UNREAD).isEmpty() && size <= account.maxMessageSize()) {
            return Optional.empty();
        }
        return intake.earlierOutcome(before.get());
    }

    /**
     * A mail over the size limit goes where unreadable mail goes: the quarantine keeps its headers with the
     * reason (subject, sender, size), and it is moved to the Invalid folder with the {@link #TOO_LARGE}
     * keyword, from where {@link #readAgainWhatNowFits} brings it back once the limit is raised.
     */
    private IngestLogEntry quarantineTooLarge(Message message, MessageOrigin origin, long size)
            throws MessagingException, IOException {
        String subject = Bounded.text(String.valueOf(message.getSubject()), 200);
        Address[] from = message.getFrom();
        String sender = from == null || from.length == 0 ? "" : Bounded.text(from[0].toString(), 200);
        // The action first: a reason is cut where it is shown in a line.
        String reason = "too large: " + size + " bytes, more than max_message_size " + account.maxMessageSize()
                + "; it is in the archive folder for invalid mail and is read again from there once max_message_size"
                + " is raised (subject \"" + subject + "\", from " + sender + ")";
        LOG.warn("IMAP {}: message UID {} is {}", account.name(), origin.detail("uid"), reason);
        Map<String, String> details = new LinkedHashMap<>(origin.details());
        details.put(Quarantine.UNREAD, size + " bytes");
        return intake.quarantineUnread(new MessageOrigin(origin.channel(), details), standIn(message, size), size,
                reason);
    }

    /** What the quarantine keeps of a mail too large to read: its header block (bounded) and a note. */
    private byte[] standIn(Message message, long size) throws MessagingException {
        StringBuilder text = new StringBuilder();
        java.util.Enumeration<String> lines = ((jakarta.mail.internet.MimeMessage) message).getAllHeaderLines();
        while (lines.hasMoreElements() && text.length() < STAND_IN_HEADERS) {
            text.append(lines.nextElement()).append("\r\n");
        }
        text.append("\r\n").append("DMARC Lens did not read this mail of ").append(size)
                .append(" bytes: it is larger than max_message_size ").append(account.maxMessageSize())
                .append(" of the IMAP account ").append(account.name()).append(". Only its header is kept here.\r\n");
        return text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Mails this poller set aside for their size (keyword {@link #TOO_LARGE}) that fit now (the limit was
     * raised) are made unseen and, from the Invalid folder, moved back to the folder it reads: they are read
     * again like new mail.
     */
    private void readAgainWhatNowFits(Store s, FolderNames names, Folder source) throws MessagingException {
        boolean moved = account.afterImport() == ImapAccount.AfterImport.MOVE;
        Folder aside = moved ? s.getFolder(names.resolve(account.archive().invalid())) : source;
        if (!aside.exists()) {
            return;
        }
        if (moved) {
            aside.open(Folder.READ_WRITE);
        }
        try {
            Flags keyword = new Flags(TOO_LARGE);
            Message[] fitting = aside.search(new AndTerm(new FlagTerm(keyword, true),
                    new SizeTerm(ComparisonTerm.LT, (int) Math.min(Integer.MAX_VALUE, account.maxMessageSize() + 1))));
            if (fitting.length == 0) {
                return;
            }
            aside.setFlags(fitting, keyword, false);
            aside.setFlags(fitting, new Flags(Flags.Flag.SEEN), false);
            if (moved && transfer(s, aside, fitting, source)) {
                aside.expunge();
            }
            LOG.info("IMAP {}: {} mails that were too large fit under max_message_size {} now; reading them again",
                    account.name(), fitting.length, account.maxMessageSize());
        } finally {
            if (moved) {
                closeQuietly(aside);
            }
        }
    }

    /** Moves (or marks seen) each message whose outcome is known; the others wait for a later round. */
    private void archive(Store s, FolderNames names, Folder folder, Map<Long, CompletableFuture<IngestLogEntry>> outcomes,
                         Set<Long> tooLarge) throws MessagingException, InterruptedException {
        long deadline = System.nanoTime() + outcomeTimeout.toNanos();
        Map<String, List<Long>> byFolder = new LinkedHashMap<>();
        for (Map.Entry<Long, CompletableFuture<IngestLogEntry>> e : outcomes.entrySet()) {
            IngestLogEntry entry;
            try {
                entry = e.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException notYet) {
                continue; // still in the inbox; archived in a later round, once stored
            }
            if (!entry.status().isFinal() || entry.status() == IngestStatus.REJECTED) {
                continue;
            }
            byFolder.computeIfAbsent(target(entry), k -> new ArrayList<>()).add(e.getKey());
        }
        if (!duty.held()) {
            // The lease ran out while the messages were processed: the node holding it now reads them again
            // (their reports are stored once whoever stores them) and archives them.
            LOG.info("IMAP {}: no longer this node's mailbox; {} messages are left for the node holding it",
                    account.name(), outcomes.size());
            return;
        }
        UIDFolder uids = (UIDFolder) folder;
        boolean expunge = false;
        for (Map.Entry<String, List<Long>> e : byFolder.entrySet()) {
            Message[] messages = uids.getMessagesByUID(e.getValue().stream().mapToLong(Long::longValue).toArray());
            messages = java.util.Arrays.stream(messages).filter(m -> m != null).toArray(Message[]::new);
            if (messages.length == 0) {
                continue;
            }
            // Archived mail is seen: the archive folders do not show it as new mail in a mail client.
            folder.setFlags(messages, new Flags(Flags.Flag.SEEN), true);
            Message[] large = java.util.Arrays.stream(messages)
                    .filter(m -> tooLarge.contains(uidOf(uids, m))).toArray(Message[]::new);
            if (large.length > 0) {
                if (folder.getPermanentFlags().contains(Flags.Flag.USER)) {
                    folder.setFlags(large, new Flags(TOO_LARGE), true);
                } else {
                    LOG.warn("IMAP {}: the server keeps no keywords, so {} too-large mails cannot be found again:"
                            + " after raising max_message_size, mark them unseen (and move them back) by hand",
                            account.name(), large.length);
                }
            }
            if (account.afterImport() == ImapAccount.AfterImport.MOVE) {
                Folder target = s.getFolder(names.resolve(e.getKey()));
                ensureExists(target);
                expunge |= transfer(s, folder, messages, target);
            }
            archived.addAndGet(messages.length);
        }
        if (expunge) {
            folder.expunge();
        }
    }

    private static long uidOf(UIDFolder uids, Message m) {
        try {
            return uids.getUID(m);
        } catch (MessagingException e) {
            return -1;
        }
    }

    /**
     * Moves messages (MOVE, or COPY, \Deleted and a later expunge on servers without it).
     *
     * @return true when the source folder needs an expunge
     */
    private static boolean transfer(Store s, Folder from, Message[] messages, Folder to) throws MessagingException {
        if (s instanceof IMAPStore imap && imap.hasCapability("MOVE")) {
            ((IMAPFolder) from).moveMessages(messages, to);
            return false;
        }
        from.copyMessages(messages, to);
        from.setFlags(messages, new Flags(Flags.Flag.DELETED), true);
        return true;
    }

    /**
     * Creates an archive folder when it is missing, with the server's own reason when it refuses (the
     * mail client's {@code create} only says false), and subscribes it so that mail clients show it.
     */
    private void ensureExists(Folder target) throws MessagingException {
        if (target.exists()) {
            return;
        }
        String name = target.getFullName();
        try {
            ((IMAPFolder) target).doCommand(protocol -> {
                protocol.create(name);
                return null;
            });
        } catch (MessagingException e) {
            if (!target.exists()) {
                String why = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage()
                        : String.valueOf(e.getMessage());
                why = why.replaceFirst("^\\S+ NO ", ""); // the command's tag says nothing to a reader
                throw new MessagingException("the server refused to create the archive folder " + name + ": " + why
                        + "; set imap.accounts[].archive.* of account " + account.name()
                        + " to names the server accepts"); // no cause: it would repeat the reason in the log
            }
        }
        try {
            target.setSubscribed(true);
        } catch (MessagingException | RuntimeException e) {
            LOG.debug("IMAP {}: cannot subscribe {}: {}", account.name(), name, e.toString());
        }
    }

    private String target(IngestLogEntry entry) {
        ImapAccount.ArchiveFolders archive = account.archive();
        // A dropped message was quarantined first: it held no report either.
        if (entry.status() == IngestStatus.QUARANTINED || entry.status() == IngestStatus.DROPPED) {
            return archive.invalid();
        }
        if (entry.kinds().contains("aggregate") || entry.kinds().isEmpty()) {
            return archive.aggregate();
        }
        if (entry.kinds().contains("failure")) {
            return archive.failure();
        }
        return archive.tls();
    }

    private void waitForMail(Store s, Folder folder, Instant sessionEnds)
            throws MessagingException, InterruptedException {
        long waitMillis = account.pollInterval().toMillis();
        if (sessionEnds != null) {
            waitMillis = Math.max(1, Math.min(waitMillis, Duration.between(clock.instant(), sessionEnds).toMillis()));
        }
        if (account.useIdle() && s instanceof IMAPStore imap && imap.hasCapability("IDLE")) {
            // IDLE returns when the server reports a change; the watchdog ends it after the poll interval
            // anyway, so a silent connection never leaves the poller waiting for ever.
            ScheduledFuture<?> wake = idleWatchdog.schedule(() -> {
                try {
                    // Any command on the folder's connection first ends the IDLE (a cached count would not).
                    ((IMAPFolder) folder).doCommand(protocol -> {
                        protocol.simpleCommand("NOOP", null);
                        return null;
                    });
                } catch (MessagingException | RuntimeException ignored) {
                    // the poller's own call reports the broken connection
                }
            }, waitMillis, TimeUnit.MILLISECONDS);
            try {
                ((IMAPFolder) folder).idle(true);
            } finally {
                wake.cancel(false);
            }
        } else {
            if (stop.await(waitMillis, TimeUnit.MILLISECONDS)) {
                running = false;
            }
        }
        if (!folder.isOpen()) {
            throw new MessagingException("folder closed by the server");
        }
    }

    /** The exception and its causes on one line: a TLS failure's reason is two or three causes deep. */
    /**
     * Why a connection or round failed, in one line: an untrusted TLS certificate says so with what to do;
     * anything else lists the chain of causes, each message once (TLS exceptions repeat their causes').
     */
    static String describe(ImapAccount account, Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof java.security.cert.CertPathBuilderException
                    || c instanceof java.security.cert.CertPathValidatorException) {
                return "the TLS certificate of " + account.host() + ":" + account.port() + " is not trusted ("
                        + String.valueOf(c.getMessage()).replaceFirst("^.*: ", "") + "); if the server uses its own"
                        + " CA or a self-signed certificate, set trusted_certificates of this account to its PEM file";
            }
        }
        StringBuilder text = new StringBuilder();
        Throwable c = e;
        for (int depth = 0; c != null && depth < 6; depth++, c = c.getCause()) {
            // MessagingException appends its cause to its message; keep the first line only.
            String message = String.valueOf(c.getMessage()).lines().findFirst().orElse("");
            if (depth > 0 && text.indexOf(message) >= 0) {
                continue; // already said by the exception it caused
            }
            text.append(depth == 0 ? "" : " <- ").append(c.getClass().getSimpleName()).append(": ").append(message);
        }
        return text.toString();
    }

    private void pause(Duration d) {
        try {
            if (stop.await(d.toMillis(), TimeUnit.MILLISECONDS)) {
                running = false;
            }
        } catch (InterruptedException e) {
            running = false;
            Thread.currentThread().interrupt();
        }
    }

    private String protocol() {
        return account.security() == ImapAccount.Security.IMAPS ? "imaps" : "imap";
    }

    private Properties properties() {
        String p = "mail." + protocol() + ".";
        Properties props = new Properties();
        props.put(p + "connectiontimeout", "30000");
        props.put(p + "timeout", "120000");
        props.put(p + "writetimeout", "120000");
        props.put(p + "peek", "true"); // reading must not mark a message seen before it is stored
        if (account.security() == ImapAccount.Security.STARTTLS) {
            props.put(p + "starttls.enable", "true");
            props.put(p + "starttls.required", "true");
        }
        if (account.security() != ImapAccount.Security.NONE) {
            props.put(p + "ssl.checkserveridentity", "true");
            // A refused TLS connection must not be tried again some other way (by default the mail client
            // retries with the JVM's trust store).
            props.put(p + "socketFactory.fallback", "false");
            if (trustedTls != null) {
                // Used for IMAPS and for the STARTTLS upgrade alike; only this session's sockets.
                props.put(p + "ssl.socketFactory", trustedTls);
            }
        }
        if (tokens != null) {
            props.put(p + "auth.mechanisms", "XOAUTH2");
        }
        return props;
    }

    private static void closeQuietly(Folder folder) {
        try {
            if (folder != null && folder.isOpen()) {
                folder.close(false);
            }
        } catch (MessagingException | RuntimeException ignored) {
            // the connection is going away anyway
        }
    }

    private static void closeQuietly(Store store) {
        try {
            if (store != null) {
                store.close();
            }
        } catch (MessagingException | RuntimeException ignored) {
            // the connection is going away anyway
        }
    }

    /** Stops after the current round; a round in progress finishes its inbox writes first. */
    @Override
    public void close() {
        running = false;
        stop.countDown();
        Store s = store;
        if (s != null) {
            // Ends an IDLE wait; a round in progress fails on its next command, and every message it
            // wrote to the inbox is recognised when read again.
            closeQuietly(s);
        }
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        idleWatchdog.shutdownNow();
    }
}
