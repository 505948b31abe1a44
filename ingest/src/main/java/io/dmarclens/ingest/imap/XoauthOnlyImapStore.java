package io.dmarclens.ingest.imap;

import jakarta.mail.Session;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;

/**
 * The IMAP store for accounts that log in with an OAuth2 access token. When the server does not offer
 * SASL XOAUTH2, the mail client would fall back to a plain LOGIN with the token as the password, handing a
 * bearer token to whatever answers on that host and port. This store refuses before any credential is
 * sent (the check runs after TLS, when the server's capabilities are final).
 */
final class XoauthOnlyImapStore extends IMAPStore {
    XoauthOnlyImapStore(Session session, boolean ssl) {
        super(session, null, ssl ? "imaps" : "imap", ssl);
    }

    @Override
    protected void preLogin(IMAPProtocol p) throws ProtocolException {
        if (!p.hasCapability("AUTH=XOAUTH2")) {
            throw new ProtocolException("the server does not offer SASL XOAUTH2 (no AUTH=XOAUTH2 in its capabilities),"
                    + " so the access token was not sent; check the host and port, or log in with a password");
        }
    }
}
