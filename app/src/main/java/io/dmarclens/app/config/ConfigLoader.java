package io.dmarclens.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dmarclens.ingest.enrich.EnrichmentSettings;
import io.dmarclens.ingest.imap.ImapAccount;
import io.dmarclens.ingest.smtp.SmtpSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
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
    /** Every key outside the IMAP account list. */
    static final Set<String> KEYS = Set.of("data_dir", "offline", "web.listen", "web.secure_cookies",
            "inbox.workers", "smtp.enabled", "smtp.listen", "smtp.hostname", "smtp.recipients",
            "smtp.max_message_size", "smtp.max_connections", "smtp.read_timeout", "smtp.tls.certificate",
            "smtp.tls.key", "smtp.tls.required", "enrichment.dns_server", "enrichment.geoip_files",
            "enrichment.senders_file", "enrichment.own_senders");
    /** Every key of one entry of {@code imap.accounts}. */
    static final Set<String> ACCOUNT_KEYS = Set.of("name", "host", "port", "security", "user", "password",
            "password_file", "access_token", "access_token_file", "folder", "poll_interval", "idle", "batch_size",
            "after_import", "archive.aggregate", "archive.failure", "archive.tls", "archive.invalid",
            "max_message_size", "trusted_certificates");
    private static final Pattern ACCOUNT_KEY = Pattern.compile("imap\\.accounts\\.(\\d+)\\.(.+)");
    private static final Pattern ENV_ACCOUNT = Pattern.compile("imap_accounts_(\\d+)_(.+)");

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
            values.put("data_dir", overrides.dataDir().toString());
        }
        if (overrides.smtpListen() != null) {
            values.put("smtp.listen", overrides.smtpListen());
        }
        if (overrides.webListen() != null) {
            values.put("web.listen", overrides.webListen());
        }
        if (overrides.recipients() != null && !overrides.recipients().isEmpty()) {
            values.put("smtp.recipients", String.join(",", overrides.recipients()));
        }
        if (overrides.offline() != null && overrides.offline()) {
            values.put("offline", "true");
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
        if (node.isArray() && prefix.equals("imap.accounts")) {
            for (int i = 0; i < node.size(); i++) {
                if (!node.get(i).isObject()) {
                    throw new ConfigException(file + ": each entry of imap.accounts must be a mapping (host:, user:, ...)");
                }
                flatten(prefix + "." + i, node.get(i), out, file);
            }
            return;
        }
        checkKnown(prefix, file.toString());
        if (node.isArray()) {
            List<String> items = new ArrayList<>();
            node.forEach(item -> items.add(item.asText()));
            out.put(prefix, String.join(",", items));
        } else if (!node.isNull()) {
            out.put(prefix, node.asText());
        }
    }

    private static void checkKnown(String key, String where) {
        Matcher account = ACCOUNT_KEY.matcher(key);
        boolean known = account.matches() ? ACCOUNT_KEYS.contains(account.group(2)) : KEYS.contains(key);
        if (!known) {
            throw new ConfigException(where + ": unknown configuration key '" + key + "'" + siblings(key)
                    + " (docs/configuration.md lists every key)");
        }
    }

    /** The known keys beside a mistyped one, e.g. "; known under smtp: enabled, hostname, listen, ...". */
    private static String siblings(String key) {
        Matcher account = ACCOUNT_KEY.matcher(key);
        String section;
        Set<String> candidates;
        if (account.matches()) {
            section = "imap.accounts[]";
            candidates = ACCOUNT_KEYS;
        } else {
            int dot = key.lastIndexOf('.');
            String parent = dot < 0 ? "" : key.substring(0, dot + 1);
            section = dot < 0 ? "the top level" : key.substring(0, dot);
            candidates = new TreeSet<>();
            for (String k : KEYS) {
                if (k.startsWith(parent)) {
                    candidates.add(k.substring(parent.length()));
                }
            }
        }
        if (candidates.isEmpty()) {
            section = "the top level";
            candidates = new TreeSet<>(List.of("imap"));
            for (String k : KEYS) {
                candidates.add(k.replaceFirst("\\..*", ""));
            }
        }
        return "; known under " + section + ": " + String.join(", ", new TreeSet<>(candidates));
    }

    private Map<String, String> fromEnvironment() {
        Map<String, String> values = new TreeMap<>();
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (!e.getKey().startsWith(ENV_PREFIX)) {
                continue;
            }
            String name = e.getKey().substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT);
            String key = null;
            Matcher account = ENV_ACCOUNT.matcher(name);
            if (account.matches()) {
                for (String k : ACCOUNT_KEYS) {
                    if (k.replace('.', '_').equals(account.group(2))) {
                        key = "imap.accounts." + account.group(1) + "." + k;
                    }
                }
            } else {
                for (String k : KEYS) {
                    if (k.replace('.', '_').equals(name)) {
                        key = k;
                    }
                }
            }
            if (key != null) {
                values.put(key, e.getValue());
            }
            // Other DMARC_LENS_* variables (DMARC_LENS_JAVA_OPTS for the launcher) are not configuration keys.
        }
        return values;
    }

    private static ServeConfig build(Values v) {
        SmtpSettings defaults = SmtpSettings.defaults();
        HostPort smtpListen = v.hostPort("smtp.listen", defaults.host() + ":" + defaults.port());
        HostPort webListen = v.hostPort("web.listen", "127.0.0.1:8080");
        Path cert = v.path("smtp.tls.certificate");
        Path key = v.path("smtp.tls.key");
        SmtpSettings smtp;
        try {
            smtp = new SmtpSettings(v.bool("smtp.enabled", true), smtpListen.host(), smtpListen.port(),
                    v.string("smtp.hostname", defaults.hostName()), v.list("smtp.recipients"),
                    v.size("smtp.max_message_size", defaults.maxMessageSize()),
                    v.integer("smtp.max_connections", defaults.maxConnections()),
                    v.duration("smtp.read_timeout", defaults.readTimeout()), cert, key,
                    v.bool("smtp.tls.required", false));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(v.where() + ": " + e.getMessage(), e);
        }
        boolean offline = v.bool("offline", false);
        EnrichmentSettings enrichment = new EnrichmentSettings(offline, v.string("enrichment.dns_server", null),
                v.list("enrichment.geoip_files").stream().map(Path::of).toList(), v.path("enrichment.senders_file"),
                v.list("enrichment.own_senders"));
        return new ServeConfig(Path.of(v.string("data_dir", "data")), offline, webListen.host(),
                webListen.port(), v.bool("web.secure_cookies", false), v.integer("inbox.workers", 2), smtp,
                accounts(v), enrichment);
    }

    private static List<ImapAccount> accounts(Values v) {
        TreeSet<Integer> indexes = new TreeSet<>();
        for (String key : v.values.keySet()) {
            Matcher m = ACCOUNT_KEY.matcher(key);
            if (m.matches()) {
                indexes.add(Integer.parseInt(m.group(1)));
            }
        }
        List<ImapAccount> accounts = new ArrayList<>();
        for (int i : indexes) {
            String p = "imap.accounts." + i + ".";
            String security = v.string(p + "security", "imaps").toUpperCase(Locale.ROOT);
            ImapAccount.Security sec;
            try {
                sec = ImapAccount.Security.valueOf(security);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(v.where() + ": " + p + "security must be imaps, starttls or none, not "
                        + security.toLowerCase(Locale.ROOT));
            }
            String after = v.string(p + "after_import", "move").toUpperCase(Locale.ROOT).replace('-', '_');
            ImapAccount.AfterImport afterImport;
            try {
                afterImport = ImapAccount.AfterImport.valueOf(after);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(v.where() + ": " + p + "after_import must be move or mark_seen, not "
                        + after.toLowerCase(Locale.ROOT));
            }
            ImapAccount.ArchiveFolders defaults = ImapAccount.ArchiveFolders.defaults();
            try {
                accounts.add(new ImapAccount(v.string(p + "name", null), v.required(p + "host"),
                        v.integer(p + "port", sec == ImapAccount.Security.IMAPS ? 993 : 143), sec,
                        v.required(p + "user"), v.secret(p + "password"), v.secret(p + "access_token"),
                        v.string(p + "folder", "INBOX"), v.duration(p + "poll_interval", Duration.ofMinutes(1)),
                        v.bool(p + "idle", true), v.integer(p + "batch_size", 100), afterImport,
                        new ImapAccount.ArchiveFolders(v.string(p + "archive.aggregate", defaults.aggregate()),
                                v.string(p + "archive.failure", defaults.failure()),
                                v.string(p + "archive.tls", defaults.tls()),
                                v.string(p + "archive.invalid", defaults.invalid())),
                        v.size(p + "max_message_size", SmtpSettings.DEFAULT_MAX_MESSAGE_SIZE),
                        v.path(p + "trusted_certificates")));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new ConfigException(v.where() + ": imap.accounts." + i + ": " + e.getMessage(), e);
            }
        }
        return accounts;
    }

    /** host:port, with [v6]:port allowed. */
    record HostPort(String host, int port) {
    }

    /** Typed reads of the merged values, with errors that name the key. */
    private record Values(Map<String, String> values, Path file) {
        String where() {
            return file == null ? "configuration" : file.toString();
        }

        String string(String key, String fallback) {
            String s = values.get(key);
            return s == null || s.isBlank() ? fallback : s.trim();
        }

        String required(String key) {
            String s = string(key, null);
            if (s == null) {
                throw new ConfigException(where() + ": " + key + " is required");
            }
            return s;
        }

        /** A secret given inline or, better, in a file named by {@code KEY_file}. */
        String secret(String key) {
            String inline = string(key, null);
            String file = string(key + "_file", null);
            if (inline != null && file != null) {
                throw new ConfigException(where() + ": set " + key + " or " + key + "_file, not both");
            }
            if (file == null) {
                return inline;
            }
            try {
                return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new ConfigException(where() + ": " + key + "_file: " + ConfigFiles.why(e), e);
            }
        }

        Path path(String key) {
            String s = string(key, null);
            return s == null ? null : Path.of(s);
        }

        List<String> list(String key) {
            String s = string(key, "");
            return Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
        }

        boolean bool(String key, boolean fallback) {
            String s = string(key, null);
            if (s == null) {
                return fallback;
            }
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on", "1" -> true;
                case "false", "no", "off", "0" -> false;
                default -> throw new ConfigException(where() + ": " + key + " must be true or false, not '" + s + "'");
            };
        }

        int integer(String key, int fallback) {
            String s = string(key, null);
            if (s == null) {
                return fallback;
            }
            try {
                return Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw new ConfigException(where() + ": " + key + " must be a whole number, not '" + s + "'");
            }
        }

        /** Bytes: {@code 52428800}, {@code 50MiB}, {@code 50MB}, {@code 512KiB}, {@code 1GiB}. */
        long size(String key, long fallback) {
            String s = string(key, null);
            if (s == null) {
                return fallback;
            }
            Matcher m = Pattern.compile("(\\d+)\\s*([KMG]i?B?|B)?", Pattern.CASE_INSENSITIVE).matcher(s);
            if (!m.matches()) {
                throw new ConfigException(where() + ": " + key + " must be a size like 52428800 or 50MiB, not '" + s + "'");
            }
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
            return switch (unit.charAt(0)) {
                case 'K' -> n * 1024;
                case 'M' -> n * 1024 * 1024;
                case 'G' -> n * 1024 * 1024 * 1024;
                default -> n;
            };
        }

        /** {@code 30s}, {@code 5m}, {@code 2h}, {@code 500ms} or ISO-8601 {@code PT5M}. */
        Duration duration(String key, Duration fallback) {
            String s = string(key, null);
            if (s == null) {
                return fallback;
            }
            Matcher m = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)").matcher(s.toLowerCase(Locale.ROOT));
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
                return Duration.parse(s);
            } catch (RuntimeException e) {
                throw new ConfigException(where() + ": " + key + " must be a duration like 30s, 5m or 1h, not '" + s + "'");
            }
        }

        HostPort hostPort(String key, String fallback) {
            return parseHostPort(key, string(key, fallback), where());
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
