package io.dmarclens.ingest.smtp;

import java.time.Duration;
import java.util.Objects;

/**
 * What one stranger on port 25 may hold of the receiver: connections at once from one address, and how
 * long a command line and the whole DATA may take. (Free disk and junk limits are the inbox's, as they
 * hold for uploads too: {@link io.dmarclens.ingest.inbox.InboxLimits}.)
 *
 * @param connectionsPerAddress concurrent connections from one IPv4 address or IPv6 /64; more are
 *                              greeted with 421, so the rest of {@code max_connections} stays free for
 *                              other senders
 * @param commandDeadline       the time a client has to send each whole command line (and each line of
 *                              DATA), from the first read waiting for it; a client trickling bytes is cut
 *                              with 421 past it, however often it sends
 * @param dataDeadline          the time a client has for the whole DATA, from 354 to the final dot
 */
public record SmtpLimits(int connectionsPerAddress, Duration commandDeadline, Duration dataDeadline) {
    public SmtpLimits {
        Objects.requireNonNull(commandDeadline, "commandDeadline");
        Objects.requireNonNull(dataDeadline, "dataDeadline");
        if (connectionsPerAddress < 1) {
            throw new IllegalArgumentException("smtp connections per address must be at least 1, not "
                    + connectionsPerAddress);
        }
        if (commandDeadline.toMillis() < 1 || dataDeadline.toMillis() < 1) {
            throw new IllegalArgumentException("smtp command and data deadlines must be at least 1 ms");
        }
    }

    /** 5 connections per address, 2 minutes a command line, 10 minutes for DATA. */
    public static SmtpLimits defaults() {
        return new SmtpLimits(5, Duration.ofMinutes(2), Duration.ofMinutes(10));
    }

    public SmtpLimits withConnectionsPerAddress(int n) {
        return new SmtpLimits(n, commandDeadline, dataDeadline);
    }

    public SmtpLimits withDeadlines(Duration command, Duration data) {
        return new SmtpLimits(connectionsPerAddress, command, data);
    }
}
