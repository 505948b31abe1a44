package io.dmarclens.alerts.rules;

import java.util.List;

/** What the ingest rules read about DMARC Lens' own intake; {@code app} adapts the running ingest service. */
public interface IngestHealth {
    /** Messages in the quarantine now. */
    long quarantined();

    /** Messages accepted into the inbox and not processed yet. */
    long backlog();

    /** Each IMAP mailbox and whether it is failing now. */
    List<Mailbox> mailboxes();

    /**
     * One IMAP mailbox.
     *
     * @param name        the account's name
     * @param failing     whether its last connection or round failed (and it has not connected since)
     * @param lastFailure why, or null
     */
    record Mailbox(String name, boolean failing, String lastFailure) {
    }

    /** No intake to watch (commands that only import files, tests). */
    static IngestHealth none() {
        return new IngestHealth() {
            @Override
            public long quarantined() {
                return 0;
            }

            @Override
            public long backlog() {
                return 0;
            }

            @Override
            public List<Mailbox> mailboxes() {
                return List.of();
            }
        };
    }
}
