package io.dmarclens.app.config;

import io.dmarclens.alerts.AlertSettings;
import io.dmarclens.alerts.delivery.DeliverySettings;
import io.dmarclens.alerts.delivery.MailRelay;
import io.dmarclens.alerts.digest.DigestSettings;
import io.dmarclens.alerts.rules.ImapFailing;
import io.dmarclens.alerts.rules.InboxBacklog;
import io.dmarclens.alerts.rules.NewFailingSource;
import io.dmarclens.alerts.rules.PassRateDrop;
import io.dmarclens.alerts.rules.PolicyChanged;
import io.dmarclens.alerts.rules.PostureRegression;
import io.dmarclens.alerts.rules.QuarantineGrowing;
import io.dmarclens.alerts.rules.ReporterSilent;
import io.dmarclens.alerts.rules.SenderBroke;
import io.dmarclens.alerts.rules.SpoofingWave;
import io.dmarclens.alerts.rules.TlsFailuresRising;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dmarclens.ingest.enrich.EnrichmentSettings;
import io.dmarclens.ingest.Mailboxes;
import io.dmarclens.ingest.imap.ImapAccount;
import io.dmarclens.ingest.mailapi.MailApiAccount;
import io.dmarclens.ingest.oauth.OAuthSettings;
import io.dmarclens.app.config.ConfigKeys.Account;
import io.dmarclens.app.config.ConfigKeys.HostPort;
import io.dmarclens.ingest.inbox.InboxLimits;
import io.dmarclens.ingest.smtp.SmtpLimits;
import io.dmarclens.ingest.smtp.SmtpSettings;
import io.dmarclens.web.RequestLimits;
import io.dmarclens.web.WebSettings;
import io.dmarclens.web.metrics.MetricsSettings;
import io.dmarclens.web.auth.LoginLimits;
import io.dmarclens.web.auth.TrustedProxies;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the configuration: the YAML file (optional), then environment variables
 * ({@code DMARC_LENS_SMTP_LISTEN} for {@code smtp.listen}, {@code DMARC_LENS_IMAP_ACCOUNTS_0_HOST} for the
 * first account's host), then the command-line flags, each overriding the one before. Every key is
 * listed in docs/configuration.md; an unknown key is an error, so a typo does not silently fall back
 * to a default. Secrets can be read from files ({@code password_file}, {@code access_token_file}).
 */
public final class ConfigLoader {
    private static final String ENV_PREFIX = "DMARC_LENS_";
    private static final String ENV_ACCOUNTS = "IMAP_ACCOUNTS_";
    private static final Pattern ACCOUNT_KEY = Pattern.compile("imap\\.accounts\\.(\\d+)\\.(.+)");
    private static final Pattern ENV_ACCOUNT = Pattern.compile(ENV_ACCOUNTS + "(\\d+)_(.+)");

    private final Map<String, String> env;

    /** @param env the environment, e.g. {@code System.getenv()} */
    public ConfigLoader(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /**
     * @param file      the YAML file, or null to start from the defaults
     * @param overrides the flags given on the command line
     */
    public ServeConfig load(Path file, ConfigOverrides overrides) {
        Map<String, String> values = new TreeMap<>();
        if (file != null) {
            values.putAll(readFile(file));
        }
        values.putAll(fromEnvironment());
        if (overrides.dataDir() != null) {
            values.put(ConfigKeys.DATA_DIR.name(), overrides.dataDir().toString());
        }
        if (overrides.smtpListen() != null) {
            values.put(ConfigKeys.SMTP_LISTEN.name(), overrides.smtpListen());
        }
        if (overrides.webListen() != null) {
            values.put(ConfigKeys.WEB_LISTEN.name(), overrides.webListen());
        }
        if (overrides.recipients() != null && !overrides.recipients().isEmpty()) {
            values.put(ConfigKeys.SMTP_RECIPIENTS.name(), String.join(",", overrides.recipients()));
        }
        if (overrides.opensearch() != null) {
            values.put(ConfigKeys.STORE_BACKEND.name(), StoreSettings.Backend.OPENSEARCH.toString());
            values.put(ConfigKeys.STORE_OPENSEARCH_URLS.name(), overrides.opensearch());
        }
        if (overrides.offline() != null && overrides.offline()) {
            values.put(ConfigKeys.OFFLINE.name(), "true");
        }
        return build(new Values(values, file));
    }

    private static Map<String, String> readFile(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConfigException("cannot read the configuration file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> values = new TreeMap<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return values;
        }
        if (!root.isObject()) {
            throw new ConfigException(file + ": the configuration must be a YAML mapping of keys");
        }
        flatten("", root, values, file);
        return values;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out, Path file) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out, file);
            }
            return;
        }
        if (node.isArray() && prefix.equals(ConfigKeys.IMAP_ACCOUNTS)) {
            for (int i = 0; i < node.size(); i++) {
                if (!node.get(i).isObject()) {
                    throw new ConfigException(file + ": each entry of imap.accounts must be a mapping (host:, user:, ...)");
                }
                flatten(prefix + "." + i, node.get(i), out, file);
            }
            return;
        }
        if (ConfigKeys.find(prefix).isEmpty()) {
            throw new ConfigException(file + ": unknown configuration key '" + prefix + "'" + siblings(prefix)
                    + " (docs/configuration.md lists every key)");
        }
        if (node.isArray()) {
            List<String> items = new ArrayList<>();
            node.forEach(item -> items.add(item.asText()));
            out.put(prefix, String.join(",", items));
        } else if (!node.isNull()) {
            out.put(prefix, node.asText());
        }
    }

    /** The known keys beside a mistyped one, e.g. "; known under smtp: enabled, hostname, listen, ...". */
    private static String siblings(String key) {
        String section;
        Set<String> candidates = new TreeSet<>();
        if (ACCOUNT_KEY.matcher(key).matches()) {
            section = "imap.accounts[]";
            ConfigKeys.names(ConfigKeys.Account.ALL).forEach(candidates::add);
        } else {
            int dot = key.lastIndexOf('.');
            String parent = dot < 0 ? "" : key.substring(0, dot + 1);
            section = dot < 0 ? "the top level" : key.substring(0, dot);
            ConfigKeys.names(ConfigKeys.ALL).filter(k -> k.startsWith(parent))
                    .forEach(k -> candidates.add(k.substring(parent.length())));
        }
        if (candidates.isEmpty()) {
            section = "the top level";
            candidates.add("imap");
            ConfigKeys.names(ConfigKeys.ALL).forEach(k -> candidates.add(k.replaceFirst("\\..*", "")));
        }
        return "; known under " + section + ": " + String.join(", ", candidates);
    }

    private Map<String, String> fromEnvironment() {
        Map<String, String> byEnvironmentName = new TreeMap<>();
        ConfigKeys.names(ConfigKeys.ALL).forEach(n -> byEnvironmentName.put(environmentName(n), n));
        Map<String, String> accountKeys = new TreeMap<>();
        ConfigKeys.names(ConfigKeys.Account.ALL).forEach(n -> accountKeys.put(environmentName(n), n));
        Map<String, String> values = new TreeMap<>();
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (!e.getKey().startsWith(ENV_PREFIX)) {
                continue;
            }
            String name = e.getKey().substring(ENV_PREFIX.length()).toUpperCase(Locale.ROOT);
            Matcher account = ENV_ACCOUNT.matcher(name);
            String key = account.matches() && accountKeys.containsKey(account.group(2))
                    ? ConfigKeys.IMAP_ACCOUNTS + "." + account.group(1) + "." + accountKeys.get(account.group(2))
                    : byEnvironmentName.get(name);
            if (key != null) {
                values.put(key, e.getValue());
            }
            // Other DMARC_LENS_* variables (DMARC_LENS_JAVA_OPTS for the launcher) are not configuration keys.
        }
        return values;
    }

    private static String environmentName(String key) {
        return key.replace('.', '_').toUpperCase(Locale.ROOT);
    }

    private static ServeConfig build(Values v) {
        SmtpSettings smtp;
        try {
            HostPort smtpListen = v.get(ConfigKeys.SMTP_LISTEN);
            smtp = new SmtpSettings(v.get(ConfigKeys.SMTP_ENABLED), smtpListen.host(), smtpListen.port(),
                    v.get(ConfigKeys.SMTP_HOSTNAME), v.get(ConfigKeys.SMTP_RECIPIENTS),
                    v.get(ConfigKeys.SMTP_MAX_MESSAGE_SIZE), v.get(ConfigKeys.SMTP_MAX_CONNECTIONS),
                    v.get(ConfigKeys.SMTP_READ_TIMEOUT), v.get(ConfigKeys.SMTP_TLS_CERTIFICATE),
                    v.get(ConfigKeys.SMTP_TLS_KEY), v.get(ConfigKeys.SMTP_TLS_REQUIRED),
                    new SmtpLimits(v.get(ConfigKeys.SMTP_MAX_CONNECTIONS_PER_ADDRESS),
                            v.get(ConfigKeys.SMTP_COMMAND_DEADLINE), v.get(ConfigKeys.SMTP_DATA_DEADLINE)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(v.where() + ": " + e.getMessage(), e);
        }
        InboxLimits inboxLimits;
        try {
            inboxLimits = new InboxLimits(v.get(ConfigKeys.INBOX_MIN_FREE_DISK), v.get(ConfigKeys.QUARANTINE_MAX_SIZE),
                    v.get(ConfigKeys.QUARANTINE_MAX_AGE), v.get(ConfigKeys.INBOX_JUNK_PER_SENDER));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(v.where() + ": " + e.getMessage(), e);
        }
        boolean offline = v.get(ConfigKeys.OFFLINE);
        EnrichmentSettings enrichment = new EnrichmentSettings(offline, v.get(ConfigKeys.ENRICHMENT_DNS_SERVER),
                v.get(ConfigKeys.ENRICHMENT_GEOIP_FILES).stream().map(Path::of).toList(),
                v.get(ConfigKeys.ENRICHMENT_SENDERS_FILE), v.get(ConfigKeys.ENRICHMENT_OWN_SENDERS));
        HostPort webListen = v.get(ConfigKeys.WEB_LISTEN);
        AccountsRead read = accounts(v);
        return new ServeConfig(v.get(ConfigKeys.DATA_DIR), offline, webListen.host(), webListen.port(),
                web(v), v.get(ConfigKeys.INBOX_WORKERS), v.get(ConfigKeys.INGEST_MAX_MAIL_PARTS), smtp, read.imap(),
                enrichment, v.get(ConfigKeys.REPORTS_EXCLUDE_UNVERIFIED), inboxLimits, alerts(v),
                read.mailboxes(), delivery(v), store(v), node(v), retention(v));
    }

    /** {@code retention.*}: how long reports and raw bytes are kept, and how often serve applies it. */
    private static RetentionSettings retention(Values v) {
        java.time.Duration reports = v.get(ConfigKeys.RETENTION_REPORTS);
        java.time.Duration rawSources = v.get(ConfigKeys.RETENTION_RAW_SOURCES);
        java.time.Duration every = v.get(ConfigKeys.RETENTION_EVERY);
        try {
            return new RetentionSettings(reports, rawSources, every);
        } catch (ConfigException e) {
            throw new ConfigException(v.where() + ": " + e.getMessage(), e);
        }
    }

    /** {@code node.*}: who this node is in a cluster and which parts of serve it runs. */
    private static NodeSettings node(Values v) {
        java.util.EnumSet<io.dmarclens.store.cluster.NodeRole> roles =
                java.util.EnumSet.noneOf(io.dmarclens.store.cluster.NodeRole.class);
        try {
            for (String r : v.get(ConfigKeys.NODE_ROLES)) {
                roles.add(io.dmarclens.store.cluster.NodeRole.parse(r));
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException(v.where() + ": node.roles: " + e.getMessage(), e);
        }
        String name = v.get(ConfigKeys.NODE_NAME);
        try {
            return new NodeSettings(name == null || name.isBlank() ? NodeSettings.hostName() : name.strip(), roles,
                    v.get(ConfigKeys.NODE_LEASE_TTL), v.get(ConfigKeys.NODE_HEARTBEAT_EVERY));
        } catch (ConfigException e) {
            throw new ConfigException(v.where() + ": " + e.getMessage(), e);
        }
    }

    private static DeliverySettings delivery(Values v) {
        try {
            String host = v.get(ConfigKeys.ALERTS_MAIL_HOST);
            MailRelay relay = null;
            if (host != null) {
                MailRelay.Security security = v.get(ConfigKeys.ALERTS_MAIL_SECURITY);
                Integer port = v.get(ConfigKeys.ALERTS_MAIL_PORT);
                relay = new MailRelay(host, port != null ? port : switch (security) {
                    case STARTTLS -> 587;
                    case TLS -> 465;
                    case NONE -> 25;
                }, security, v.get(ConfigKeys.ALERTS_MAIL_USER), v.secret(ConfigKeys.ALERTS_MAIL_PASSWORD),
                        v.required(ConfigKeys.ALERTS_MAIL_FROM), v.get(ConfigKeys.ALERTS_MAIL_TIMEOUT));
            }
            String hooks = v.secret(ConfigKeys.ALERTS_HOOKS);
            return new DeliverySettings(relay, v.get(ConfigKeys.ALERTS_MAIL_TO),
                    hooks == null ? List.of() : Arrays.stream(hooks.split("[\\s,]+")).filter(x -> !x.isEmpty()).toList(),
                    v.secret(ConfigKeys.ALERTS_HOOK_SECRET), v.get(ConfigKeys.ALERTS_HOOK_TIMEOUT),
                    v.get(ConfigKeys.ALERTS_DASHBOARD_URL), v.get(ConfigKeys.ALERTS_DELIVERY_FIRST_RETRY),
                    v.get(ConfigKeys.ALERTS_DELIVERY_MAX_RETRY), v.get(ConfigKeys.ALERTS_DELIVERY_EVERY),
                    new DigestSettings(v.get(ConfigKeys.ALERTS_DIGEST_CADENCE), v.get(ConfigKeys.ALERTS_DIGEST_PER_DOMAIN),
                            v.get(ConfigKeys.ALERTS_DIGEST_ALL_DOMAINS), v.get(ConfigKeys.ALERTS_DIGEST_HOUR),
                            v.get(ConfigKeys.ALERTS_DIGEST_WEEK_START)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(v.where() + ": " + e.getMessage(), e);
        }
    }

    private static AlertSettings alerts(Values v) {
        try {
            return new AlertSettings(v.get(ConfigKeys.ALERTS_ENABLED), v.get(ConfigKeys.ALERTS_EVALUATE_EVERY),
                    v.get(ConfigKeys.ALERTS_WINDOW_DAYS), v.get(ConfigKeys.ALERTS_BASELINE_DAYS),
                    v.get(ConfigKeys.ALERTS_MIN_HISTORY_DAYS),
                    new NewFailingSource.Settings(v.get(ConfigKeys.ALERTS_NEW_FAILING_SOURCE_MIN_MESSAGES),
                            v.get(ConfigKeys.ALERTS_NEW_FAILING_SOURCE_HISTORY_DAYS),
                            v.get(ConfigKeys.ALERTS_NEW_FAILING_SOURCE_COOLDOWN)),
                    new SenderBroke.Settings(v.get(ConfigKeys.ALERTS_SENDER_BROKE_PASSING_DAYS),
                            v.get(ConfigKeys.ALERTS_SENDER_BROKE_MIN_MESSAGES), v.get(ConfigKeys.ALERTS_SENDER_BROKE_COOLDOWN)),
                    new PassRateDrop.Settings(v.get(ConfigKeys.ALERTS_PASS_RATE_DROP_POINTS),
                            v.get(ConfigKeys.ALERTS_PASS_RATE_DROP_MIN_MESSAGES),
                            v.get(ConfigKeys.ALERTS_PASS_RATE_DROP_COOLDOWN)),
                    new SpoofingWave.Settings(v.get(ConfigKeys.ALERTS_SPOOFING_WAVE_MIN_MESSAGES),
                            v.get(ConfigKeys.ALERTS_SPOOFING_WAVE_COOLDOWN)),
                    new ReporterSilent.Settings(v.get(ConfigKeys.ALERTS_REPORTER_SILENT_DAYS),
                            v.get(ConfigKeys.ALERTS_REPORTER_SILENT_ACTIVE_DAYS),
                            v.get(ConfigKeys.ALERTS_REPORTER_SILENT_COOLDOWN)),
                    new PolicyChanged.Settings(v.get(ConfigKeys.ALERTS_POLICY_CHANGED_DAYS),
                            v.get(ConfigKeys.ALERTS_POLICY_CHANGED_COOLDOWN)),
                    new PostureRegression.Settings(v.get(ConfigKeys.ALERTS_POSTURE_REGRESSION_CHECK_EVERY),
                            v.get(ConfigKeys.ALERTS_POSTURE_REGRESSION_COOLDOWN)),
                    new TlsFailuresRising.Settings(v.get(ConfigKeys.ALERTS_TLS_FAILURES_MIN_SESSIONS),
                            v.get(ConfigKeys.ALERTS_TLS_FAILURES_FACTOR), v.get(ConfigKeys.ALERTS_TLS_FAILURES_COOLDOWN)),
                    new QuarantineGrowing.Settings(v.get(ConfigKeys.ALERTS_QUARANTINE_GROWING_MIN_MESSAGES),
                            v.get(ConfigKeys.ALERTS_QUARANTINE_GROWING_PERIOD),
                            v.get(ConfigKeys.ALERTS_QUARANTINE_GROWING_COOLDOWN)),
                    new InboxBacklog.Settings(v.get(ConfigKeys.ALERTS_INBOX_BACKLOG_MIN_MESSAGES),
                            v.get(ConfigKeys.ALERTS_INBOX_BACKLOG_PERIOD), v.get(ConfigKeys.ALERTS_INBOX_BACKLOG_COOLDOWN)),
                    new ImapFailing.Settings(v.get(ConfigKeys.ALERTS_IMAP_FAILING_AFTER),
                            v.get(ConfigKeys.ALERTS_IMAP_FAILING_COOLDOWN)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(v.where() + ": " + e.getMessage(), e);
        }
    }


    /** The store: embedded, or the OpenSearch cluster with its sign-in (secrets also from files) and layout. */
    private static StoreSettings store(Values v) {
        if (v.get(ConfigKeys.STORE_BACKEND) == StoreSettings.Backend.EMBEDDED) {
            return StoreSettings.embedded();
        }
        List<String> urls = v.get(ConfigKeys.STORE_OPENSEARCH_URLS);
        if (urls.isEmpty()) {
            throw new ConfigException(v.where() + ": store.backend is opensearch but store.opensearch.urls is empty;"
                    + " give the cluster's address, e.g. http://127.0.0.1:9200 (or --opensearch URL)");
        }
        String user = v.get(ConfigKeys.STORE_OPENSEARCH_USER);
        String password = v.secret(ConfigKeys.STORE_OPENSEARCH_PASSWORD);
        String apiKey = v.secret(ConfigKeys.STORE_OPENSEARCH_API_KEY);
        if (password != null && user == null) {
            throw new ConfigException(v.where() + ": store.opensearch.password is set but store.opensearch.user is not");
        }
        try {
            List<java.net.URI> uris = new ArrayList<>();
            for (String u : urls) {
                uris.add(java.net.URI.create(u));
            }
            return new StoreSettings(StoreSettings.Backend.OPENSEARCH, new io.dmarclens.opensearch.OpenSearchSettings(
                    uris, user, password, apiKey, v.get(ConfigKeys.STORE_OPENSEARCH_CA_CERTIFICATE),
                    v.get(ConfigKeys.STORE_OPENSEARCH_INDEX_PREFIX), v.get(ConfigKeys.STORE_OPENSEARCH_SHARDS),
                    v.get(ConfigKeys.STORE_OPENSEARCH_REPLICAS), v.get(ConfigKeys.STORE_OPENSEARCH_COMMIT_GROUP_WINDOW)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(v.where() + ": store.opensearch: " + e.getMessage(), e);
        }
    }

    private static WebSettings web(Values v) {
        TrustedProxies proxies;
        try {
            proxies = TrustedProxies.of(v.get(ConfigKeys.WEB_TRUSTED_PROXIES));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(v.where() + ": " + ConfigKeys.WEB_TRUSTED_PROXIES.name() + ": " + e.getMessage()
                    + " (list addresses like 10.0.0.5 or networks like 10.0.0.0/8)", e);
        }
        LoginLimits login;
        try {
            login = new LoginLimits(v.get(ConfigKeys.WEB_LOGIN_WINDOW), v.get(ConfigKeys.WEB_LOGIN_MAX_FAILURES_PER_PAIR),
                    v.get(ConfigKeys.WEB_LOGIN_MAX_FAILURES_PER_ADDRESS), v.get(ConfigKeys.WEB_LOGIN_MAX_FAILURES_PER_USER),
                    v.get(ConfigKeys.WEB_LOGIN_TRACKED_KEYS));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(v.where() + ": web.login: " + e.getMessage(), e);
        }
        Duration lifetime = v.get(ConfigKeys.WEB_SESSION_LIFETIME);
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new ConfigException(v.where() + ": " + ConfigKeys.WEB_SESSION_LIFETIME.name()
                    + " must be positive, not " + lifetime);
        }
        RequestLimits requests;
        try {
            requests = new RequestLimits(v.get(ConfigKeys.WEB_MIN_REQUEST_RATE), v.get(ConfigKeys.WEB_IDLE_TIMEOUT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(v.where() + ": " + ConfigKeys.WEB_MIN_REQUEST_RATE.name() + ", "
                    + ConfigKeys.WEB_IDLE_TIMEOUT.name() + ": " + e.getMessage(), e);
        }
        java.util.Set<io.dmarclens.store.users.Role> twoFactorRoles = new java.util.HashSet<>();
        try {
            v.get(ConfigKeys.WEB_TWO_FACTOR_REQUIRED_ROLES).forEach(r -> twoFactorRoles.add(io.dmarclens.store.users.Role.parse(r)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(v.where() + ": " + ConfigKeys.WEB_TWO_FACTOR_REQUIRED_ROLES.name() + ": "
                    + e.getMessage(), e);
        }
        return WebSettings.defaults().withSecureCookies(v.get(ConfigKeys.WEB_SECURE_COOKIES))
                .withSessionLifetime(lifetime).withLogin(login).withTrustedProxies(proxies)
                .withTwoFactorRoles(twoFactorRoles).withTwoFactorKeyFile(v.get(ConfigKeys.WEB_TWO_FACTOR_KEY_FILE))
                .withRequests(requests)
                .withMetrics(metrics(v));
    }

    private static MetricsSettings metrics(Values v) {
        HostPort listen = v.get(ConfigKeys.METRICS_LISTEN);
        try {
            return new MetricsSettings(v.get(ConfigKeys.METRICS_ENABLED), v.secret(ConfigKeys.METRICS_TOKEN),
                    listen == null ? null : listen.host(), listen == null ? 0 : listen.port(),
                    v.get(ConfigKeys.METRICS_DOMAINS), v.get(ConfigKeys.METRICS_DOMAIN_REFRESH));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(v.where() + ": " + e.getMessage(), e);
        }
    }

    /** The IMAP accounts, and the token supplies and mail API mailboxes of the same list. */
    private record AccountsRead(List<ImapAccount> imap, Mailboxes mailboxes) {
    }

    private static AccountsRead accounts(Values v) {
        TreeSet<Integer> indexes = new TreeSet<>();
        for (String key : v.values.keySet()) {
            Matcher m = ACCOUNT_KEY.matcher(key);
            if (m.matches()) {
                indexes.add(Integer.parseInt(m.group(1)));
            }
        }
        List<ImapAccount> accounts = new ArrayList<>();
        Map<String, OAuthSettings> imapOAuth = new LinkedHashMap<>();
        List<Mailboxes.ApiMailbox> apis = new ArrayList<>();
        Set<String> names = new java.util.HashSet<>();
        for (int i : indexes) {
            Values a = v.entry(ConfigKeys.IMAP_ACCOUNTS + "." + i + ".");
            ImapAccount.Security security = a.get(Account.SECURITY);
            Integer port = a.get(Account.PORT);
            String name;
            try {
                OAuthSettings oauth = oauth(a);
                ImapAccount.ArchiveFolders archive = new ImapAccount.ArchiveFolders(a.get(Account.ARCHIVE_AGGREGATE),
                        a.get(Account.ARCHIVE_FAILURE), a.get(Account.ARCHIVE_TLS), a.get(Account.ARCHIVE_INVALID));
                Account.Api api = a.get(Account.API);
                if (api == Account.Api.IMAP) {
                    String password = a.secret(Account.PASSWORD);
                    String token = oauth == null ? a.secret(Account.ACCESS_TOKEN) : null;
                    if (oauth != null && password != null) {
                        throw new IllegalArgumentException("set a password or OAuth2 (oauth.provider, access_token_file),"
                                + " not both");
                    }
                    if (oauth == null && password == null && token == null) {
                        throw new IllegalArgumentException("set one of password, access_token, access_token_file or"
                                + " oauth.provider");
                    }
                    ImapAccount account = new ImapAccount(a.get(Account.NAME), a.required(Account.HOST),
                            port != null ? port : security == ImapAccount.Security.IMAPS ? 993 : 143, security,
                            a.required(Account.USER), password, token, a.get(Account.FOLDER),
                            a.get(Account.POLL_INTERVAL), a.get(Account.IDLE), a.get(Account.BATCH_SIZE),
                            a.get(Account.AFTER_IMPORT), archive, a.get(Account.MAX_MESSAGE_SIZE),
                            a.get(Account.TRUSTED_CERTIFICATES));
                    accounts.add(account);
                    name = account.name();
                    if (oauth != null) {
                        imapOAuth.put(name, oauth);
                    }
                } else {
                    if (oauth == null) {
                        throw new IllegalArgumentException("api " + api.name().toLowerCase(Locale.ROOT)
                                + " needs OAuth2: set oauth.provider (and its keys) or access_token_file");
                    }
                    String endpoint = a.get(Account.API_ENDPOINT);
                    MailApiAccount account = new MailApiAccount(a.get(Account.NAME),
                            api == Account.Api.GRAPH ? MailApiAccount.Api.GRAPH : MailApiAccount.Api.GMAIL,
                            a.required(Account.USER), a.get(Account.FOLDER), endpoint == null ? null : uri(endpoint),
                            a.get(Account.POLL_INTERVAL), a.get(Account.BATCH_SIZE), archive,
                            a.get(Account.MAX_MESSAGE_SIZE));
                    apis.add(new Mailboxes.ApiMailbox(account, oauth));
                    name = account.name();
                }
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new ConfigException(v.where() + ": imap.accounts." + i + ": " + e.getMessage(), e);
            }
            if (!names.add(name)) {
                throw new ConfigException(v.where() + ": imap.accounts." + i + ": the name " + name + " is taken by an"
                        + " earlier account; give each account its own name (it identifies the messages it read)");
            }
        }
        return new AccountsRead(accounts, new Mailboxes(imapOAuth, apis));
    }

    /** How the account gets OAuth2 tokens, or null when it has none (a password or a fixed token). */
    private static OAuthSettings oauth(Values a) {
        OAuthSettings.Provider provider = a.get(Account.OAUTH_PROVIDER);
        String tokenFile = a.text(Account.ACCESS_TOKEN.fileKey());
        if (tokenFile != null && a.text(Account.ACCESS_TOKEN.name()) != null) {
            throw new IllegalArgumentException("set access_token or access_token_file, not both");
        }
        if (provider == null) {
            // A token file is read again before every connection, so that an outside tool can keep it fresh.
            return tokenFile == null ? null : OAuthSettings.tokenFile(Path.of(tokenFile));
        }
        if (tokenFile != null && provider != OAuthSettings.Provider.TOKEN_FILE) {
            throw new IllegalArgumentException("set access_token_file or oauth.provider, not both");
        }
        String endpoint = a.get(Account.OAUTH_TOKEN_ENDPOINT);
        return new OAuthSettings(provider, a.get(Account.OAUTH_TENANT), a.get(Account.OAUTH_CLIENT_ID),
                a.secret(Account.OAUTH_CLIENT_SECRET), a.get(Account.OAUTH_CERTIFICATE),
                a.get(Account.OAUTH_SERVICE_ACCOUNT_KEY), a.secret(Account.OAUTH_REFRESH_TOKEN),
                endpoint == null ? null : uri(endpoint), a.get(Account.OAUTH_SCOPE),
                tokenFile == null ? null : Path.of(tokenFile));
    }

    private static URI uri(String text) {
        try {
            URI uri = new URI(text);
            if (uri.getScheme() == null || uri.getHost() == null
                    || !List.of("https", "http").contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("'" + text + "' is not an http(s) address");
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("'" + text + "' is not an address: " + e.getReason(), e);
        }
    }

    /**
     * Typed reads of the merged values through the key table, with errors that name the key.
     *
     * @param prefix what precedes a key's name (an account entry's {@code imap.accounts.N.}), or empty
     */
    private record Values(Map<String, String> values, Path file, String prefix) {
        Values(Map<String, String> values, Path file) {
            this(values, file, "");
        }

        Values entry(String entryPrefix) {
            return new Values(values, file, entryPrefix);
        }

        String where() {
            return file == null ? "configuration" : file.toString();
        }

        private String text(String name) {
            String s = values.get(prefix + name);
            return s == null || s.isBlank() ? null : s.trim();
        }

        <T> T get(ConfigKey<T> key) {
            String s = text(key.name());
            return s == null ? key.defaultValue() : key.type().parse(prefix + key.name(), s, where());
        }

        <T> T required(ConfigKey<T> key) {
            T value = get(key);
            if (value == null) {
                throw new ConfigException(where() + ": " + prefix + key.name() + " is required");
            }
            return value;
        }

        /** A secret given inline or, better, in a file named by {@code KEY_file}. */
        String secret(ConfigKey<String> key) {
            String inline = text(key.name());
            String file = text(key.fileKey());
            if (inline != null && file != null) {
                throw new ConfigException(where() + ": set " + prefix + key.name() + " or " + prefix + key.fileKey()
                        + ", not both");
            }
            if (file == null) {
                return inline;
            }
            try {
                return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new ConfigException(where() + ": " + prefix + key.fileKey() + ": " + ConfigFiles.why(e), e);
            }
        }
    }

    /** Parses {@code HOST:PORT} (a flag or key value); the host may be {@code [::1]}. */
    static HostPort parseHostPort(String key, String value, String where) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new ConfigException(where + ": " + key + " must be HOST:PORT, like 127.0.0.1:2525, not '" + value + "'");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = Integer.parseInt(value.substring(colon + 1));
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return new HostPort(host, port);
        } catch (NumberFormatException e) {
            throw new ConfigException(where + ": " + key + " has no valid port (0-65535): '" + value + "'");
        }
    }
}
