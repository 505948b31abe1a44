package io.dmarclens.ingest.inbox;

import io.dmarclens.store.ingestlog.IngestStatus;
import io.dmarclens.store.ingestlog.MessageOrigin;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * How much junk (messages that ended in quarantine) each sender sent within a sliding window; a sender
 * past its allowance is refused until its oldest junk leaves the window. Keeps a stranger from filling
 * the quarantine as fast as it can send.
 */
public final class JunkLimiter {
    private final int perWindow;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Deque<Instant>> junk = new HashMap<>();

    /**
     * @param perWindow junk messages one sender may send per window; 0 for no limit
     */
    public JunkLimiter(int perWindow, Duration window, Clock clock) {
        if (perWindow < 0) {
            throw new IllegalArgumentException("junk per window must not be negative, not " + perWindow);
        }
        this.perWindow = perWindow;
        this.window = window;
        this.clock = clock;
    }

    /**
     * Who a message is counted against: the SMTP peer (IPv6 per /64, as one host often holds a /64) or the
     * uploading user; empty for channels the operator set up (IMAP, files), which are never limited.
     */
    public static String sender(MessageOrigin origin) {
        return switch (origin.channel()) {
            case SMTP -> "smtp " + SenderAddress.of(origin.detail("peer"));
            case UPLOAD -> "upload " + origin.detail("user");
            default -> "";
        };
    }

    /** False when {@code sender} has sent its allowance of junk within the window. */
    public synchronized boolean allows(String sender) {
        if (perWindow == 0 || sender.isEmpty()) {
            return true;
        }
        Deque<Instant> times = junk.get(sender);
        if (times == null) {
            return true;
        }
        forgetOld(times, clock.instant());
        if (times.isEmpty()) {
            junk.remove(sender);
            return true;
        }
        return times.size() < perWindow;
    }

    /** Counts one junk message from {@code sender}. */
    public synchronized void junk(String sender) {
        if (perWindow == 0 || sender.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        Deque<Instant> times = junk.computeIfAbsent(sender, k -> new ArrayDeque<>());
        forgetOld(times, now);
        times.addLast(now);
        if (times.size() > perWindow) {
            times.removeFirst();
        }
        if (junk.size() > 10_000) {
            forgetIdleSenders(now);
        }
    }

    /** Counts the message as junk once its processing ends in quarantine. */
    public void watch(String sender, AcceptedMessage message) {
        message.outcome().thenAccept(entry -> {
            if (entry.status() == IngestStatus.QUARANTINED) {
                junk(sender);
            }
        });
    }

    private void forgetOld(Deque<Instant> times, Instant now) {
        Instant horizon = now.minus(window);
        while (!times.isEmpty() && !times.peekFirst().isAfter(horizon)) {
            times.removeFirst();
        }
    }

    // Bounds the memory a stranger with many addresses can make us hold.
    private void forgetIdleSenders(Instant now) {
        for (Iterator<Deque<Instant>> it = junk.values().iterator(); it.hasNext(); ) {
            Deque<Instant> times = it.next();
            forgetOld(times, now);
            if (times.isEmpty()) {
                it.remove();
            }
        }
    }
}
