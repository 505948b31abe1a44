package io.dmarclens.web.config;

import io.dmarclens.ingest.imap.ImapAccount;
import io.dmarclens.ingest.smtp.SmtpSettings;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything {@code serve} needs, read from the configuration file, the environment and the flags.
 *
 * @param dataDir      where the database, index, inbox and quarantine live
 * @param offline      no DNS lookups (reverse DNS of senders)
 * @param webHost      the dashboard's listen address
 * @param webPort      the dashboard's port
 * @param secureCookies mark session cookies Secure (when served behind https)
 * @param inboxWorkers threads processing the durable inbox
 * @param smtp         the SMTP receiver
 * @param imap         the IMAP mailboxes to empty
 */
public record ServeConfig(Path dataDir, boolean offline, String webHost, int webPort, boolean secureCookies,
                          int inboxWorkers, SmtpSettings smtp, List<ImapAccount> imap) {
    public ServeConfig {
        imap = List.copyOf(imap);
        if (inboxWorkers < 1 || inboxWorkers > 64) {
            throw new ConfigException("inbox.workers must be between 1 and 64, not " + inboxWorkers);
        }
    }
}
