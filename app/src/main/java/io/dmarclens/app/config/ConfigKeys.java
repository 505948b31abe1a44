package io.dmarclens.app.config;

import io.dmarclens.alerts.AlertSettings;
import io.dmarclens.alerts.delivery.DeliverySettings;
import io.dmarclens.alerts.delivery.MailRelay;
import io.dmarclens.alerts.digest.DigestSettings;
import java.time.DayOfWeek;
import io.dmarclens.ingest.imap.ImapAccount;
import io.dmarclens.ingest.inbox.InboxLimits;
import io.dmarclens.ingest.oauth.OAuthSettings;
import io.dmarclens.ingest.smtp.SmtpLimits;
import io.dmarclens.ingest.smtp.SmtpSettings;
import io.dmarclens.parser.ParserLimits;
import io.dmarclens.web.WebSettings;
import io.dmarclens.web.metrics.MetricsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every configuration key, with its type and default: the one table that reading the file, the
 * environment and the flags checks against, and that docs/configuration.md lists (a test holds them equal).
 */
public final class ConfigKeys {
    private static final SmtpSettings SMTP = SmtpSettings.defaults();
    private static final SmtpLimits SMTP_LIMITS = SmtpLimits.defaults();
    private static final InboxLimits INBOX_LIMITS = InboxLimits.defaults();
    private static final WebSettings WEB = WebSettings.defaults();
    private static final ImapAccount.ArchiveFolders ARCHIVE = ImapAccount.ArchiveFolders.defaults();
    private static final AlertSettings ALERTS = AlertSettings.defaults();
    private static final DeliverySettings DELIVERY = DeliverySettings.none();

    public static final ConfigKey<Path> DATA_DIR = key("data_dir", ValueTypes.PATH, Path.of("data"));
    public static final ConfigKey<StoreSettings.Backend> STORE_BACKEND = key("store.backend",
            ValueTypes.oneOf(StoreSettings.Backend.class), StoreSettings.Backend.EMBEDDED);
    public static final ConfigKey<List<String>> STORE_OPENSEARCH_URLS = key("store.opensearch.urls", ValueTypes.LIST,
            List.of());
    public static final ConfigKey<String> STORE_OPENSEARCH_USER = key("store.opensearch.user", ValueTypes.STRING, null);
    public static final ConfigKey<String> STORE_OPENSEARCH_PASSWORD = secret("store.opensearch.password");
    public static final ConfigKey<String> STORE_OPENSEARCH_API_KEY = secret("store.opensearch.api_key");
    public static final ConfigKey<Path> STORE_OPENSEARCH_CA_CERTIFICATE = key("store.opensearch.ca_certificate",
            ValueTypes.PATH, null);
    public static final ConfigKey<String> STORE_OPENSEARCH_INDEX_PREFIX = key("store.opensearch.index_prefix",
            ValueTypes.STRING, "dmarc-lens");
    public static final ConfigKey<Integer> STORE_OPENSEARCH_SHARDS = key("store.opensearch.shards", ValueTypes.INTEGER, 1);
    public static final ConfigKey<Integer> STORE_OPENSEARCH_REPLICAS = key("store.opensearch.replicas",
            ValueTypes.INTEGER, 1);
    public static final ConfigKey<Duration> STORE_OPENSEARCH_COMMIT_GROUP_WINDOW = key(
            "store.opensearch.commit_group_window", ValueTypes.DURATION, Duration.ofSeconds(2));
    /** This node's name in a cluster; null means the host name. */
    public static final ConfigKey<String> NODE_NAME = key("node.name", ValueTypes.STRING, null);
    public static final ConfigKey<List<String>> NODE_ROLES = key("node.roles", ValueTypes.LIST,
            List.of("smtp", "imap", "inbox", "web", "jobs"));
    public static final ConfigKey<Duration> NODE_LEASE_TTL = key("node.lease_ttl", ValueTypes.DURATION,
            Duration.ofSeconds(30));
    public static final ConfigKey<Duration> NODE_HEARTBEAT_EVERY = key("node.heartbeat_every", ValueTypes.DURATION,
            Duration.ofSeconds(5));
    public static final ConfigKey<Boolean> OFFLINE = key("offline", ValueTypes.BOOLEAN, false);
    public static final ConfigKey<HostPort> WEB_LISTEN = key("web.listen", ValueTypes.HOST_PORT,
            new HostPort("127.0.0.1", 8080));
    public static final ConfigKey<Boolean> WEB_SECURE_COOKIES = key("web.secure_cookies", ValueTypes.BOOLEAN, false);
    public static final ConfigKey<List<String>> WEB_TWO_FACTOR_REQUIRED_ROLES = key("web.two_factor.required_roles",
            ValueTypes.LIST, List.of());
    public static final ConfigKey<Path> WEB_TWO_FACTOR_KEY_FILE = key("web.two_factor.key_file", ValueTypes.PATH, null);
    public static final ConfigKey<List<String>> WEB_TRUSTED_PROXIES = key("web.trusted_proxies", ValueTypes.LIST,
            List.of());
    public static final ConfigKey<Duration> WEB_SESSION_LIFETIME = key("web.session_lifetime", ValueTypes.DURATION,
            WEB.sessionLifetime());
    public static final ConfigKey<Duration> WEB_LOGIN_WINDOW = key("web.login.window", ValueTypes.DURATION,
            WEB.login().window());
    public static final ConfigKey<Integer> WEB_LOGIN_MAX_FAILURES_PER_PAIR = key("web.login.max_failures_per_pair",
            ValueTypes.INTEGER, WEB.login().perPair());
    public static final ConfigKey<Integer> WEB_LOGIN_MAX_FAILURES_PER_ADDRESS = key(
            "web.login.max_failures_per_address", ValueTypes.INTEGER, WEB.login().perAddress());
    public static final ConfigKey<Integer> WEB_LOGIN_MAX_FAILURES_PER_USER = key("web.login.max_failures_per_user",
            ValueTypes.INTEGER, WEB.login().perUser());
    public static final ConfigKey<Integer> WEB_LOGIN_TRACKED_KEYS = key("web.login.tracked_keys", ValueTypes.INTEGER,
            WEB.login().trackedKeys());
    public static final ConfigKey<Long> WEB_MIN_REQUEST_RATE = key("web.min_request_rate", ValueTypes.SIZE,
            WEB.requests().minDataRate());
    public static final ConfigKey<Duration> WEB_IDLE_TIMEOUT = key("web.idle_timeout", ValueTypes.DURATION,
            WEB.requests().idleTimeout());
    public static final ConfigKey<Integer> INBOX_WORKERS = key("inbox.workers", ValueTypes.INTEGER, 2);
    public static final ConfigKey<Long> INBOX_MIN_FREE_DISK = key("inbox.min_free_disk", ValueTypes.SIZE,
            INBOX_LIMITS.minFreeDisk());
    public static final ConfigKey<Integer> INBOX_JUNK_PER_SENDER = key("inbox.junk_per_sender", ValueTypes.INTEGER,
            INBOX_LIMITS.junkPerSender());
    public static final ConfigKey<Long> QUARANTINE_MAX_SIZE = key("quarantine.max_size", ValueTypes.SIZE,
            INBOX_LIMITS.quarantineMaxBytes());
    public static final ConfigKey<Duration> QUARANTINE_MAX_AGE = key("quarantine.max_age", ValueTypes.DURATION,
            INBOX_LIMITS.quarantineMaxAge());
    /** Age after which whole reports are deleted; null ({@code forever}) keeps them. */
    public static final ConfigKey<Duration> RETENTION_REPORTS = key("retention.reports", ValueTypes.AGE, null);
    /** Age after which the raw bytes of received reports are deleted; null ({@code forever}) keeps them. */
    public static final ConfigKey<Duration> RETENTION_RAW_SOURCES = key("retention.raw_sources", ValueTypes.AGE, null);
    public static final ConfigKey<Duration> RETENTION_EVERY = key("retention.every", ValueTypes.DURATION,
            Duration.ofDays(1));
    public static final ConfigKey<Integer> INGEST_MAX_MAIL_PARTS = key("ingest.max_mail_parts", ValueTypes.INTEGER,
            ParserLimits.DEFAULT_MAX_MAIL_PARTS);
    public static final ConfigKey<Boolean> SMTP_ENABLED = key("smtp.enabled", ValueTypes.BOOLEAN, true);
    public static final ConfigKey<HostPort> SMTP_LISTEN = key("smtp.listen", ValueTypes.HOST_PORT,
            new HostPort(SMTP.host(), SMTP.port()));
    public static final ConfigKey<String> SMTP_HOSTNAME = key("smtp.hostname", ValueTypes.STRING, SMTP.hostName());
    public static final ConfigKey<List<String>> SMTP_RECIPIENTS = key("smtp.recipients", ValueTypes.LIST, List.of());
    public static final ConfigKey<Long> SMTP_MAX_MESSAGE_SIZE = key("smtp.max_message_size", ValueTypes.SIZE,
            SMTP.maxMessageSize());
    public static final ConfigKey<Integer> SMTP_MAX_CONNECTIONS = key("smtp.max_connections", ValueTypes.INTEGER,
            SMTP.maxConnections());
    public static final ConfigKey<Duration> SMTP_READ_TIMEOUT = key("smtp.read_timeout", ValueTypes.DURATION,
            SMTP.readTimeout());
    public static final ConfigKey<Integer> SMTP_MAX_CONNECTIONS_PER_ADDRESS = key("smtp.max_connections_per_address",
            ValueTypes.INTEGER, SMTP_LIMITS.connectionsPerAddress());
    public static final ConfigKey<Duration> SMTP_COMMAND_DEADLINE = key("smtp.command_deadline", ValueTypes.DURATION,
            SMTP_LIMITS.commandDeadline());
    public static final ConfigKey<Duration> SMTP_DATA_DEADLINE = key("smtp.data_deadline", ValueTypes.DURATION,
            SMTP_LIMITS.dataDeadline());
    public static final ConfigKey<Path> SMTP_TLS_CERTIFICATE = key("smtp.tls.certificate", ValueTypes.PATH, null);
    public static final ConfigKey<Path> SMTP_TLS_KEY = key("smtp.tls.key", ValueTypes.PATH, null);
    public static final ConfigKey<Boolean> SMTP_TLS_REQUIRED = key("smtp.tls.required", ValueTypes.BOOLEAN, false);
    public static final ConfigKey<Boolean> REPORTS_EXCLUDE_UNVERIFIED = key("reports.exclude_unverified",
            ValueTypes.BOOLEAN, false);
    public static final ConfigKey<String> ENRICHMENT_DNS_SERVER = key("enrichment.dns_server", ValueTypes.STRING, null);
    public static final ConfigKey<List<String>> ENRICHMENT_GEOIP_FILES = key("enrichment.geoip_files",
            ValueTypes.LIST, List.of());
    public static final ConfigKey<Path> ENRICHMENT_SENDERS_FILE = key("enrichment.senders_file", ValueTypes.PATH, null);
    public static final ConfigKey<List<String>> ENRICHMENT_OWN_SENDERS = key("enrichment.own_senders",
            ValueTypes.LIST, List.of());

    public static final ConfigKey<Boolean> ALERTS_ENABLED = key("alerts.enabled", ValueTypes.BOOLEAN, ALERTS.enabled());
    public static final ConfigKey<Duration> ALERTS_EVALUATE_EVERY = key("alerts.evaluate_every", ValueTypes.DURATION,
            ALERTS.evaluateEvery());
    public static final ConfigKey<Integer> ALERTS_WINDOW_DAYS = key("alerts.window_days", ValueTypes.INTEGER,
            ALERTS.windowDays());
    public static final ConfigKey<Integer> ALERTS_BASELINE_DAYS = key("alerts.baseline_days", ValueTypes.INTEGER,
            ALERTS.baselineDays());
    public static final ConfigKey<Integer> ALERTS_MIN_HISTORY_DAYS = key("alerts.min_history_days", ValueTypes.INTEGER,
            ALERTS.minHistoryDays());
    public static final ConfigKey<Integer> ALERTS_NEW_FAILING_SOURCE_MIN_MESSAGES = key(
            "alerts.new_failing_source.min_messages", ValueTypes.INTEGER, ALERTS.newFailingSource().minMessages());
    public static final ConfigKey<Integer> ALERTS_NEW_FAILING_SOURCE_HISTORY_DAYS = key(
            "alerts.new_failing_source.history_days", ValueTypes.INTEGER, ALERTS.newFailingSource().historyDays());
    public static final ConfigKey<Duration> ALERTS_NEW_FAILING_SOURCE_COOLDOWN = key(
            "alerts.new_failing_source.cooldown", ValueTypes.DURATION, ALERTS.newFailingSource().cooldown());
    public static final ConfigKey<Integer> ALERTS_SENDER_BROKE_PASSING_DAYS = key("alerts.sender_broke.passing_days",
            ValueTypes.INTEGER, ALERTS.senderBroke().passingDays());
    public static final ConfigKey<Integer> ALERTS_SENDER_BROKE_MIN_MESSAGES = key("alerts.sender_broke.min_messages",
            ValueTypes.INTEGER, ALERTS.senderBroke().minMessages());
    public static final ConfigKey<Duration> ALERTS_SENDER_BROKE_COOLDOWN = key("alerts.sender_broke.cooldown",
            ValueTypes.DURATION, ALERTS.senderBroke().cooldown());
    public static final ConfigKey<Integer> ALERTS_PASS_RATE_DROP_POINTS = key("alerts.pass_rate_drop.points",
            ValueTypes.INTEGER, ALERTS.passRateDrop().points());
    public static final ConfigKey<Integer> ALERTS_PASS_RATE_DROP_MIN_MESSAGES = key("alerts.pass_rate_drop.min_messages",
            ValueTypes.INTEGER, ALERTS.passRateDrop().minMessages());
    public static final ConfigKey<Duration> ALERTS_PASS_RATE_DROP_COOLDOWN = key("alerts.pass_rate_drop.cooldown",
            ValueTypes.DURATION, ALERTS.passRateDrop().cooldown());
    public static final ConfigKey<Integer> ALERTS_SPOOFING_WAVE_MIN_MESSAGES = key("alerts.spoofing_wave.min_messages",
            ValueTypes.INTEGER, ALERTS.spoofingWave().minMessages());
    public static final ConfigKey<Duration> ALERTS_SPOOFING_WAVE_COOLDOWN = key("alerts.spoofing_wave.cooldown",
            ValueTypes.DURATION, ALERTS.spoofingWave().cooldown());
    public static final ConfigKey<Integer> ALERTS_REPORTER_SILENT_DAYS = key("alerts.reporter_silent.days",
            ValueTypes.INTEGER, ALERTS.reporterSilent().days());
    public static final ConfigKey<Integer> ALERTS_REPORTER_SILENT_ACTIVE_DAYS = key("alerts.reporter_silent.active_days",
            ValueTypes.INTEGER, ALERTS.reporterSilent().activeDays());
    public static final ConfigKey<Duration> ALERTS_REPORTER_SILENT_COOLDOWN = key("alerts.reporter_silent.cooldown",
            ValueTypes.DURATION, ALERTS.reporterSilent().cooldown());
    public static final ConfigKey<Integer> ALERTS_POLICY_CHANGED_DAYS = key("alerts.policy_changed.days",
            ValueTypes.INTEGER, ALERTS.policyChanged().days());
    public static final ConfigKey<Duration> ALERTS_POLICY_CHANGED_COOLDOWN = key("alerts.policy_changed.cooldown",
            ValueTypes.DURATION, ALERTS.policyChanged().cooldown());
    public static final ConfigKey<Duration> ALERTS_POSTURE_REGRESSION_CHECK_EVERY = key(
            "alerts.posture_regression.check_every", ValueTypes.DURATION, ALERTS.postureRegression().checkEvery());
    public static final ConfigKey<Duration> ALERTS_POSTURE_REGRESSION_COOLDOWN = key(
            "alerts.posture_regression.cooldown", ValueTypes.DURATION, ALERTS.postureRegression().cooldown());
    public static final ConfigKey<Integer> ALERTS_TLS_FAILURES_MIN_SESSIONS = key("alerts.tls_failures.min_sessions",
            ValueTypes.INTEGER, ALERTS.tlsFailures().minSessions());
    public static final ConfigKey<Integer> ALERTS_TLS_FAILURES_FACTOR = key("alerts.tls_failures.factor",
            ValueTypes.INTEGER, ALERTS.tlsFailures().factor());
    public static final ConfigKey<Duration> ALERTS_TLS_FAILURES_COOLDOWN = key("alerts.tls_failures.cooldown",
            ValueTypes.DURATION, ALERTS.tlsFailures().cooldown());
    public static final ConfigKey<Integer> ALERTS_QUARANTINE_GROWING_MIN_MESSAGES = key(
            "alerts.quarantine_growing.min_messages", ValueTypes.INTEGER, ALERTS.quarantineGrowing().minMessages());
    public static final ConfigKey<Duration> ALERTS_QUARANTINE_GROWING_PERIOD = key("alerts.quarantine_growing.period",
            ValueTypes.DURATION, ALERTS.quarantineGrowing().period());
    public static final ConfigKey<Duration> ALERTS_QUARANTINE_GROWING_COOLDOWN = key(
            "alerts.quarantine_growing.cooldown", ValueTypes.DURATION, ALERTS.quarantineGrowing().cooldown());
    public static final ConfigKey<Integer> ALERTS_INBOX_BACKLOG_MIN_MESSAGES = key("alerts.inbox_backlog.min_messages",
            ValueTypes.INTEGER, ALERTS.inboxBacklog().minMessages());
    public static final ConfigKey<Duration> ALERTS_INBOX_BACKLOG_PERIOD = key("alerts.inbox_backlog.period",
            ValueTypes.DURATION, ALERTS.inboxBacklog().period());
    public static final ConfigKey<Duration> ALERTS_INBOX_BACKLOG_COOLDOWN = key("alerts.inbox_backlog.cooldown",
            ValueTypes.DURATION, ALERTS.inboxBacklog().cooldown());
    public static final ConfigKey<Duration> ALERTS_IMAP_FAILING_AFTER = key("alerts.imap_failing.after",
            ValueTypes.DURATION, ALERTS.imapFailing().after());
    public static final ConfigKey<Duration> ALERTS_IMAP_FAILING_COOLDOWN = key("alerts.imap_failing.cooldown",
            ValueTypes.DURATION, ALERTS.imapFailing().cooldown());
    public static final ConfigKey<String> ALERTS_MAIL_HOST = key("alerts.mail.host", ValueTypes.STRING, null);
    /** Default: 587 for starttls, 465 for tls, 25 for none. */
    public static final ConfigKey<Integer> ALERTS_MAIL_PORT = key("alerts.mail.port", ValueTypes.INTEGER, null);
    public static final ConfigKey<MailRelay.Security> ALERTS_MAIL_SECURITY = key("alerts.mail.security",
            ValueTypes.oneOf(MailRelay.Security.class), MailRelay.Security.STARTTLS);
    public static final ConfigKey<String> ALERTS_MAIL_USER = key("alerts.mail.user", ValueTypes.STRING, null);
    public static final ConfigKey<String> ALERTS_MAIL_PASSWORD = secret("alerts.mail.password");
    public static final ConfigKey<String> ALERTS_MAIL_FROM = key("alerts.mail.from", ValueTypes.STRING, null);
    public static final ConfigKey<List<String>> ALERTS_MAIL_TO = key("alerts.mail.to", ValueTypes.LIST, List.of());
    public static final ConfigKey<Duration> ALERTS_MAIL_TIMEOUT = key("alerts.mail.timeout", ValueTypes.DURATION,
            Duration.ofSeconds(30));
    /** A secret: Slack, Teams and Mattermost hook addresses are credentials themselves. */
    public static final ConfigKey<String> ALERTS_HOOKS = secret("alerts.hooks");
    public static final ConfigKey<String> ALERTS_HOOK_SECRET = secret("alerts.hook_secret");
    public static final ConfigKey<Duration> ALERTS_HOOK_TIMEOUT = key("alerts.hook_timeout", ValueTypes.DURATION,
            DELIVERY.hookTimeout());
    public static final ConfigKey<String> ALERTS_DASHBOARD_URL = key("alerts.dashboard_url", ValueTypes.STRING, null);
    public static final ConfigKey<Duration> ALERTS_DELIVERY_EVERY = key("alerts.delivery.every", ValueTypes.DURATION,
            DELIVERY.every());
    public static final ConfigKey<Duration> ALERTS_DELIVERY_FIRST_RETRY = key("alerts.delivery.first_retry",
            ValueTypes.DURATION, DELIVERY.firstRetry());
    public static final ConfigKey<Duration> ALERTS_DELIVERY_MAX_RETRY = key("alerts.delivery.max_retry",
            ValueTypes.DURATION, DELIVERY.maxRetry());
    public static final ConfigKey<DigestSettings.Cadence> ALERTS_DIGEST_CADENCE = key("alerts.digest.cadence",
            ValueTypes.oneOf(DigestSettings.Cadence.class), DELIVERY.digests().cadence());
    public static final ConfigKey<Boolean> ALERTS_DIGEST_PER_DOMAIN = key("alerts.digest.per_domain", ValueTypes.BOOLEAN,
            DELIVERY.digests().perDomain());
    public static final ConfigKey<Boolean> ALERTS_DIGEST_ALL_DOMAINS = key("alerts.digest.all_domains",
            ValueTypes.BOOLEAN, DELIVERY.digests().allDomains());
    public static final ConfigKey<Integer> ALERTS_DIGEST_HOUR = key("alerts.digest.hour", ValueTypes.INTEGER,
            DELIVERY.digests().hour());
    public static final ConfigKey<DayOfWeek> ALERTS_DIGEST_WEEK_START = key("alerts.digest.week_start",
            ValueTypes.oneOf(DayOfWeek.class), DELIVERY.digests().weekStart());

    /** Keys of one entry of {@code imap.accounts}, relative to it. */
    public static final ConfigKey<Boolean> METRICS_ENABLED = key("metrics.enabled", ValueTypes.BOOLEAN, true);
    public static final ConfigKey<String> METRICS_TOKEN = secret("metrics.token");
    public static final ConfigKey<HostPort> METRICS_LISTEN = key("metrics.listen", ValueTypes.HOST_PORT, null);
    public static final ConfigKey<Integer> METRICS_DOMAINS = key("metrics.domains", ValueTypes.INTEGER,
            MetricsSettings.DEFAULT_DOMAINS);
    public static final ConfigKey<Duration> METRICS_DOMAIN_REFRESH = key("metrics.domain_refresh",
            ValueTypes.DURATION, MetricsSettings.DEFAULT_DOMAIN_REFRESH);

    public static final class Account {
        public static final ConfigKey<String> NAME = key("name", ValueTypes.STRING, null);
        public static final ConfigKey<String> HOST = key("host", ValueTypes.STRING, null);
        /** Default: 993 for imaps, else 143. */
        public static final ConfigKey<Integer> PORT = key("port", ValueTypes.INTEGER, null);
        public static final ConfigKey<ImapAccount.Security> SECURITY = key("security",
                ValueTypes.oneOf(ImapAccount.Security.class), ImapAccount.Security.IMAPS);
        public static final ConfigKey<String> USER = key("user", ValueTypes.STRING, null);
        public static final ConfigKey<String> PASSWORD = secret("password");
        public static final ConfigKey<String> ACCESS_TOKEN = secret("access_token");
        public static final ConfigKey<String> FOLDER = key("folder", ValueTypes.STRING, "INBOX");
        public static final ConfigKey<Duration> POLL_INTERVAL = key("poll_interval", ValueTypes.DURATION,
                Duration.ofMinutes(1));
        public static final ConfigKey<Boolean> IDLE = key("idle", ValueTypes.BOOLEAN, true);
        public static final ConfigKey<Integer> BATCH_SIZE = key("batch_size", ValueTypes.INTEGER, 100);
        public static final ConfigKey<ImapAccount.AfterImport> AFTER_IMPORT = key("after_import",
                ValueTypes.oneOf(ImapAccount.AfterImport.class), ImapAccount.AfterImport.MOVE);
        public static final ConfigKey<String> ARCHIVE_AGGREGATE = key("archive.aggregate", ValueTypes.STRING,
                ARCHIVE.aggregate());
        public static final ConfigKey<String> ARCHIVE_FAILURE = key("archive.failure", ValueTypes.STRING,
                ARCHIVE.failure());
        public static final ConfigKey<String> ARCHIVE_TLS = key("archive.tls", ValueTypes.STRING, ARCHIVE.tls());
        public static final ConfigKey<String> ARCHIVE_INVALID = key("archive.invalid", ValueTypes.STRING,
                ARCHIVE.invalid());
        public static final ConfigKey<Long> MAX_MESSAGE_SIZE = key("max_message_size", ValueTypes.SIZE,
                SmtpSettings.DEFAULT_MAX_MESSAGE_SIZE);
        public static final ConfigKey<Path> TRUSTED_CERTIFICATES = key("trusted_certificates", ValueTypes.PATH, null);
        /** How the mailbox is read: IMAP, or Microsoft Graph or the Gmail API (which need {@code oauth.*}). */
        public static final ConfigKey<Api> API = key("api", ValueTypes.oneOf(Api.class), Api.IMAP);
        /** The mail API's base address; default the public service's. */
        public static final ConfigKey<String> API_ENDPOINT = key("api_endpoint", ValueTypes.STRING, null);
        public static final ConfigKey<OAuthSettings.Provider> OAUTH_PROVIDER = key("oauth.provider",
                ValueTypes.oneOf(OAuthSettings.Provider.class), null);
        public static final ConfigKey<String> OAUTH_TENANT = key("oauth.tenant", ValueTypes.STRING, null);
        public static final ConfigKey<String> OAUTH_CLIENT_ID = key("oauth.client_id", ValueTypes.STRING, null);
        public static final ConfigKey<String> OAUTH_CLIENT_SECRET = secret("oauth.client_secret");
        public static final ConfigKey<Path> OAUTH_CERTIFICATE = key("oauth.certificate", ValueTypes.PATH, null);
        public static final ConfigKey<Path> OAUTH_SERVICE_ACCOUNT_KEY = key("oauth.service_account_key", ValueTypes.PATH,
                null);
        public static final ConfigKey<String> OAUTH_REFRESH_TOKEN = secret("oauth.refresh_token");
        public static final ConfigKey<String> OAUTH_TOKEN_ENDPOINT = key("oauth.token_endpoint", ValueTypes.STRING, null);
        public static final ConfigKey<String> OAUTH_SCOPE = key("oauth.scope", ValueTypes.STRING, null);

        /** Every key of an account entry. */
        public static final List<ConfigKey<?>> ALL = List.of(NAME, HOST, PORT, SECURITY, USER, PASSWORD, ACCESS_TOKEN,
                FOLDER, POLL_INTERVAL, IDLE, BATCH_SIZE, AFTER_IMPORT, ARCHIVE_AGGREGATE, ARCHIVE_FAILURE, ARCHIVE_TLS,
                ARCHIVE_INVALID, MAX_MESSAGE_SIZE, TRUSTED_CERTIFICATES, API, API_ENDPOINT, OAUTH_PROVIDER, OAUTH_TENANT,
                OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, OAUTH_CERTIFICATE, OAUTH_SERVICE_ACCOUNT_KEY, OAUTH_REFRESH_TOKEN,
                OAUTH_TOKEN_ENDPOINT, OAUTH_SCOPE);

        /** How a mailbox is read. */
        public enum Api { IMAP, GRAPH, GMAIL }

        private Account() {
        }
    }

    /** The list of IMAP accounts; its entries' keys are {@link Account}'s. */
    public static final String IMAP_ACCOUNTS = "imap.accounts";

    /** Every key outside the IMAP account list. */
    public static final List<ConfigKey<?>> ALL = List.of(DATA_DIR, STORE_BACKEND, STORE_OPENSEARCH_URLS,
            STORE_OPENSEARCH_USER, STORE_OPENSEARCH_PASSWORD, STORE_OPENSEARCH_API_KEY, STORE_OPENSEARCH_CA_CERTIFICATE,
            STORE_OPENSEARCH_INDEX_PREFIX, STORE_OPENSEARCH_SHARDS, STORE_OPENSEARCH_REPLICAS,
            STORE_OPENSEARCH_COMMIT_GROUP_WINDOW, NODE_NAME,
            NODE_ROLES, NODE_LEASE_TTL, NODE_HEARTBEAT_EVERY, OFFLINE, WEB_LISTEN, WEB_SECURE_COOKIES, WEB_TWO_FACTOR_REQUIRED_ROLES, WEB_TWO_FACTOR_KEY_FILE,
            WEB_TRUSTED_PROXIES, WEB_SESSION_LIFETIME, WEB_LOGIN_WINDOW, WEB_LOGIN_MAX_FAILURES_PER_PAIR,
            WEB_LOGIN_MAX_FAILURES_PER_ADDRESS, WEB_LOGIN_MAX_FAILURES_PER_USER, WEB_LOGIN_TRACKED_KEYS,
            WEB_MIN_REQUEST_RATE, WEB_IDLE_TIMEOUT, INBOX_WORKERS, INGEST_MAX_MAIL_PARTS, INBOX_MIN_FREE_DISK, INBOX_JUNK_PER_SENDER, QUARANTINE_MAX_SIZE, QUARANTINE_MAX_AGE,
            RETENTION_REPORTS, RETENTION_RAW_SOURCES, RETENTION_EVERY,
            SMTP_ENABLED, SMTP_LISTEN, SMTP_HOSTNAME, SMTP_RECIPIENTS, SMTP_MAX_MESSAGE_SIZE,
            SMTP_MAX_CONNECTIONS, SMTP_READ_TIMEOUT, SMTP_MAX_CONNECTIONS_PER_ADDRESS, SMTP_COMMAND_DEADLINE,
            SMTP_DATA_DEADLINE, SMTP_TLS_CERTIFICATE, SMTP_TLS_KEY, SMTP_TLS_REQUIRED,
            ENRICHMENT_DNS_SERVER, ENRICHMENT_GEOIP_FILES, ENRICHMENT_SENDERS_FILE, ENRICHMENT_OWN_SENDERS,
            REPORTS_EXCLUDE_UNVERIFIED, METRICS_ENABLED, METRICS_TOKEN, METRICS_LISTEN, METRICS_DOMAINS,
            METRICS_DOMAIN_REFRESH, ALERTS_ENABLED, ALERTS_EVALUATE_EVERY, ALERTS_WINDOW_DAYS, ALERTS_BASELINE_DAYS,
            ALERTS_MIN_HISTORY_DAYS, ALERTS_NEW_FAILING_SOURCE_MIN_MESSAGES, ALERTS_NEW_FAILING_SOURCE_HISTORY_DAYS,
            ALERTS_NEW_FAILING_SOURCE_COOLDOWN, ALERTS_SENDER_BROKE_PASSING_DAYS, ALERTS_SENDER_BROKE_MIN_MESSAGES,
            ALERTS_SENDER_BROKE_COOLDOWN, ALERTS_PASS_RATE_DROP_POINTS, ALERTS_PASS_RATE_DROP_MIN_MESSAGES,
            ALERTS_PASS_RATE_DROP_COOLDOWN, ALERTS_SPOOFING_WAVE_MIN_MESSAGES, ALERTS_SPOOFING_WAVE_COOLDOWN,
            ALERTS_REPORTER_SILENT_DAYS, ALERTS_REPORTER_SILENT_ACTIVE_DAYS, ALERTS_REPORTER_SILENT_COOLDOWN,
            ALERTS_POLICY_CHANGED_DAYS, ALERTS_POLICY_CHANGED_COOLDOWN, ALERTS_POSTURE_REGRESSION_CHECK_EVERY,
            ALERTS_POSTURE_REGRESSION_COOLDOWN, ALERTS_TLS_FAILURES_MIN_SESSIONS, ALERTS_TLS_FAILURES_FACTOR,
            ALERTS_TLS_FAILURES_COOLDOWN, ALERTS_QUARANTINE_GROWING_MIN_MESSAGES, ALERTS_QUARANTINE_GROWING_PERIOD,
            ALERTS_QUARANTINE_GROWING_COOLDOWN, ALERTS_INBOX_BACKLOG_MIN_MESSAGES, ALERTS_INBOX_BACKLOG_PERIOD,
            ALERTS_INBOX_BACKLOG_COOLDOWN, ALERTS_IMAP_FAILING_AFTER, ALERTS_IMAP_FAILING_COOLDOWN, ALERTS_MAIL_HOST,
            ALERTS_MAIL_PORT, ALERTS_MAIL_SECURITY, ALERTS_MAIL_USER, ALERTS_MAIL_PASSWORD, ALERTS_MAIL_FROM, ALERTS_MAIL_TO,
            ALERTS_MAIL_TIMEOUT, ALERTS_HOOKS, ALERTS_HOOK_SECRET, ALERTS_HOOK_TIMEOUT, ALERTS_DASHBOARD_URL,
            ALERTS_DELIVERY_EVERY, ALERTS_DELIVERY_FIRST_RETRY, ALERTS_DELIVERY_MAX_RETRY, ALERTS_DIGEST_CADENCE,
            ALERTS_DIGEST_PER_DOMAIN, ALERTS_DIGEST_ALL_DOMAINS, ALERTS_DIGEST_HOUR, ALERTS_DIGEST_WEEK_START);

    private static final Pattern ACCOUNT_KEY = Pattern.compile("imap\\.accounts\\.(\\d+)\\.(.+)");

    private ConfigKeys() {
    }

    /** The key a dotted name stands for, counting a secret's {@code _file} name as its key. */
    static Optional<ConfigKey<?>> find(String name) {
        Matcher account = ACCOUNT_KEY.matcher(name);
        return account.matches() ? find(Account.ALL, account.group(2)) : find(ALL, name);
    }

    private static Optional<ConfigKey<?>> find(List<ConfigKey<?>> keys, String name) {
        return keys.stream().filter(k -> k.name().equals(name) || k.secret() && k.fileKey().equals(name)).findFirst();
    }

    /** Every name that may be given: each key, and each secret's {@code _file} twin. */
    static Stream<String> names(List<ConfigKey<?>> keys) {
        return keys.stream().flatMap(k -> k.secret() ? Stream.of(k.name(), k.fileKey()) : Stream.of(k.name()));
    }

    private static <T> ConfigKey<T> key(String name, ConfigKey.ValueType<T> type, T defaultValue) {
        return new ConfigKey<>(name, type, defaultValue, false);
    }

    private static ConfigKey<String> secret(String name) {
        return new ConfigKey<>(name, ValueTypes.STRING, null, true);
    }

    /** {@code host:port}, with {@code [v6]:port} allowed. */
    public record HostPort(String host, int port) {
    }

    /** The value types keys use. */
    static final class ValueTypes {
        static final ConfigKey.ValueType<String> STRING = (key, text, where) -> text;
        static final ConfigKey.ValueType<Path> PATH = (key, text, where) -> Path.of(text);
        static final ConfigKey.ValueType<List<String>> LIST = (key, text, where) ->
                Arrays.stream(text.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
        static final ConfigKey.ValueType<Boolean> BOOLEAN = (key, text, where) ->
                switch (text.toLowerCase(Locale.ROOT)) {
                    case "true", "yes", "on", "1" -> true;
                    case "false", "no", "off", "0" -> false;
                    default -> throw new ConfigException(where + ": " + key + " must be true or false, not '" + text + "'");
                };
        static final ConfigKey.ValueType<Integer> INTEGER = (key, text, where) -> {
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new ConfigException(where + ": " + key + " must be a whole number, not '" + text + "'");
            }
        };
        private static final Pattern SIZE_TEXT = Pattern.compile("(\\d+)\\s*([KMG]i?B?|B)?", Pattern.CASE_INSENSITIVE);
        /** Bytes: {@code 52428800}, {@code 50MiB}, {@code 50MB}, {@code 512KiB}, {@code 1GiB}. */
        static final ConfigKey.ValueType<Long> SIZE = (key, text, where) -> {
            Matcher m = SIZE_TEXT.matcher(text);
            if (!m.matches()) {
                throw new ConfigException(where + ": " + key + " must be a size like 52428800 or 50MiB, not '" + text + "'");
            }
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
            return switch (unit.charAt(0)) {
                case 'K' -> n * 1024;
                case 'M' -> n * 1024 * 1024;
                case 'G' -> n * 1024 * 1024 * 1024;
                default -> n;
            };
        };
        private static final Pattern DURATION_TEXT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
        /** {@code 30s}, {@code 5m}, {@code 2h}, {@code 500ms} or ISO-8601 {@code PT5M}. */
        static final ConfigKey.ValueType<Duration> DURATION = (key, text, where) -> {
            Matcher m = DURATION_TEXT.matcher(text.toLowerCase(Locale.ROOT));
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
            try {
                return Duration.parse(text);
            } catch (RuntimeException e) {
                throw new ConfigException(where + ": " + key + " must be a duration like 30s, 5m or 1h, not '" + text + "'");
            }
        };
        /** A duration as {@link #DURATION}, or {@code forever} (also {@code never}, {@code off}): null, keep forever. */
        static final ConfigKey.ValueType<Duration> AGE = (key, text, where) -> {
            String t = text.strip().toLowerCase(Locale.ROOT);
            if (t.equals("forever") || t.equals("never") || t.equals("off")) {
                return null;
            }
            try {
                return DURATION.parse(key, t, where);
            } catch (ConfigException e) {
                throw new ConfigException(where + ": " + key + " must be an age like 400d or 90d, or forever, not '"
                        + text + "'");
            }
        };
        static final ConfigKey.ValueType<HostPort> HOST_PORT = ConfigLoader::parseHostPort;

        /** One of an enum's constants, written in lower case with '_' or '-'. */
        static <E extends Enum<E>> ConfigKey.ValueType<E> oneOf(Class<E> type) {
            return (key, text, where) -> {
                String name = text.toUpperCase(Locale.ROOT).replace('-', '_');
                for (E e : type.getEnumConstants()) {
                    if (e.name().equals(name)) {
                        return e;
                    }
                }
                List<String> allowed = Arrays.stream(type.getEnumConstants())
                        .map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
                String choices = allowed.size() == 1 ? allowed.get(0)
                        : String.join(", ", allowed.subList(0, allowed.size() - 1)) + " or " + allowed.get(allowed.size() - 1);
                throw new ConfigException(where + ": " + key + " must be " + choices + ", not "
                        + text.toLowerCase(Locale.ROOT));
            };
        }

        private ValueTypes() {
        }
    }
}
