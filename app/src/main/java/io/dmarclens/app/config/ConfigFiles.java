package io.dmarclens.app.config;

import io.dmarclens.ingest.Mailboxes;
import io.dmarclens.ingest.imap.ImapAccount;
import io.dmarclens.ingest.imap.TrustedCertificates;
import io.dmarclens.ingest.mailapi.MailApiAccount;
import io.dmarclens.ingest.oauth.OAuthSettings;
import io.dmarclens.ingest.oauth.TokenException;
import io.dmarclens.ingest.smtp.PemTls;
import io.dmarclens.store.Clocks;
import io.dmarclens.ingest.smtp.SmtpSettings;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Checks every file a configuration names, as {@code serve} will use it, before anything starts
 * listening: the SMTP TLS certificate and key and each IMAP account's trusted certificates are read and
 * parsed, GeoIP files and the sender list must be readable files. (Password and token files are read
 * when the configuration is loaded.) The first problem is a {@link ConfigException} naming the key.
 */
public final class ConfigFiles {
    private ConfigFiles() {
    }

    /**
     * @param where the configuration file, or "configuration" when there is none (starts each message)
     * @throws ConfigException naming the key, the file and what to do
     */
    public static void check(ServeConfig config, String where) {
        SmtpSettings smtp = config.smtp();
        if (smtp.enabled() && smtp.tlsCertificate() != null) {
            try {
                PemTls.serverContext(smtp.tlsCertificate(), smtp.tlsKey());
            } catch (IOException e) {
                throw new ConfigException(where + ": smtp.tls.certificate / smtp.tls.key: " + why(e)
                        + "; set them to the PEM certificate chain and its unencrypted private key", e);
            }
        }
        List<ImapAccount> accounts = config.imap();
        for (int i = 0; i < accounts.size(); i++) {
            ImapAccount account = accounts.get(i);
            if (account.trustedCertificates() != null) {
                try {
                    TrustedCertificates.socketFactory(account.trustedCertificates());
                } catch (IOException e) {
                    throw new ConfigException(where + ": imap.accounts." + i + ".trusted_certificates (account "
                            + account.name() + "): " + why(e) + "; set it to the PEM file of the server's certificate"
                            + " or its CA", e);
                }
            }
        }
        oauthFiles(config, where);
        for (Path geoip : config.enrichment().geoipFiles()) {
            readable(geoip, where, "enrichment.geoip_files", "an MMDB file (GeoLite2, DB-IP, ip-location-db)");
        }
        if (config.store().onOpenSearch() && config.store().opensearch().caCertificate() != null) {
            readable(config.store().opensearch().caCertificate(), where, "store.opensearch.ca_certificate",
                    "the PEM certificate of the CA that signed the cluster's HTTPS certificate");
        }
        if (config.web().twoFactorKeyFile() != null) {
            readable(config.web().twoFactorKeyFile(), where, "web.two_factor.key_file",
                    "the 32-byte key that seals the two-factor secrets (make one with: head -c 32 /dev/urandom > FILE)");
        }
        if (config.enrichment().sendersFile() != null) {
            readable(config.enrichment().sendersFile(), where, "enrichment.senders_file",
                    "your sender list (key<TAB>name<TAB>type)");
        }
    }

    /**
     * The OAuth2 key, certificate and token files are read now (no token is fetched): a mistake stops the
     * start with the account named, rather than failing its first connection.
     */
    private static void oauthFiles(ServeConfig config, String where) {
        Map<String, OAuthSettings> imap = config.mailboxes().imapOAuth();
        for (ImapAccount account : config.imap()) {
            OAuthSettings oauth = imap.get(account.name());
            if (oauth != null) {
                openTokens(oauth, account.user(), OAuthSettings.Use.IMAP, account.name(), where);
            }
        }
        for (Mailboxes.ApiMailbox mailbox : config.mailboxes().apis()) {
            MailApiAccount account = mailbox.account();
            openTokens(mailbox.oauth(), account.user(), account.api() == MailApiAccount.Api.GRAPH
                    ? OAuthSettings.Use.GRAPH : OAuthSettings.Use.GMAIL, account.name(), where);
        }
    }

    private static void openTokens(OAuthSettings oauth, String user, OAuthSettings.Use use, String account,
                                   String where) {
        if (oauth.provider() == OAuthSettings.Provider.TOKEN_FILE) {
            readable(oauth.tokenFile(), where, "imap.accounts (account " + account + ") access_token_file",
                    "the file your token tool writes");
            return;
        }
        try {
            oauth.open(user, use, Clocks.system());
        } catch (TokenException e) {
            throw new ConfigException(where + ": imap.accounts (account " + account + ") oauth: " + e.getMessage(), e);
        }
    }

    private static void readable(Path file, String where, String key, String what) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(where + ": " + key + ": no such file " + file + "; set it to " + what
                    + " or leave the key out");
        }
        if (!Files.isReadable(file)) {
            throw new ConfigException(where + ": " + key + ": cannot read " + file + " (permission denied)");
        }
    }

    /** An I/O failure in words: "no such file X" rather than a bare path. */
    static String why(IOException e) {
        if (e instanceof NoSuchFileException n) {
            return "no such file " + n.getFile();
        }
        if (e instanceof AccessDeniedException a) {
            return "cannot read " + a.getFile() + " (permission denied)";
        }
        return e.getMessage();
    }
}
