package io.dmarclens.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.dmarclens.ingest.testing.TestCertificates;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Errors a user meets, as the user sees them: {@code dmarc-lens} run as its own process, everything it
 * prints captured. Each is one line (what is wrong, what to do) with exit status 2, no stack trace, and
 * nothing started: the data directory is not even created.
 */
class UserErrorsTest {
    @TempDir
    Path dir;

    @Test
    void aMisspeltConfigurationKey() throws Exception {
        Path config = dir.resolve("dmarc-lens.yml");
        Files.writeString(config, "smtp:\n  lisen: 127.0.0.1:2525\n");
        Result r = dmarcLens("serve", "--config", config.toString(), "--data", dir.resolve("data").toString());
        assertEquals(2, r.status);
        assertEquals("dmarc-lens serve: " + config + ": unknown configuration key 'smtp.lisen'; known under smtp:"
                + " enabled, hostname, listen, max_connections, max_message_size, read_timeout, recipients,"
                + " tls.certificate, tls.key, tls.required (docs/configuration.md lists every key)\n", r.output);
        assertFalse(Files.exists(dir.resolve("data")));
    }

    @Test
    void aMissingTrustedCertificatesFileStopsTheStartBeforeSmtpListens() throws Exception {
        Path config = dir.resolve("dmarc-lens.yml");
        Path nope = dir.resolve("nope.pem");
        Files.writeString(config, """
                smtp:
                  listen: 127.0.0.1:0
                imap:
                  accounts:
                    - name: dovecot
                      host: 127.0.0.1
                      user: dmarc
                      password: secret
                      trusted_certificates: %s
                """.formatted(nope));
        Result r = dmarcLens("serve", "--config", config.toString(), "--data", dir.resolve("data").toString());
        assertEquals(2, r.status);
        assertEquals("dmarc-lens serve: " + config + ": imap.accounts.0.trusted_certificates (account dovecot): no such"
                + " file " + nope + "; set it to the PEM file of the server's certificate or its CA\n", r.output);
        assertFalse(Files.exists(dir.resolve("data")), "nothing started");
    }

    @Test
    void aTrustedCertificatesFileWithoutACertificate() throws Exception {
        Path key = TestCertificates.localhost(dir).key;
        Result r = dmarcLens(List.of("DMARC_LENS_IMAP_ACCOUNTS_0_HOST=127.0.0.1", "DMARC_LENS_IMAP_ACCOUNTS_0_USER=dmarc",
                        "DMARC_LENS_IMAP_ACCOUNTS_0_PASSWORD=secret", "DMARC_LENS_IMAP_ACCOUNTS_0_TRUSTED_CERTIFICATES=" + key),
                "serve", "--data", dir.resolve("data").toString(), "--smtp-listen", "127.0.0.1:0");
        assertEquals(2, r.status);
        assertEquals("dmarc-lens serve: configuration: imap.accounts.0.trusted_certificates (account dmarc@127.0.0.1): "
                + key + " holds no readable certificate (expected PEM: -----BEGIN CERTIFICATE-----); set it to the PEM file of"
                + " the server's certificate or its CA\n", r.output);
    }

    @Test
    void aMissingSmtpTlsKey() throws Exception {
        TestCertificates certificate = TestCertificates.localhost(dir);
        Path config = dir.resolve("dmarc-lens.yml");
        Path nope = dir.resolve("nope.key");
        Files.writeString(config, """
                smtp:
                  listen: 127.0.0.1:0
                  tls:
                    certificate: %s
                    key: %s
                """.formatted(certificate.certificate, nope));
        Result r = dmarcLens("serve", "--config", config.toString(), "--data", dir.resolve("data").toString());
        assertEquals(2, r.status);
        assertEquals("dmarc-lens serve: " + config + ": smtp.tls.certificate / smtp.tls.key: no such file " + nope
                + "; set them to the PEM certificate chain and its unencrypted private key\n", r.output);
        assertFalse(Files.exists(dir.resolve("data")), "nothing started");
    }

    @Test
    void aMissingPasswordFile() throws Exception {
        Path config = dir.resolve("dmarc-lens.yml");
        Path nope = dir.resolve("imap-password");
        Files.writeString(config, """
                imap:
                  accounts:
                    - host: 127.0.0.1
                      user: dmarc
                      password_file: %s
                """.formatted(nope));
        Result r = dmarcLens("serve", "--config", config.toString(), "--data", dir.resolve("data").toString());
        assertEquals(2, r.status);
        assertEquals("dmarc-lens serve: " + config + ": imap.accounts.0.password_file: no such file " + nope + "\n",
                r.output);
    }

    @Test
    void anUnknownOptionIsTwoLinesNotTheWholeUsage() throws Exception {
        Result r = dmarcLens("search", "--dta", "data", "dkim:fail");
        assertEquals(2, r.status);
        assertEquals("dmarc-lens search: Unknown option: '--dta'\nRun 'dmarc-lens search --help' for usage.\n", r.output);
    }

    @Test
    void aPortInUseIsOneLineBeforeAnythingStarts() throws Exception {
        try (java.net.ServerSocket busy = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Result r = dmarcLens("serve", "--data", dir.resolve("data").toString(), "--offline", "--smtp-listen",
                    "127.0.0.1:0", "--web-listen", "127.0.0.1:" + busy.getLocalPort());
            assertEquals(1, r.status);
            assertEquals("dmarc-lens serve: cannot listen on 127.0.0.1:" + busy.getLocalPort() + ": the address is in"
                    + " use (another program listens there: stop it, or set web.listen / --web-listen)\n", r.output);
            assertFalse(Files.exists(dir.resolve("data")), "nothing started, the SMTP receiver included");
        }
    }

    @Test
    void anUnexpectedFailureIsTwoLinesAndItsTraceIsInTheDebugLog() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
        String[] args = {"serve", "--data", file.toString(), "--offline", "--web-listen", "127.0.0.1:0",
                "--smtp-listen", "127.0.0.1:0"};
        Result r = dmarcLens(args);
        assertEquals(1, r.status);
        assertEquals("dmarc-lens serve: " + file + " exists and is not a directory\n"
                + "(the details are in the debug log: run again with DMARC_LENS_LOG_LEVEL=debug)\n", r.output);

        Result debug = dmarcLens(List.of("DMARC_LENS_LOG_LEVEL=debug"), args);
        assertEquals(1, debug.status);
        org.junit.jupiter.api.Assertions.assertTrue(debug.output.contains("Main - dmarc-lens serve failed\n"
                + "java.nio.file.FileAlreadyExistsException: " + file + "\n\tat "), debug.output);
    }

    private record Result(int status, String output) {
    }

    private Result dmarcLens(String... args) throws Exception {
        return dmarcLens(List.of(), args);
    }

    /** Runs the command line in a JVM of its own, with the main logging configuration, as a user would. */
    private Result dmarcLens(List<String> env, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                "-Dlogback.configurationFile=logback.xml", Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("DMARC_LENS_"));
        for (String e : env) {
            pb.environment().put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1));
        }
        File out = dir.resolve("output.txt").toFile();
        pb.redirectErrorStream(true).redirectOutput(out);
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("dmarc-lens did not stop: " + Files.readString(out.toPath()));
        }
        return new Result(p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8));
    }
}
