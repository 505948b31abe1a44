package io.dmarclens.ingest.mailapi;

import io.dmarclens.ingest.imap.ImapAccount;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * A mailbox read through a mail API instead of IMAP.
 *
 * @param name           a short name for logs and the ingest log (defaults to the user)
 * @param api            which API
 * @param user           the mailbox: a user id or address (Graph's {@code /users/{id}}, Gmail's {@code userId})
 * @param folder         Graph: the folder (a well-known name such as {@code inbox}, or a path of display names
 *                       {@code Reports/DMARC}); Gmail: the label ({@code INBOX} or a label name)
 * @param endpoint       the API's base address (for national clouds and tests)
 * @param pollInterval   how long to wait when the folder is empty
 * @param batchSize      messages read per round
 * @param archive        the folders (Graph) or labels (Gmail) messages are moved to once stored
 * @param maxMessageSize larger messages are not imported (logged as rejected, moved to the invalid folder)
 */
public record MailApiAccount(String name, Api api, String user, String folder, URI endpoint, Duration pollInterval,
                             int batchSize, ImapAccount.ArchiveFolders archive, long maxMessageSize) {
    /** The mail APIs DMARC Lens reads. */
    public enum Api {
        /** Microsoft Graph: {@code /users/{id}/mailFolders/{folder}/messages}. */
        GRAPH(URI.create("https://graph.microsoft.com/v1.0"), "inbox"),
        /** The Gmail API: {@code users.messages.list} with a label. */
        GMAIL(URI.create("https://gmail.googleapis.com"), "INBOX");

        private final URI endpoint;
        private final String folder;

        Api(URI endpoint, String folder) {
            this.endpoint = endpoint;
            this.folder = folder;
        }

        /** The public service's base address. */
        public URI defaultEndpoint() {
            return endpoint;
        }

        /** The folder or label read unless another is configured. */
        public String defaultFolder() {
            return folder;
        }
    }

    public MailApiAccount {
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(pollInterval, "pollInterval");
        name = name == null || name.isBlank() ? user : name;
        folder = folder == null || folder.isBlank() ? api.defaultFolder() : folder;
        endpoint = endpoint == null ? api.defaultEndpoint() : endpoint;
        archive = archive == null ? ImapAccount.ArchiveFolders.defaults() : archive;
        if (batchSize < 1) {
            throw new IllegalArgumentException("mail API account " + name + ": batch size must be at least 1");
        }
    }

    @Override
    public String toString() {
        return "MailApiAccount[" + name + " " + api + " " + endpoint + " folder=" + folder + "]";
    }
}
