package io.dmarclens.alerts.delivery;

import java.time.Duration;
import java.util.Objects;

/**
 * The SMTP relay alert and digest mails go through.
 *
 * @param host     relay host
 * @param port     relay port (587 for STARTTLS, 465 for TLS, 25 for none are the usual ones)
 * @param security how the connection is protected
 * @param user     user to authenticate as, or null for none
 * @param password the password (from a file or the environment, like every secret), or null
 * @param from     the sender address of the mails
 * @param timeout  connect and read timeout
 */
public record MailRelay(String host, int port, Security security, String user, String password, String from,
                        Duration timeout) {
    public MailRelay {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(timeout, "timeout");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("the relay port must be between 1 and 65535, not " + port);
        }
    }

    /** How the connection to the relay is protected. */
    public enum Security {
        /** Plain SMTP (only for a relay on the same host or network). */
        NONE,
        /** SMTP upgraded with STARTTLS, which is then required. */
        STARTTLS,
        /** SMTP inside TLS from the first byte (SMTPS). */
        TLS
    }

    @Override
    public String toString() {
        return "MailRelay[" + host + ":" + port + " " + security + (user == null ? "" : " as " + user) + "]";
    }
}
