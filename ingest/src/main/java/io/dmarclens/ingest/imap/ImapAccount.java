package io.dmarclens.ingest.imap;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * One mailbox the IMAP poller empties.
 *
 * @param name         a short name for logs and the ingest log (defaults to the user when it is an address,
 *                     else user@host)
 * @param host         the IMAP server
 * @param port         its port (993 for IMAPS, 143 for STARTTLS)
 * @param security     how the connection is protected
 * @param user         the login
 * @param password     the password, or null when the account logs in with OAuth2 (SASL XOAUTH2)
 * @param accessToken  a fixed OAuth2 access token for XOAUTH2, or null (a password, or tokens handed to the
 *                     poller: {@code io.dmarclens.ingest.oauth.AccessTokens})
 * @param folder       the folder holding the reports (INBOX by default)
 * @param pollInterval how often to look when the server has no IDLE (and the longest IDLE wait)
 * @param useIdle      wait with IMAP IDLE when the server supports it
 * @param batchSize    messages read per round, so that large mailboxes are read in steps
 * @param afterImport  what to do with a message once it is stored or quarantined
 * @param archive      the folders for {@link AfterImport#MOVE}
 * @param maxMessageSize larger messages are not read: their headers go to quarantine and they are moved to the
 *                     Invalid folder, to be read again once the limit is raised
 * @param trustedCertificates a PEM file of the certificates to trust for this server's TLS (its CA, or
 *                     its own self-signed certificate) instead of the JVM's trust store, or null for the
 *                     JVM's; either way the certificate is verified and must name {@code host}
 */
public record ImapAccount(String name, String host, int port, Security security, String user, String password,
                          String accessToken, String folder, Duration pollInterval, boolean useIdle, int batchSize,
                          AfterImport afterImport, ArchiveFolders archive, long maxMessageSize,
                          Path trustedCertificates) {
    /** Transport security. */
    public enum Security {
        /** TLS from the first byte (port 993). */
        IMAPS,
        /** Plain connection upgraded with STARTTLS, which is required (port 143). */
        STARTTLS,
        /** No TLS at all: only for a server on the same host or for tests. */
        NONE
    }

    /** What happens to a message in the mailbox after it is safe in DMARC Lens. */
    public enum AfterImport { MOVE, MARK_SEEN }

    /** Archive folder names per outcome. */
    public record ArchiveFolders(String aggregate, String failure, String tls, String invalid) {
        public ArchiveFolders {
            Objects.requireNonNull(aggregate, "aggregate");
            Objects.requireNonNull(failure, "failure");
            Objects.requireNonNull(tls, "tls");
            Objects.requireNonNull(invalid, "invalid");
        }

        public static ArchiveFolders defaults() {
            return new ArchiveFolders("Archive/Aggregate", "Archive/Failure", "Archive/TLS", "Archive/Invalid");
        }
    }

    public ImapAccount {
        Objects.requireNonNull(host, "imap host");
        Objects.requireNonNull(user, "imap user");
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(afterImport, "afterImport");
        archive = archive == null ? ArchiveFolders.defaults() : archive;
        folder = folder == null || folder.isBlank() ? "INBOX" : folder;
        // A login that is already an address names the mailbox well; "dmarc@localhost@localhost" did not.
        name = name == null || name.isBlank() ? (user.contains("@") ? user : user + "@" + host) : name;
        if (password != null && accessToken != null) {
            throw new IllegalArgumentException("IMAP account " + name + ": set one of password and access token, not both");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("IMAP account " + name + ": batch size must be at least 1");
        }
        if (trustedCertificates != null && security == Security.NONE) {
            throw new IllegalArgumentException("IMAP account " + name
                    + ": trusted certificates are for TLS; set security to imaps or starttls");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("IMAP account " + name + ": port must be between 1 and 65535");
        }
    }

    /** An account that trusts the JVM's certificate authorities. */
    public ImapAccount(String name, String host, int port, Security security, String user, String password,
                       String accessToken, String folder, Duration pollInterval, boolean useIdle, int batchSize,
                       AfterImport afterImport, ArchiveFolders archive, long maxMessageSize) {
        this(name, host, port, security, user, password, accessToken, folder, pollInterval, useIdle, batchSize,
                afterImport, archive, maxMessageSize, null);
    }

    /** An account with the usual settings: IMAPS on 993, INBOX, IDLE, 1-minute polls, move to Archive/... */
    public static ImapAccount of(String host, String user, String password) {
        return new ImapAccount(null, host, 993, Security.IMAPS, user, password, null, "INBOX", Duration.ofMinutes(1),
                true, 100, AfterImport.MOVE, ArchiveFolders.defaults(), 50L * 1024 * 1024);
    }

    public ImapAccount withServer(int port, Security security) {
        return new ImapAccount(name, host, port, security, user, password, accessToken, folder, pollInterval, useIdle,
                batchSize, afterImport, archive, maxMessageSize, trustedCertificates);
    }

    public ImapAccount withPolling(Duration interval, boolean idle, int batch) {
        return new ImapAccount(name, host, port, security, user, password, accessToken, folder, interval, idle, batch,
                afterImport, archive, maxMessageSize, trustedCertificates);
    }

    public ImapAccount withAfterImport(AfterImport after) {
        return new ImapAccount(name, host, port, security, user, password, accessToken, folder, pollInterval, useIdle,
                batchSize, after, archive, maxMessageSize, trustedCertificates);
    }

    /** The same account logging in with an OAuth2 access token (SASL XOAUTH2) instead of a password. */
    public ImapAccount withAccessToken(String token) {
        return new ImapAccount(name, host, port, security, user, null, token, folder, pollInterval, useIdle,
                batchSize, afterImport, archive, maxMessageSize, trustedCertificates);
    }

    /** The same account reading mails up to {@code bytes} long. */
    public ImapAccount withMaxMessageSize(long bytes) {
        return new ImapAccount(name, host, port, security, user, password, accessToken, folder, pollInterval, useIdle,
                batchSize, afterImport, archive, bytes, trustedCertificates);
    }

    /** The same account trusting only the certificates in a PEM file for its TLS connections. */
    public ImapAccount withTrustedCertificates(Path pemFile) {
        return new ImapAccount(name, host, port, security, user, password, accessToken, folder, pollInterval, useIdle,
                batchSize, afterImport, archive, maxMessageSize, pemFile);
    }

    @Override
    public String toString() {
        // Never print the secrets.
        return "ImapAccount[" + name + " " + security + " " + host + ":" + port + " folder=" + folder + "]";
    }
}
