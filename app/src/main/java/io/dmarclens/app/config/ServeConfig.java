package io.dmarclens.app.config;

import io.dmarclens.alerts.AlertSettings;
import io.dmarclens.alerts.delivery.DeliverySettings;
import io.dmarclens.ingest.IngestSettings;
import io.dmarclens.ingest.Mailboxes;
import io.dmarclens.ingest.enrich.EnrichmentSettings;
import io.dmarclens.ingest.imap.ImapAccount;
import io.dmarclens.ingest.inbox.InboxLimits;
import io.dmarclens.ingest.smtp.SmtpSettings;
import io.dmarclens.parser.ParserLimits;
import io.dmarclens.web.WebSettings;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything {@code serve} needs, read from the configuration file, the environment and the flags.
 *
 * @param dataDir      where the database, index, inbox and quarantine live
 * @param offline      no DNS lookups (reverse DNS of senders)
 * @param webHost      the dashboard's listen address
 * @param webPort      the dashboard's port
 * @param web          the dashboard's sessions, login limits and trusted proxies (and Secure cookies)
 * @param inboxWorkers threads processing the durable inbox
 * @param maxMailParts MIME parts the parser reads from the mails of one input (the rest is not read)
 * @param smtp         the SMTP receiver
 * @param imap         the IMAP mailboxes to empty
 * @param enrichment   reverse DNS, GeoIP, sender directory and own senders
 * @param excludeUnverified leave reports mailed in without a verified origin (DKIM) out of the figures
 * @param inboxLimits  free disk to keep, the quarantine's bounds, junk allowed per sender
 * @param alerts       the alert rules' schedule, thresholds and cooldowns
 * @param mailboxes    OAuth2 token supplies of IMAP accounts, and the mailboxes read through Graph or Gmail
 * @param delivery     where alert notices and digests go, their retries and the digests' cadence
 * @param store        which store holds the reports (embedded, or an OpenSearch cluster)
 * @param node         this node's name and roles in a cluster, its leases' time to live
 * @param retention    how long reports and raw bytes are kept, how often serve applies it
 */
public record ServeConfig(Path dataDir, boolean offline, String webHost, int webPort, WebSettings web,
                          int inboxWorkers, int maxMailParts, SmtpSettings smtp, List<ImapAccount> imap,
                          EnrichmentSettings enrichment, boolean excludeUnverified, InboxLimits inboxLimits,
                          AlertSettings alerts, Mailboxes mailboxes, DeliverySettings delivery, StoreSettings store,
                          NodeSettings node, RetentionSettings retention) {
    public ServeConfig {
        retention = retention == null ? RetentionSettings.defaults() : retention;
        node = node == null ? NodeSettings.defaults() : node;
        delivery = delivery == null ? DeliverySettings.none() : delivery;
        imap = List.copyOf(imap);
        alerts = alerts == null ? AlertSettings.defaults() : alerts;
        store = store == null ? StoreSettings.embedded() : store;
        mailboxes = mailboxes == null ? Mailboxes.none() : mailboxes;
        inboxLimits = inboxLimits == null ? InboxLimits.defaults() : inboxLimits;
        if (inboxWorkers < 1 || inboxWorkers > 64) {
            throw new ConfigException("inbox.workers must be between 1 and 64, not " + inboxWorkers);
        }
        if (maxMailParts < 1) {
            throw new ConfigException("ingest.max_mail_parts must be at least 1, not " + maxMailParts);
        }
    }

    /** Keeping every report forever. */
    public ServeConfig(Path dataDir, boolean offline, String webHost, int webPort, WebSettings web, int inboxWorkers,
                       int maxMailParts, SmtpSettings smtp, List<ImapAccount> imap, EnrichmentSettings enrichment,
                       boolean excludeUnverified, InboxLimits inboxLimits, AlertSettings alerts, Mailboxes mailboxes,
                       DeliverySettings delivery, StoreSettings store, NodeSettings node) {
        this(dataDir, offline, webHost, webPort, web, inboxWorkers, maxMailParts, smtp, imap, enrichment,
                excludeUnverified, inboxLimits, alerts, mailboxes, delivery, store, node, null);
    }

    /** A node with every role, named after the host. */
    public ServeConfig(Path dataDir, boolean offline, String webHost, int webPort, WebSettings web, int inboxWorkers,
                       int maxMailParts, SmtpSettings smtp, List<ImapAccount> imap, EnrichmentSettings enrichment,
                       boolean excludeUnverified, InboxLimits inboxLimits, AlertSettings alerts, Mailboxes mailboxes,
                       DeliverySettings delivery, StoreSettings store) {
        this(dataDir, offline, webHost, webPort, web, inboxWorkers, maxMailParts, smtp, imap, enrichment,
                excludeUnverified, inboxLimits, alerts, mailboxes, delivery, store, null);
    }

    /** As the canonical constructor, with the alert rules' defaults. */
    public ServeConfig(Path dataDir, boolean offline, String webHost, int webPort, WebSettings web, int inboxWorkers,
                       int maxMailParts, SmtpSettings smtp, List<ImapAccount> imap, EnrichmentSettings enrichment,
                       boolean excludeUnverified, InboxLimits inboxLimits) {
        this(dataDir, offline, webHost, webPort, web, inboxWorkers, maxMailParts, smtp, imap, enrichment,
                excludeUnverified, inboxLimits, AlertSettings.defaults(), Mailboxes.none(), DeliverySettings.none(),
                StoreSettings.embedded());
    }

    /** Without OAuth2 token supplies or mail API mailboxes. */
    public ServeConfig(Path dataDir, boolean offline, String webHost, int webPort, WebSettings web, int inboxWorkers,
                       int maxMailParts, SmtpSettings smtp, List<ImapAccount> imap, EnrichmentSettings enrichment,
                       boolean excludeUnverified, InboxLimits inboxLimits, AlertSettings alerts) {
        this(dataDir, offline, webHost, webPort, web, inboxWorkers, maxMailParts, smtp, imap, enrichment,
                excludeUnverified, inboxLimits, alerts, Mailboxes.none(), DeliverySettings.none(), StoreSettings.embedded());
    }

    /** Sending no alert notices nor digests. */
    public ServeConfig(Path dataDir, boolean offline, String webHost, int webPort, WebSettings web, int inboxWorkers,
                       int maxMailParts, SmtpSettings smtp, List<ImapAccount> imap, EnrichmentSettings enrichment,
                       boolean excludeUnverified, InboxLimits inboxLimits, AlertSettings alerts, Mailboxes mailboxes) {
        this(dataDir, offline, webHost, webPort, web, inboxWorkers, maxMailParts, smtp, imap, enrichment,
                excludeUnverified, inboxLimits, alerts, mailboxes, DeliverySettings.none(), StoreSettings.embedded());
    }

    /** On the embedded store. */
    public ServeConfig(Path dataDir, boolean offline, String webHost, int webPort, WebSettings web, int inboxWorkers,
                       int maxMailParts, SmtpSettings smtp, List<ImapAccount> imap, EnrichmentSettings enrichment,
                       boolean excludeUnverified, InboxLimits inboxLimits, AlertSettings alerts, Mailboxes mailboxes,
                       DeliverySettings delivery) {
        this(dataDir, offline, webHost, webPort, web, inboxWorkers, maxMailParts, smtp, imap, enrichment,
                excludeUnverified, inboxLimits, alerts, mailboxes, delivery, StoreSettings.embedded());
    }

    /** The ingest side's part of the configuration. */
    public IngestSettings ingest() {
        return new IngestSettings(inboxWorkers, smtp, imap, inboxLimits, mailboxes);
    }

    /** The caps of the report parser that {@code serve} runs on received mail and uploads. */
    public ParserLimits parserLimits() {
        return ParserLimits.DEFAULT.withMaxMailParts(maxMailParts);
    }

    /** The same configuration in another data directory (for {@code --demo}, tests). */
    public ServeConfig withDataDir(Path dir) {
        return new ServeConfig(dir, offline, webHost, webPort, web, inboxWorkers, maxMailParts, smtp, imap, enrichment,
                excludeUnverified, inboxLimits, alerts, mailboxes, delivery, store, node, retention);
    }
}
