package io.dmarclens.ingest.smtp;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the SMTP receiver listens and what it accepts.
 *
 * @param enabled        false to run without the SMTP receiver
 * @param host           the address to listen on ({@code 127.0.0.1} by default; {@code 0.0.0.0} for all)
 * @param port           the port (2525 by default; 25 for a real MX)
 * @param hostName       the name the server gives in its greeting
 * @param recipients     accepted recipients: addresses ({@code dmarc@example.com}) or whole domains
 *                       ({@code example.com} or {@code @example.com}); others get 550
 * @param maxMessageSize the largest message accepted, in bytes; longer ones get 552
 * @param maxConnections concurrent connections; more get 421
 * @param readTimeout    how long a silent client is waited for
 * @param tlsCertificate PEM certificate chain for STARTTLS, or null for no TLS
 * @param tlsKey         PEM private key for STARTTLS, or null
 * @param requireTls     refuse mail transactions before STARTTLS
 * @param limits         what one sender may take: connections per address, deadlines, free disk, junk
 */
public record SmtpSettings(boolean enabled, String host, int port, String hostName, List<String> recipients,
                           long maxMessageSize, int maxConnections, Duration readTimeout, Path tlsCertificate,
                           Path tlsKey, boolean requireTls, SmtpLimits limits) {
    public static final long DEFAULT_MAX_MESSAGE_SIZE = 50L * 1024 * 1024;

    public SmtpSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(readTimeout, "readTimeout");
        hostName = hostName == null || hostName.isBlank() ? "dmarc-lens" : hostName;
        recipients = List.copyOf(recipients);
        limits = limits == null ? SmtpLimits.defaults() : limits;
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("smtp port must be between 0 and 65535, not " + port);
        }
        if (maxMessageSize < 1 || maxMessageSize > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("smtp max message size must be between 1 byte and 2 GiB, not "
                    + maxMessageSize);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("smtp max connections must be at least 1, not " + maxConnections);
        }
        if ((tlsCertificate == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("smtp TLS needs both a certificate and a key file (PEM)");
        }
        if (requireTls && tlsCertificate == null) {
            throw new IllegalArgumentException("smtp require_tls needs a TLS certificate and key");
        }
    }

    /** Safe defaults: loopback port 2525, 50 MiB, 100 connections, 5 minutes read timeout, no TLS. */
    public static SmtpSettings defaults() {
        return new SmtpSettings(true, "127.0.0.1", 2525, "dmarc-lens", List.of(), DEFAULT_MAX_MESSAGE_SIZE, 100,
                Duration.ofMinutes(5), null, null, false,
                SmtpLimits.defaults());
    }

    public SmtpSettings withListen(String host, int port) {
        return new SmtpSettings(enabled, host, port, hostName, recipients, maxMessageSize, maxConnections, readTimeout,
                tlsCertificate, tlsKey, requireTls, limits);
    }

    public SmtpSettings withRecipients(List<String> recipients) {
        return new SmtpSettings(enabled, host, port, hostName, recipients, maxMessageSize, maxConnections, readTimeout,
                tlsCertificate, tlsKey, requireTls, limits);
    }

    public SmtpSettings withMaxMessageSize(long maxMessageSize) {
        return new SmtpSettings(enabled, host, port, hostName, recipients, maxMessageSize, maxConnections, readTimeout,
                tlsCertificate, tlsKey, requireTls, limits);
    }

    public SmtpSettings withTls(Path certificate, Path key, boolean require) {
        return new SmtpSettings(enabled, host, port, hostName, recipients, maxMessageSize, maxConnections, readTimeout,
                certificate, key, require, limits);
    }

    public SmtpSettings withReadTimeout(Duration timeout) {
        return new SmtpSettings(enabled, host, port, hostName, recipients, maxMessageSize, maxConnections, timeout,
                tlsCertificate, tlsKey, requireTls, limits);
    }

    public SmtpSettings withLimits(SmtpLimits limits) {
        return new SmtpSettings(enabled, host, port, hostName, recipients, maxMessageSize, maxConnections, readTimeout,
                tlsCertificate, tlsKey, requireTls, limits);
    }

    public SmtpSettings withMaxConnections(int max) {
        return new SmtpSettings(enabled, host, port, hostName, recipients, maxMessageSize, max, readTimeout,
                tlsCertificate, tlsKey, requireTls, limits);
    }
}
