package io.dmarclens.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
