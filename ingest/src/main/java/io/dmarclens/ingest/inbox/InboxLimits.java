package io.dmarclens.ingest.inbox;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds on what strangers can make the inbox keep, for every channel (SMTP, upload, IMAP).
 *
 * @param minFreeDisk        free bytes the data directory's disk must keep; below, new messages are
 *                           refused for later (SMTP 452, upload 507) instead of filling the disk
 * @param quarantineMaxBytes the most the quarantine may hold; past it the oldest messages are dropped
 * @param quarantineMaxAge   how long a quarantined message is kept; older ones are dropped
 * @param junkPerSender      messages one sender (SMTP client address or IPv6 /64, uploading user) may have
 *                           pending or quarantined within {@link #JUNK_WINDOW} (counted at acceptance,
 *                           credited back once processed as a report); past it its new messages are refused
 *                           (SMTP 450, upload 429) until one is credited back or its oldest junk has left the
 *                           window (0: no limit)
 */
public record InboxLimits(long minFreeDisk, long quarantineMaxBytes, Duration quarantineMaxAge, int junkPerSender) {
    /** The window over which {@link #junkPerSender} is counted. */
    public static final Duration JUNK_WINDOW = Duration.ofHours(1);

    public InboxLimits {
        Objects.requireNonNull(quarantineMaxAge, "quarantineMaxAge");
        if (minFreeDisk < 0) {
            throw new IllegalArgumentException("inbox minimum free disk must not be negative, not " + minFreeDisk);
        }
        if (quarantineMaxBytes < 1) {
            throw new IllegalArgumentException("quarantine max size must be at least 1 byte, not " + quarantineMaxBytes);
        }
        if (quarantineMaxAge.toMillis() < 1) {
            throw new IllegalArgumentException("quarantine max age must be positive, not " + quarantineMaxAge);
        }
        if (junkPerSender < 0) {
            throw new IllegalArgumentException("junk per sender must not be negative, not " + junkPerSender);
        }
    }

    /** 1 GiB free disk, a quarantine of at most 1 GiB and 30 days, 20 junk messages per sender an hour. */
    public static InboxLimits defaults() {
        return new InboxLimits(1024L * 1024 * 1024, 1024L * 1024 * 1024, Duration.ofDays(30), 20);
    }

    /** No bounds at all: for tools that only read an inbox, and for tests of other things. */
    public static InboxLimits none() {
        return new InboxLimits(0, Long.MAX_VALUE, Duration.ofDays(365L * 1000), 0);
    }

    public InboxLimits withMinFreeDisk(long bytes) {
        return new InboxLimits(bytes, quarantineMaxBytes, quarantineMaxAge, junkPerSender);
    }

    public InboxLimits withQuarantine(long maxBytes, Duration maxAge) {
        return new InboxLimits(minFreeDisk, maxBytes, maxAge, junkPerSender);
    }

    public InboxLimits withJunkPerSender(int n) {
        return new InboxLimits(minFreeDisk, quarantineMaxBytes, quarantineMaxAge, n);
    }
}
