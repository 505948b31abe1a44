package io.dmarclens.app.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dmarclens.app.cli.Main;
import io.dmarclens.demo.SyntheticReports;
import io.dmarclens.store.Clocks;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.io.File;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * #14: another local user reads the data directory of a real serve (reports naming real people, password
 * hashes, mail from strangers). Every directory is owner-only (0700), an existing group-readable data
 * directory included, and the databases, the inbox and the quarantine files are 0600, whatever the umask.
 */
@Timeout(180)
class DataFilesAttackTest {
    @TempDir
    Path dir;

    @Test
    void aServesDataDirectoryIsOwnerOnly() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process serve = serve(data, port);
        try {
            awaitListening(port, serve);
            Properties props = new Properties();
            props.put("mail.smtp.host", "127.0.0.1");
            props.put("mail.smtp.port", Integer.toString(port));
            Session session = Session.getInstance(props);
            try (Transport t = session.getTransport("smtp")) {
                t.connect();
                MimeMessage report = SyntheticReports.aggregateMail(session, "dmarc@reports.example.com", "perm-1", 5);
                t.sendMessage(report, report.getAllRecipients());
                MimeMessage junk = SyntheticReports.plainMail(session, "dmarc@reports.example.com", "no report here");
                t.sendMessage(junk, junk.getAllRecipients());
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!hasFiles(data.resolve("quarantine")) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        } finally {
            serve.destroy();
            assertTrue(serve.waitFor(90, TimeUnit.SECONDS), "serve stops on SIGTERM");
        }
        assertTrue(hasFiles(data.resolve("quarantine")), "the junk mail was quarantined");
        Set<PosixFilePermission> ownerDir = PosixFilePermissions.fromString("rwx------");
        Set<PosixFilePermission> ownerFile = PosixFilePermissions.fromString("rw-------");
        List<String> open = new ArrayList<>();
        int checkedFiles = 0;
        try (Stream<Path> all = Files.walk(data)) {
            for (Path p : all.toList()) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
                String name = data.relativize(p).toString();
                if (Files.isDirectory(p)) {
                    if (!perms.equals(ownerDir)) {
                        open.add(name + "/ " + PosixFilePermissions.toString(perms));
                    }
                } else if (!name.startsWith("index")) { // Lucene's files: closed by their 0700 directory
                    checkedFiles++;
                    if (!perms.equals(ownerFile)) {
                        open.add(name + " " + PosixFilePermissions.toString(perms));
                    }
                }
            }
        }
        assertEquals(List.of(), open, "readable by others");
        assertTrue(checkedFiles >= 3, checkedFiles + " files checked");
    }

    private static boolean hasFiles(Path d) throws Exception {
        if (!Files.isDirectory(d)) {
            return false;
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.findAny().isPresent();
        }
    }

    private Process serve(Path data, int port) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m",
                "-D" + Clocks.SHIFT_PROPERTY + "=" + System.getProperty(Clocks.SHIFT_PROPERTY, ""),
                "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "serve", "--data", data.toString(), "--smtp-listen", "127.0.0.1:" + port,
                "--web-listen", "127.0.0.1:0", "--recipients", "reports.example.com", "--offline");
        File log = dir.resolve("serve.log").toFile();
        pb.redirectErrorStream(true).redirectOutput(log);
        return pb.start();
    }

    private static void awaitListening(int port, Process process) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (java.io.IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("serve did not start listening");
                }
                Thread.sleep(50);
            }
        }
    }
}
