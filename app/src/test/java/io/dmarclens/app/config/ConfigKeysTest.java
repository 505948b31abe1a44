package io.dmarclens.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The key table and docs/configuration.md name the same keys, and every key reads from the environment. */
class ConfigKeysTest {
    private static final Pattern DOC_ROW = Pattern.compile("^\\| `([a-z_.\\[\\]]+)` \\|", Pattern.MULTILINE);

    @Test
    void theDocumentationListsExactlyTheKeysOfTheTable() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
        Set<String> documented = new TreeSet<>();
        Matcher m = DOC_ROW.matcher(doc);
        while (m.find()) {
            documented.add(m.group(1));
        }
        Set<String> table = new TreeSet<>(ConfigKeys.names(ConfigKeys.ALL).toList());
        table.add(ConfigKeys.IMAP_ACCOUNTS);
        ConfigKeys.names(ConfigKeys.Account.ALL).forEach(n -> table.add(ConfigKeys.IMAP_ACCOUNTS + "[]." + n));
        assertEquals(table, documented);
    }

    @Test
    void everyKeyIsReadFromItsEnvironmentVariable() {
        // A value each key's type accepts and that differs from its default, set through the environment.
        Map<String, String> env = ConfigKeys.ALL.stream().collect(Collectors.toMap(
                k -> "DMARC_LENS_" + k.environmentName(), k -> sample(k)));
        env.put("DMARC_LENS_SMTP_TLS_CERTIFICATE", "");
        env.put("DMARC_LENS_SMTP_TLS_KEY", "");
        env.put("DMARC_LENS_SMTP_TLS_REQUIRED", "false"); // needs a certificate and key
        env.put("DMARC_LENS_WEB_TWO_FACTOR_REQUIRED_ROLES", "admin, Analyst"); // names of roles
        env.put("DMARC_LENS_STORE_BACKEND", "opensearch");
        env.put("DMARC_LENS_STORE_OPENSEARCH_URLS", "https://127.0.0.7:7, https://127.0.0.8:7");
        env.put("DMARC_LENS_STORE_OPENSEARCH_API_KEY", ""); // a user or an API key, not both
        env.put("DMARC_LENS_NODE_ROLES", "web, JOBS"); // names of roles
        ServeConfig c = new ConfigLoader(env).load(null, new ConfigOverrides(null, null, null, null, null));
        assertEquals("sample", c.node().name());
        assertEquals(Set.of(io.dmarclens.store.cluster.NodeRole.WEB, io.dmarclens.store.cluster.NodeRole.JOBS),
                c.node().roles());
        assertEquals(java.time.Duration.ofSeconds(7), c.node().leaseTtl());
        assertEquals(java.time.Duration.ofSeconds(7), c.node().heartbeatEvery());
        assertEquals(Path.of("sample"), c.dataDir());
        assertEquals(new RetentionSettings(java.time.Duration.ofDays(7), java.time.Duration.ofDays(7),
                java.time.Duration.ofSeconds(7)), c.retention());
        assertTrue(c.offline());
        assertEquals(7, c.inboxWorkers());
        assertEquals(7, c.maxMailParts());
        assertEquals(7, c.parserLimits().maxMailParts());
        assertEquals("127.0.0.7", c.webHost());
        assertEquals(7, c.webPort());
        assertEquals(7, c.smtp().maxConnections());
        assertEquals(7, c.smtp().maxMessageSize());
        assertEquals(7, c.smtp().limits().connectionsPerAddress());
        assertEquals(java.time.Duration.ofSeconds(7), c.smtp().limits().commandDeadline());
        assertEquals(java.time.Duration.ofSeconds(7), c.smtp().limits().dataDeadline());
        assertEquals(7, c.inboxLimits().minFreeDisk());
        assertEquals(7, c.inboxLimits().junkPerSender());
        assertEquals(7, c.inboxLimits().quarantineMaxBytes());
        assertEquals(java.time.Duration.ofSeconds(7), c.inboxLimits().quarantineMaxAge());
        assertEquals(7, c.ingest().limits().quarantineMaxBytes());
        assertEquals(java.time.Duration.ofSeconds(7), c.web().sessionLifetime());
        assertEquals(new io.dmarclens.web.auth.LoginLimits(java.time.Duration.ofSeconds(7), 7, 7, 7, 7), c.web().login());
        assertTrue(!c.web().trustedProxies().isEmpty());
        assertEquals(Set.of(io.dmarclens.store.users.Role.ADMIN, io.dmarclens.store.users.Role.ANALYST),
                c.web().twoFactorRoles());
        io.dmarclens.opensearch.OpenSearchSettings os = c.store().opensearch();
        assertEquals(List.of(java.net.URI.create("https://127.0.0.7:7"), java.net.URI.create("https://127.0.0.8:7")),
                os.urls());
        assertEquals("sample", os.user());
        assertEquals("sample", os.password());
        assertEquals(Path.of("sample"), os.caCertificate());
        assertEquals("sample", os.indexPrefix());
        assertEquals(7, os.shards());
        assertEquals(7, os.replicas());
        assertEquals(new io.dmarclens.web.metrics.MetricsSettings(false, "sample", "127.0.0.7", 7, 7,
                java.time.Duration.ofSeconds(7)), c.web().metrics());
        assertEquals(7, c.delivery().relay().port());
        assertEquals("sample", c.delivery().relay().password());
        assertEquals(java.time.Duration.ofSeconds(7), c.delivery().every());
        assertEquals(7, c.delivery().digests().hour());
        assertEquals(java.time.DayOfWeek.TUESDAY, c.delivery().digests().weekStart());
        assertEquals(2, c.delivery().routes(java.time.Clock.fixed(java.time.Instant.EPOCH, java.time.ZoneOffset.UTC),
                "http://x").channelsFor("example.com").size(), "the default recipient and the default hook");
        assertEquals(java.util.List.of("mail:postmaster@example.org", "hook:hooks.example#"), c.delivery().routes(
                java.time.Clock.fixed(java.time.Instant.EPOCH, java.time.ZoneOffset.UTC), "http://x")
                .channelsFor("example.org").stream().map(ch -> ch.id().replaceAll("#.*", "#")).toList());
    }

    @Test
    void anUnknownTwoFactorRoleIsNamed() {
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of(
                "DMARC_LENS_WEB_TWO_FACTOR_REQUIRED_ROLES", "admin, boss")).load(null,
                new ConfigOverrides(null, null, null, null, null)));
        assertTrue(e.getMessage().contains("web.two_factor.required_roles: unknown role 'boss'"), e.getMessage());
    }

    @Test
    void theOpenSearchFlagChoosesTheStoreAndAnApiKeyComesFromAFile(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException {
        Path key = Files.writeString(dir.resolve("key"), "c2VjcmV0\n");
        ServeConfig c = new ConfigLoader(Map.of("DMARC_LENS_STORE_OPENSEARCH_API_KEY_FILE", key.toString()))
                .load(null, new ConfigOverrides(null, null, null, null, null, "http://127.0.0.1:9200"));
        assertEquals(StoreSettings.Backend.OPENSEARCH, c.store().backend());
        assertEquals("c2VjcmV0", c.store().opensearch().apiKey());
        assertEquals("dmarc-lens", c.store().opensearch().indexPrefix());
        assertEquals(StoreSettings.Backend.EMBEDDED,
                new ConfigLoader(Map.of()).load(null, ConfigOverrides.none()).store().backend(), "the default");
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of(
                "DMARC_LENS_STORE_BACKEND", "opensearch")).load(null, ConfigOverrides.none()));
        assertEquals("configuration: store.backend is opensearch but store.opensearch.urls is empty; give the"
                + " cluster's address, e.g. http://127.0.0.1:9200 (or --opensearch URL)", e.getMessage());
    }

    @Test
    void aTrustedProxyThatIsNoAddressIsNamed() {
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of(
                "DMARC_LENS_WEB_TRUSTED_PROXIES", "10.0.0.1, proxy.example")).load(null,
                new ConfigOverrides(null, null, null, null, null)));
        assertTrue(e.getMessage().startsWith("configuration: web.trusted_proxies: not an IP address or network: "
                + "'proxy.example'"), e.getMessage());
    }

    @Test
    void aWrongValueNamesItsKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of(
                "DMARC_LENS_IMAP_ACCOUNTS_0_HOST", "imap.example", "DMARC_LENS_IMAP_ACCOUNTS_0_USER", "u",
                "DMARC_LENS_IMAP_ACCOUNTS_0_SECURITY", "ssl")).load(null, new ConfigOverrides(null, null, null, null, null)));
        assertEquals("configuration: imap.accounts.0.security must be imaps, starttls or none, not ssl", e.getMessage());
    }

    private static String sample(ConfigKey<?> k) {
        Object d = k.defaultValue();
        if (d instanceof Enum<?> e) {
            Object[] all = e.getDeclaringClass().getEnumConstants();
            return ((Enum<?>) all[(e.ordinal() + 1) % all.length]).name().toLowerCase(java.util.Locale.ROOT);
        }
        if (k == ConfigKeys.ALERTS_MAIL_TO) {
            return "ops@lens.example, example.org=postmaster@example.org";
        }
        if (k == ConfigKeys.ALERTS_MAIL_FROM) {
            return "lens@lens.example";
        }
        if (k == ConfigKeys.ALERTS_HOOKS) {
            return "slack:https://hooks.example/T0/B0 example.org=json:https://hooks.example/lens";
        }
        if (k.type() == ConfigKeys.ValueTypes.BOOLEAN) {
            return String.valueOf(!(d != null && (Boolean) d));
        }
        if (k.type() == ConfigKeys.ValueTypes.HOST_PORT) {
            return "127.0.0.7:7";
        }
        if (k.type() == ConfigKeys.ValueTypes.INTEGER || k.type() == ConfigKeys.ValueTypes.SIZE) {
            return "7";
        }
        if (k == ConfigKeys.WEB_TRUSTED_PROXIES) {
            return "127.0.0.7, 10.0.0.0/8";
        }
        if (k.type() == ConfigKeys.ValueTypes.DURATION) {
            return "7s";
        }
        if (k.type() == ConfigKeys.ValueTypes.AGE) {
            return "7d"; // an age: at least a day
        }
        return "sample";
    }
}
