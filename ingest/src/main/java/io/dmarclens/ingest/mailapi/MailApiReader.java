package io.dmarclens.ingest.mailapi;

import io.dmarclens.ingest.imap.ImapAccount;
import io.dmarclens.ingest.inbox.AcceptedMessage;
import io.dmarclens.ingest.inbox.MessageIntake;
import io.dmarclens.ingest.inbox.MessageTooLargeException;
import io.dmarclens.ingest.oauth.AccessTokens;
import io.dmarclens.store.ingestlog.IngestLogEntry;
import io.dmarclens.store.ingestlog.IngestStatus;
import io.dmarclens.store.ingestlog.MessageOrigin;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Empties a folder (Graph) or label (Gmail) into the durable inbox, as the IMAP poller empties an IMAP
 * folder: each round lists up to a batch of messages, writes each one's raw MIME to the inbox, waits until
 * each is stored or quarantined, and only then moves it to the archive folder for its outcome. A message
 * listed again (the move failed, the process died) is recognised by its id in the folder and not imported
 * twice. Failures of a round are retried with a growing delay.
 */
public final class MailApiReader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MailApiReader.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LAST_RETRY = Duration.ofMinutes(5);

    private final MailApiAccount account;
    private final MessageIntake intake;
    private final Duration outcomeTimeout;
    private final MailboxApi api;
    private final MessageOrigin.Channel channel;
    private final Thread thread;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final AtomicLong archived = new AtomicLong();
    private volatile boolean running = true;
    private volatile String lastFailure;
    /** Whether this node may read the mailbox now (in a cluster: it holds the mailbox's lease). */
    private volatile io.dmarclens.store.cluster.Duty duty = io.dmarclens.store.cluster.Duty.always();

    /**
     * @param tokens         the account's access tokens
     * @param outcomeTimeout how long a round waits for its messages to be processed before leaving the rest
     *                       for the next round
     * @param clock          reads an HTTP-date Retry-After
     */
    public MailApiReader(MailApiAccount account, AccessTokens tokens, MessageIntake intake, Duration outcomeTimeout,
                         Clock clock) {
        this.account = account;
        this.intake = intake;
        this.outcomeTimeout = outcomeTimeout;
        ApiHttp http = new ApiHttp(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30))
                .followRedirects(HttpClient.Redirect.NORMAL).build(), tokens, clock, this::pause);
        this.api = account.api() == MailApiAccount.Api.GRAPH ? new GraphMailbox(http, account)
                : new GmailMailbox(http, account);
        this.channel = account.api() == MailApiAccount.Api.GRAPH ? MessageOrigin.Channel.GRAPH
                : MessageOrigin.Channel.GMAIL;
        this.thread = new Thread(this::run, account.api().name().toLowerCase(java.util.Locale.ROOT) + "-" + account.name());
    }

    public MailApiReader start() {
        thread.start();
        return this;
    }

    /** Reads only while {@code duty} holds (in a cluster: this node holds the mailbox's lease); before {@link #start()}. */
    public MailApiReader onDuty(io.dmarclens.store.cluster.Duty duty) {
        this.duty = java.util.Objects.requireNonNull(duty, "duty");
        return this;
    }

    /** Messages moved to an archive folder so far. */
    public long archived() {
        return archived.get();
    }

    /** Why the last round failed, if one did. */
    public Optional<String> lastFailure() {
        return Optional.ofNullable(lastFailure);
    }

    private void run() {
        Duration backoff = FIRST_RETRY;
        LOG.info("{} {}: reading {}", account.api(), account.name(), account.folder());
        while (running) {
            try {
                if (!duty.held()) {
                    if (!pause(Duration.ofMillis(200))) {
                        break;
                    }
                    continue;
                }
                int read = round();
                backoff = FIRST_RETRY;
                if (read == 0 && !pause(account.pollInterval())) {
                    break;
                }
            } catch (IOException | RuntimeException e) {
                if (!running) {
                    break;
                }
                lastFailure = e.getClass().getSimpleName() + ": " + e.getMessage();
                LOG.warn("{} {}: {}; trying again in {} s", account.api(), account.name(), lastFailure,
                        backoff.toSeconds());
                LOG.debug("{} {}: round failed", account.api(), account.name(), e);
                try {
                    if (!pause(backoff)) {
                        break;
                    }
                } catch (InterruptedException stopped) {
                    break;
                }
                backoff = backoff.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : backoff.multipliedBy(2);
            } catch (InterruptedException e) {
                break;
            }
        }
        LOG.info("{} {}: stopped", account.api(), account.name());
    }

    /** One round: reads up to a batch of messages and archives those now stored. Returns how many it read. */
    private int round() throws IOException, InterruptedException {
        List<String> ids = api.list(account.batchSize());
        Map<String, CompletableFuture<IngestLogEntry>> outcomes = new LinkedHashMap<>();
        for (String id : ids) {
            if (!running) {
                return ids.size();
            }
            MessageOrigin origin = MessageOrigin.mailApi(channel, account.name(), account.folder(), id);
            Optional<CompletableFuture<IngestLogEntry>> known = alreadyAccepted(origin);
            if (known.isPresent()) {
                outcomes.put(id, known.get());
                continue;
            }
            try (InputStream raw = api.raw(id)) {
                AcceptedMessage accepted = intake.accept(origin, "", raw, account.maxMessageSize());
                outcomes.put(id, accepted.outcome());
            } catch (MessageTooLargeException e) {
                LOG.warn("{} {}: message {} is larger than {} bytes; moved to {}", account.api(), account.name(), id,
                        account.maxMessageSize(), account.archive().invalid());
                intake.rejected(origin, account.maxMessageSize() + 1, "too large: more than "
                        + account.maxMessageSize() + " bytes");
                api.move(id, account.archive().invalid());
            }
        }
        archive(outcomes);
        return ids.size();
    }

    private Optional<CompletableFuture<IngestLogEntry>> alreadyAccepted(MessageOrigin origin) throws IOException {
        Optional<IngestLogEntry> before = intake.previously(origin.sourceKey());
        return before.isEmpty() ? Optional.empty() : intake.earlierOutcome(before.get());
    }

    /** Moves each message whose outcome is known; the others wait for a later round. */
    private void archive(Map<String, CompletableFuture<IngestLogEntry>> outcomes)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + outcomeTimeout.toNanos();
        for (Map.Entry<String, CompletableFuture<IngestLogEntry>> e : outcomes.entrySet()) {
            if (!duty.held()) {
                return; // no longer this node's mailbox: the holder reads the rest again and archives it
            }
            IngestLogEntry entry;
            try {
                entry = e.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException notYet) {
                continue; // still in the inbox; archived in a later round, once stored
            }
            if (!entry.status().isFinal() || entry.status() == IngestStatus.REJECTED) {
                continue;
            }
            api.move(e.getKey(), target(entry));
            archived.incrementAndGet();
        }
    }

    private String target(IngestLogEntry entry) {
        ImapAccount.ArchiveFolders archive = account.archive();
        if (entry.status() == IngestStatus.QUARANTINED) {
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

    /** Waits unless stopping; false when stopping. */
    private boolean pause(Duration d) throws InterruptedException {
        if (stop.await(d.toMillis(), TimeUnit.MILLISECONDS)) {
            running = false;
        }
        return running;
    }

    /** Stops after the current request; every message written to the inbox is recognised when listed again. */
    @Override
    public void close() {
        running = false;
        stop.countDown();
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
