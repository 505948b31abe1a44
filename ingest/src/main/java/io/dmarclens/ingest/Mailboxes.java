package io.dmarclens.ingest;

import io.dmarclens.ingest.mailapi.MailApiAccount;
import io.dmarclens.ingest.oauth.OAuthSettings;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The OAuth2 side of the mailboxes: how each IMAP account that logs in with OAuth2 gets its tokens, and
 * the mailboxes read through a mail API (Graph, Gmail) instead of IMAP.
 *
 * @param imapOAuth token supply per IMAP account name (accounts not named here log in as configured)
 * @param apis      mailboxes read through a mail API, each with its token supply
 */
public record Mailboxes(Map<String, OAuthSettings> imapOAuth, List<ApiMailbox> apis) {
    /** A mailbox read through a mail API. */
    public record ApiMailbox(MailApiAccount account, OAuthSettings oauth) {
        public ApiMailbox {
            Objects.requireNonNull(account, "account");
            Objects.requireNonNull(oauth, "oauth");
        }
    }

    public Mailboxes {
        imapOAuth = Map.copyOf(imapOAuth);
        apis = List.copyOf(apis);
    }

    /** No OAuth2 token supplies and no mail API mailboxes. */
    public static Mailboxes none() {
        return new Mailboxes(Map.of(), List.of());
    }
}
