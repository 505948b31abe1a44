package io.dmarclens.ingest.testing;

import io.dmarclens.testing.LoopbackPorts;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's Dovecot ({@code dovecot-imapd}) on loopback, started by a test: the Debian configuration files
 * that describe the mail server ({@code 10-mail.conf}, {@code 10-master.conf}, {@code 15-mailboxes.conf},
 * {@code 20-imap.conf}) included as they are, then only what a test must change: its own directories under
 * {@code target/}, free ports for IMAP (STARTTLS) and IMAPS, a test certificate, one passwd-file user, and
 * the mail in that directory (Maildir, or mbox as Debian's default but with INBOX beside the other folders
 * instead of in the system's spool). Login needs TLS, as by default.
 * Running as root, the mail user is {@code nobody} (Dovecot refuses uid 0); otherwise everything runs as
 * the current user, in its primary group, without the chroot of the login processes (only root may chroot).
 */
public final class Dovecot implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/sbin/dovecot");
    public static final String USER = "dmarc@localhost";
    public static final String PASSWORD = "secret";

    private final Path dir;
    private final Path config;
    private final int imapPort;
    private final int imapsPort;
    private Process process;

    private Dovecot(Path dir, Path config, int imapPort, int imapsPort) {
        this.dir = dir;
        this.config = config;
        this.imapPort = imapPort;
        this.imapsPort = imapsPort;
    }

    /** Skips the calling test (a JUnit assumption, with the reason) when Dovecot is not installed. */
    public static void assumeInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(BINARY),
                "Dovecot is not installed (" + BINARY + "; apt-get install dovecot-imapd): the Dovecot tests are skipped");
    }

    /** How the mail is kept, as {@code mail_location} says. */
    public enum Storage {
        /** Maildir under the home directory: hierarchy separator ".". */
        MAILDIR("maildir:~/Maildir"),
        /** Debian's default, mbox ({@code mbox:~/mail:INBOX=/var/mail/%u}) with INBOX in the home: separator "/". */
        MBOX("mbox:~/mail:INBOX=~/mail/inbox");

        private final String location;

        Storage(String location) {
            this.location = location;
        }
    }

    /** A Dovecot keeping mail in Maildir, whose "." separator is the one the default folder names broke on. */
    public static Dovecot start(TestCertificates certificate) throws Exception {
        return start(certificate, Storage.MAILDIR);
    }

    /** Configures and starts a Dovecot in a new directory under {@code target/dovecot/}, with this certificate. */
    public static Dovecot start(TestCertificates certificate, Storage storage) throws Exception {
        assumeInstalled();
        Path parent = Path.of("target", "dovecot").toAbsolutePath();
        Files.createDirectories(parent);
        // Short: Dovecot's UNIX sockets live below it, and socket paths are limited to about 100 bytes.
        Path dir = Files.createTempDirectory(parent, "d");
        // Dovecot's auth and mail processes run as other users; they must reach the files below.
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.writeString(dir.resolve("users"), USER + ":{PLAIN}" + PASSWORD + "::::::\n");
        boolean root = "root".equals(System.getProperty("user.name"));
        String mailUser = root ? "nobody" : System.getProperty("user.name");
        // Not root: every process runs as us, in our primary group (the group of a file we just created).
        String mailGroup = root ? "nogroup" : ((java.nio.file.attribute.GroupPrincipal)
                Files.getAttribute(dir.resolve("users"), "posix:group")).getName();
        if (root) {
            UserPrincipalLookupService users = home.getFileSystem().getUserPrincipalLookupService();
            Files.getFileAttributeView(home, PosixFileAttributeView.class)
                    .setOwner(users.lookupPrincipalByName(mailUser));
        }
        int[] ports = LoopbackPorts.free(2);
        int imap = ports[0];
        int imaps = ports[1];
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("instance_name", "dmarclens-" + dir.getFileName());
        settings.put("base_dir", dir.resolve("run").toString());
        settings.put("state_dir", dir.resolve("state").toString());
        settings.put("log_path", dir.resolve("dovecot.log").toString());
        settings.put("listen", "127.0.0.1");
        settings.put("ssl", "yes");
        settings.put("ssl_cert", "<" + certificate.certificate);
        settings.put("ssl_key", "<" + certificate.key);
        settings.put("ssl_dh", "</usr/share/dovecot/dh.pem");
        settings.put("mail_location", storage.location);
        settings.put("auth_mechanisms", "plain");
        if (!root) {
            settings.put("default_internal_user", mailUser);
            settings.put("default_login_user", mailUser);
            settings.put("default_internal_group", mailGroup);
        }
        StringBuilder conf = new StringBuilder();
        conf.append("# Written by ").append(Dovecot.class.getName()).append(" for one test.\n");
        conf.append("!include_try /usr/share/dovecot/protocols.d/*.protocol\n");
        for (String file : new String[] {"10-mail.conf", "10-master.conf", "15-mailboxes.conf", "20-imap.conf"}) {
            conf.append("!include /etc/dovecot/conf.d/").append(file).append('\n');
        }
        settings.forEach((k, v) -> conf.append(k).append(" = ").append(v).append('\n'));
        conf.append("passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u ")
                .append(dir.resolve("users")).append("\n}\n");
        conf.append("userdb {\n  driver = static\n  args = uid=").append(mailUser).append(" gid=")
                .append(mailGroup).append(" home=").append(home).append("/%u\n}\n");
        conf.append("service imap-login {\n  inet_listener imap {\n    port = ").append(imap)
                .append("\n  }\n  inet_listener imaps {\n    port = ").append(imaps).append("\n  }\n}\n");
        // 10-master.conf declares the other protocols' listeners; none of them may take a real port.
        conf.append("service pop3-login {\n  inet_listener pop3 {\n    port = 0\n  }\n"
                + "  inet_listener pop3s {\n    port = 0\n  }\n}\n");
        conf.append("service submission-login {\n  inet_listener submission {\n    port = 0\n  }\n}\n");
        if (!root) {
            // Only root may chroot.
            conf.append("service anvil {\n  chroot =\n}\nservice imap-login {\n  chroot =\n}\n");
        }
        Path config = dir.resolve("dovecot.conf");
        Files.writeString(config, conf.toString());
        Dovecot dovecot = new Dovecot(dir, config, imap, imaps);
        long t0 = System.nanoTime();
        dovecot.start();
        System.out.printf("dovecot (%s) started in %d ms%n", storage, (System.nanoTime() - t0) / 1_000_000);
        return dovecot;
    }

    public int imapPort() {
        return imapPort;
    }

    public int imapsPort() {
        return imapsPort;
    }

    /** Starts the server (again, on the same ports and mail), returning once it greets on the IMAP port. */
    public void start() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(BINARY.toString(), "-F", "-c", config.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout").toFile()));
        process = pb.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("dovecot exited with " + process.exitValue() + ": " + log());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", imapPort), 1000);
                s.setSoTimeout(5000);
                InputStream in = s.getInputStream();
                byte[] greeting = new byte[4];
                if (in.readNBytes(greeting, 0, 4) == 4 && new String(greeting, StandardCharsets.US_ASCII).equals("* OK")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("dovecot did not start listening on " + imapPort + ": " + log());
            }
            Thread.sleep(50);
        }
    }

    /**
     * Stops the server as systemd does: SIGTERM to every process of the service (the master alone would
     * leave running sessions to their IMAP processes), then waits until they are gone.
     */
    public void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        java.util.List<ProcessHandle> all = new java.util.ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        for (ProcessHandle p : all) {
            while (p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** The server's log so far, for failure messages. */
    public String log() {
        try {
            return Files.readString(dir.resolve("dovecot.log")) + Files.readString(dir.resolve("stdout"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Logins the server has accepted so far (its log says "Login: user=..." for each). */
    public long logins() {
        return log().lines().filter(l -> l.contains("imap-login: Info: Login: user=")).count();
    }

    /** A client session of the test user over IMAPS, trusting the test certificate. */
    public Store connect() throws MessagingException {
        Properties props = new Properties();
        props.put("mail.imaps.ssl.trust", "localhost");
        props.put("mail.imaps.ssl.checkserveridentity", "true");
        Store store = Session.getInstance(props).getStore("imaps");
        store.connect("localhost", imapsPort, USER, PASSWORD);
        return store;
    }

    /** Adds mails to a folder, unseen, as a delivery would. */
    public void deliver(String folder, Message... messages) throws MessagingException {
        try (Store store = connect()) {
            Folder f = store.getFolder(folder);
            if (!f.exists()) {
                f.create(Folder.HOLDS_MESSAGES);
            }
            f.appendMessages(messages);
        }
    }

    /** How many (undeleted) messages each existing folder holds, and how many of them are seen ("name seen"). */
    public Map<String, Integer> folderCounts() throws MessagingException {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        try (Store store = connect()) {
            for (Folder f : store.getDefaultFolder().list("*")) {
                if ((f.getType() & Folder.HOLDS_MESSAGES) == 0) {
                    continue;
                }
                f.open(Folder.READ_ONLY);
                int all = 0;
                int seen = 0;
                for (Message m : f.getMessages()) {
                    if (!m.isSet(jakarta.mail.Flags.Flag.DELETED)) {
                        all++;
                        seen += m.isSet(jakarta.mail.Flags.Flag.SEEN) ? 1 : 0;
                    }
                }
                f.close(false);
                counts.put(f.getFullName(), all);
                counts.put(f.getFullName() + " seen", seen);
            }
        }
        return counts;
    }

    /** Stops the server and deletes its directory (configuration, log and mail). */
    @Override
    public void close() throws InterruptedException {
        stop();
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // target/ is cleaned by the build anyway
        }
    }

}
