package io.dmarclens.ingest;

import io.dmarclens.ingest.imap.ImapAccount;
import io.dmarclens.ingest.inbox.InboxLimits;
import io.dmarclens.ingest.smtp.SmtpSettings;
import java.util.List;

/**
 * How mail comes in: the inbox worker count, the SMTP receiver and the IMAP accounts.
 *
 * @param workers threads processing the durable inbox
 * @param smtp    the SMTP receiver ({@link SmtpSettings#enabled()} false to run without)
 * @param imap    mailboxes to empty; may be empty
 * @param limits  free disk to keep, the quarantine's bounds, the junk allowed per sender
 * @param mailboxes OAuth2 token supplies of IMAP accounts, and mailboxes read through Graph or the Gmail API
 */
public record IngestSettings(int workers, SmtpSettings smtp, List<ImapAccount> imap, InboxLimits limits,
                             Mailboxes mailboxes) {
    /** Without OAuth2 token supplies or mail API mailboxes. */
    public IngestSettings(int workers, SmtpSettings smtp, List<ImapAccount> imap, InboxLimits limits) {
        this(workers, smtp, imap, limits, Mailboxes.none());
    }

    /** With the default {@link InboxLimits}. */
    public IngestSettings(int workers, SmtpSettings smtp, List<ImapAccount> imap) {
        this(workers, smtp, imap, InboxLimits.defaults());
    }

    public IngestSettings {
        imap = List.copyOf(imap);
        limits = limits == null ? InboxLimits.defaults() : limits;
        mailboxes = mailboxes == null ? Mailboxes.none() : mailboxes;
        if (workers < 1) {
            throw new IllegalArgumentException("inbox workers must be at least 1, not " + workers);
        }
    }

    /** Only the inbox and its workers: no SMTP, no IMAP (for commands such as {@code quarantine retry}). */
    public static IngestSettings inboxOnly(int workers) {
        SmtpSettings off = SmtpSettings.defaults();
        off = new SmtpSettings(false, off.host(), off.port(), off.hostName(), off.recipients(), off.maxMessageSize(),
                off.maxConnections(), off.readTimeout(), null, null, false, off.limits());
        return new IngestSettings(workers, off, List.of());
    }
}
