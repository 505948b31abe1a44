package io.dmarclens.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.ingest.Mailboxes;
import io.dmarclens.ingest.imap.ImapAccount;
import io.dmarclens.ingest.mailapi.MailApiAccount;
import io.dmarclens.ingest.oauth.OAuthSettings;

import io.dmarclens.ingest.imap.ImapAccount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void noFileGivesSafeDefaults() {
        ServeConfig c = new ConfigLoader(Map.of()).load(null, ConfigOverrides.none());
        assertEquals(Path.of("data"), c.dataDir());
        assertEquals("127.0.0.1", c.smtp().host());
        assertEquals(2525, c.smtp().port());
        assertEquals("127.0.0.1", c.webHost());
        assertEquals(8080, c.webPort());
        assertEquals(50L * 1024 * 1024, c.smtp().maxMessageSize());
        assertNull(c.smtp().tlsCertificate());
        assertFalse(c.offline());
        assertTrue(c.imap().isEmpty());
    }

    @Test
    void fileThenEnvironmentThenFlags() throws Exception {
        Path secret = dir.resolve("imap-password");
        Files.writeString(secret, "s3cret\n");
        Path file = dir.resolve("dmarc-lens.yaml");
        Files.writeString(file, """
                data_dir: /var/lib/dmarc-lens
                smtp:
                  listen: 0.0.0.0:25
                  recipients: [dmarc@example.com, reports.example.org]
                  max_message_size: 10MiB
                  read_timeout: 90s
                imap:
                  accounts:
                    - host: imap.example.com
                      user: dmarc@example.com
                      password_file: %s
                      after_import: mark_seen
                      trusted_certificates: /etc/dmarc-lens/imap-ca.pem
                      archive:
                        invalid: Junk/DMARC
                """.formatted(secret));
        Map<String, String> env = Map.of("DMARC_LENS_SMTP_MAX_CONNECTIONS", "7",
                "DMARC_LENS_IMAP_ACCOUNTS_0_FOLDER", "Reports", "DMARC_LENS_DATA_DIR", "/srv/env",
                "DMARC_LENS_JAVA_OPTS", "-Xmx1g");
        ServeConfig c = new ConfigLoader(env).load(file,
                new ConfigOverrides(Path.of("/flag/data"), null, "[::1]:9090", null, true));
        assertEquals(Path.of("/flag/data"), c.dataDir(), "flag over environment over file");
        assertEquals("0.0.0.0", c.smtp().host());
        assertEquals(25, c.smtp().port());
        assertEquals(List.of("dmarc@example.com", "reports.example.org"), c.smtp().recipients());
        assertEquals(10L * 1024 * 1024, c.smtp().maxMessageSize());
        assertEquals(Duration.ofSeconds(90), c.smtp().readTimeout());
        assertEquals(7, c.smtp().maxConnections());
        assertEquals("::1", c.webHost());
        assertEquals(9090, c.webPort());
        assertTrue(c.offline());
        ImapAccount a = c.imap().get(0);
        assertEquals("s3cret", a.password());
        assertEquals("Reports", a.folder());
        assertEquals(993, a.port());
        assertEquals(ImapAccount.AfterImport.MARK_SEEN, a.afterImport());
        assertEquals("Junk/DMARC", a.archive().invalid());
        assertEquals("Archive/Aggregate", a.archive().aggregate());
        assertEquals(Path.of("/etc/dmarc-lens/imap-ca.pem"), a.trustedCertificates());
        assertFalse(a.toString().contains("s3cret"));
    }

    @Test
    void recipientsFlagReplacesTheList() {
        ServeConfig c = new ConfigLoader(Map.of("DMARC_LENS_SMTP_RECIPIENTS", "a@x.example"))
                .load(null, new ConfigOverrides(null, "127.0.0.1:2626", null, List.of("b@y.example", "z.example"), null));
        assertEquals(List.of("b@y.example", "z.example"), c.smtp().recipients());
        assertEquals(2626, c.smtp().port());
    }

    @Test
    void mistakesAreReportedWithTheKey() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "smtp:\n  listn: 0.0.0.0:25\n");
        ConfigException unknown = assertThrows(ConfigException.class,
                () -> new ConfigLoader(Map.of()).load(file, ConfigOverrides.none()));
        assertTrue(unknown.getMessage().contains("smtp.listn"), unknown.getMessage());

        Files.writeString(file, "smtp:\n  max_message_size: lots\n");
        ConfigException size = assertThrows(ConfigException.class,
                () -> new ConfigLoader(Map.of()).load(file, ConfigOverrides.none()));
        assertTrue(size.getMessage().contains("smtp.max_message_size"), size.getMessage());

        ConfigException port = assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of())
                .load(null, new ConfigOverrides(null, "localhost", null, null, null)));
        assertTrue(port.getMessage().contains("smtp.listen"), port.getMessage());

        Files.writeString(file, "imap:\n  accounts:\n    - host: h\n      user: u\n");
        ConfigException secret = assertThrows(ConfigException.class,
                () -> new ConfigLoader(Map.of()).load(file, ConfigOverrides.none()));
        assertTrue(secret.getMessage().contains("password"), secret.getMessage());
    }

    @Test
    void nodeRolesAreCheckedBeforeAnythingStarts() throws Exception {
        Path file = dir.resolve("node.yaml");
        Files.writeString(file, "node:\n  name: mx1\n  roles: smtp, inbox\n");
        ServeConfig c = new ConfigLoader(Map.of()).load(file, ConfigOverrides.none());
        assertEquals("mx1", c.node().name());
        assertEquals(java.util.Set.of(io.dmarclens.store.cluster.NodeRole.SMTP, io.dmarclens.store.cluster.NodeRole.INBOX),
                c.node().roles());
        assertEquals(java.util.EnumSet.allOf(io.dmarclens.store.cluster.NodeRole.class),
                new ConfigLoader(Map.of()).load(null, ConfigOverrides.none()).node().roles(), "every role by default");

        Files.writeString(file, "node:\n  roles: smtp, mail\n");
        ConfigException unknown = assertThrows(ConfigException.class,
                () -> new ConfigLoader(Map.of()).load(file, ConfigOverrides.none()));
        assertTrue(unknown.getMessage().contains("node.roles") && unknown.getMessage().contains("mail"),
                unknown.getMessage());

        Files.writeString(file, "node:\n  roles: smtp, web\n");
        ConfigException noInbox = assertThrows(ConfigException.class,
                () -> new ConfigLoader(Map.of()).load(file, ConfigOverrides.none()));
        assertTrue(noInbox.getMessage().contains("add inbox"), noInbox.getMessage());
    }

    @Test
    void oauthAccountsAndMailApiMailboxesAreReadWithTheirSecretsFromFilesOrTheEnvironment() throws Exception {
        Path file = dir.resolve("oauth.yaml");
        Path secret = dir.resolve("client-secret");
        Files.writeString(secret, "s3cret\n");
        Path tokenFile = dir.resolve("token");
        Files.writeString(file, """
                imap:
                  accounts:
                    - name: m365
                      host: outlook.office365.com
                      user: dmarc@example.com
                      oauth:
                        provider: microsoft
                        tenant: example.onmicrosoft.com
                        client_id: 11111111-2222-3333-4444-555555555555
                        client_secret_file: %s
                    - name: graph
                      api: graph
                      user: dmarc@example.com
                      folder: Inbox/DMARC
                      oauth:
                        provider: microsoft
                        tenant: example.onmicrosoft.com
                        client_id: 11111111-2222-3333-4444-555555555555
                        token_endpoint: https://login.microsoftonline.us/
                    - name: gmail
                      api: gmail
                      user: dmarc@example.org
                      api_endpoint: http://127.0.0.1:9/
                      oauth:
                        provider: refresh_token
                        client_id: id
                        token_endpoint: http://127.0.0.1:9/token
                    - name: tool
                      host: imap.example.net
                      user: dmarc
                      access_token_file: %s
                """.formatted(secret, tokenFile));
        Map<String, String> env = Map.of("DMARC_LENS_IMAP_ACCOUNTS_1_OAUTH_CLIENT_SECRET", "from-env",
                "DMARC_LENS_IMAP_ACCOUNTS_2_OAUTH_REFRESH_TOKEN", "refresh-from-env");
        ServeConfig c = new ConfigLoader(env).load(file, ConfigOverrides.none());

        assertEquals(List.of("m365", "tool"), c.imap().stream().map(ImapAccount::name).toList());
        assertNull(c.imap().get(0).password());
        assertNull(c.imap().get(0).accessToken());
        OAuthSettings m365 = c.mailboxes().imapOAuth().get("m365");
        assertEquals(OAuthSettings.Provider.MICROSOFT, m365.provider());
        assertEquals("s3cret", m365.clientSecret());
        OAuthSettings tool = c.mailboxes().imapOAuth().get("tool");
        assertEquals(OAuthSettings.Provider.TOKEN_FILE, tool.provider());
        assertEquals(tokenFile, tool.tokenFile());

        List<Mailboxes.ApiMailbox> apis = c.mailboxes().apis();
        assertEquals(2, apis.size());
        assertEquals(MailApiAccount.Api.GRAPH, apis.get(0).account().api());
        assertEquals("Inbox/DMARC", apis.get(0).account().folder());
        assertEquals("from-env", apis.get(0).oauth().clientSecret());
        assertEquals("https://login.microsoftonline.us/", apis.get(0).oauth().tokenEndpoint().toString());
        assertEquals(MailApiAccount.Api.GRAPH.defaultEndpoint(), apis.get(0).account().endpoint());
        assertEquals(MailApiAccount.Api.GMAIL, apis.get(1).account().api());
        assertEquals("INBOX", apis.get(1).account().folder());
        assertEquals("refresh-from-env", apis.get(1).oauth().refreshToken());
        assertEquals("http://127.0.0.1:9/", apis.get(1).account().endpoint().toString());
        assertFalse(apis.get(1).oauth().toString().contains("refresh-from-env"), "no secret in toString");
    }

    @Test
    void oauthMistakesNameTheAccountAndTheKey() throws Exception {
        Path file = dir.resolve("bad-oauth.yaml");
        Files.writeString(file, "imap:\n  accounts:\n    - api: graph\n      user: u@example.com\n");
        ConfigException noOauth = assertThrows(ConfigException.class,
                () -> new ConfigLoader(Map.of()).load(file, ConfigOverrides.none()));
        assertTrue(noOauth.getMessage().contains("imap.accounts.0") && noOauth.getMessage().contains("oauth.provider"),
                noOauth.getMessage());

        Files.writeString(file, "imap:\n  accounts:\n    - host: h\n      user: u\n      oauth:\n"
                + "        provider: microsoft\n        client_id: c\n        client_secret: s\n");
        ConfigException noTenant = assertThrows(ConfigException.class,
                () -> new ConfigLoader(Map.of()).load(file, ConfigOverrides.none()));
        assertTrue(noTenant.getMessage().contains("oauth.tenant"), noTenant.getMessage());

        Files.writeString(file, "imap:\n  accounts:\n    - host: h\n      user: u\n      password: p\n"
                + "      oauth:\n        provider: refresh_token\n        client_id: c\n        refresh_token: r\n"
                + "        token_endpoint: https://idp.example/token\n");
        ConfigException both = assertThrows(ConfigException.class,
                () -> new ConfigLoader(Map.of()).load(file, ConfigOverrides.none()));
        assertTrue(both.getMessage().contains("not both"), both.getMessage());

        Files.writeString(file, "imap:\n  accounts:\n    - host: h\n      user: u\n      oauth:\n"
                + "        provider: refresh_token\n        client_id: c\n        refresh_token: r\n"
                + "        token_endpoint: idp.example/token\n");
        ConfigException address = assertThrows(ConfigException.class,
                () -> new ConfigLoader(Map.of()).load(file, ConfigOverrides.none()));
        assertTrue(address.getMessage().contains("not an http(s) address"), address.getMessage());
    }

    @Test
    void oauthKeyFilesAreReadBeforeAnythingStarts() throws Exception {
        Path file = dir.resolve("google.yaml");
        Path missing = dir.resolve("no-such-key.json");
        Files.writeString(file, "imap:\n  accounts:\n    - name: workspace\n      api: gmail\n"
                + "      user: dmarc@example.org\n      oauth:\n        provider: google\n"
                + "        service_account_key: " + missing + "\n");
        ServeConfig c = new ConfigLoader(Map.of()).load(file, ConfigOverrides.none());
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFiles.check(c, file.toString()));
        assertTrue(e.getMessage().contains("workspace") && e.getMessage().contains(missing.toString()), e.getMessage());

        Files.writeString(file, "imap:\n  accounts:\n    - name: tool\n      host: imap.example.net\n"
                + "      user: u\n      access_token_file: " + missing + "\n");
        ServeConfig tokenFile = new ConfigLoader(Map.of()).load(file, ConfigOverrides.none());
        ConfigException noFile = assertThrows(ConfigException.class,
                () -> ConfigFiles.check(tokenFile, file.toString()));
        assertTrue(noFile.getMessage().contains("access_token_file") && noFile.getMessage().contains("tool"),
                noFile.getMessage());
    }

    @Test
    void aSharedTwoFactorKeyFileIsReadFromTheConfigurationAndMustExist() throws Exception {
        Path file = dir.resolve("nodes.yaml");
        Path key = dir.resolve("two-factor-shared.key");
        Files.writeString(file, "web:\n  two_factor:\n    key_file: " + key + "\n");
        ServeConfig c = new ConfigLoader(Map.of()).load(file, ConfigOverrides.none());
        assertEquals(key, c.web().twoFactorKeyFile());
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFiles.check(c, file.toString()));
        assertTrue(e.getMessage().contains("web.two_factor.key_file") && e.getMessage().contains("head -c 32"),
                e.getMessage());
        Files.write(key, new byte[32]);
        ConfigFiles.check(c, file.toString());
        assertEquals(null, new ConfigLoader(Map.of()).load(null, ConfigOverrides.none()).web()
                .twoFactorKeyFile(), "by default the key beside web.db");
    }

    @Test
    void retentionKeepsEverythingUnlessAnAgeIsSetAndRefusesAgesThatAreTypos() throws Exception {
        RetentionSettings none = new ConfigLoader(Map.of()).load(null, ConfigOverrides.none()).retention();
        assertEquals(new RetentionSettings(null, null, java.time.Duration.ofDays(1)), none);
        assertTrue(!none.removesAnything());

        Path file = dir.resolve("lens.yaml");
        Files.writeString(file, "retention:\n  reports: 400d\n  raw_sources: forever\n  every: 6h\n");
        RetentionSettings set = new ConfigLoader(Map.of("DMARC_LENS_RETENTION_RAW_SOURCES", "90d"))
                .load(file, ConfigOverrides.none()).retention();
        assertEquals(new RetentionSettings(java.time.Duration.ofDays(400), java.time.Duration.ofDays(90),
                java.time.Duration.ofHours(6)), set, "the environment over the file");
        assertEquals("reports 400d, raw sources 90d", set.describe());

        Files.writeString(file, "retention:\n  reports: 13m\n");
        ConfigException minutes = assertThrows(ConfigException.class,
                () -> new ConfigLoader(Map.of()).load(file, ConfigOverrides.none()));
        assertTrue(minutes.getMessage().startsWith(file + ": retention.reports must be at least 1d"),
                minutes.getMessage());
        assertTrue(minutes.getMessage().contains("'m' means minutes"), minutes.getMessage());

        Files.writeString(file, "retention:\n  raw_sources: a year\n");
        ConfigException words = assertThrows(ConfigException.class,
                () -> new ConfigLoader(Map.of()).load(file, ConfigOverrides.none()));
        assertTrue(words.getMessage().contains(file + ": retention.raw_sources must be an age like 400d or 90d, or"
                + " forever, not 'a year'"), words.getMessage());

        ConfigException every = assertThrows(ConfigException.class, () -> new ConfigLoader(
                Map.of("DMARC_LENS_RETENTION_EVERY", "0s")).load(null, ConfigOverrides.none()));
        assertTrue(every.getMessage().contains("retention.every must be at least 1s"), every.getMessage());
    }
}
