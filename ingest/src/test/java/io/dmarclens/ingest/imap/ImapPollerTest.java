package io.dmarclens.ingest.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.dmarclens.demo.SyntheticReports;
import io.dmarclens.store.ingestlog.InboxMessage;
import io.dmarclens.store.ingestlog.IngestStatus;
import io.dmarclens.ingest.testing.IngestHarness;
import io.dmarclens.ingest.testing.ReportIdProcessor;
import io.dmarclens.ingest.testing.TcpProxy;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The poller against a real IMAP server (GreenMail): empties the mailbox, archives per outcome, survives restarts. */
class ImapPollerTest {
    private static final String USER = "dmarc@example.com";

    @TempDir
    Path dir;
    private int port;
    private GreenMail greenMail;
    private GreenMailUser user;

    @BeforeEach
    void startServer() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_IMAP));
        greenMail.start();
        user = greenMail.setUser(USER, "dmarc", "secret");
    }

    @AfterEach
    void stopServer() {
        greenMail.stop();
    }

    private ImapAccount account(boolean idle) {
        return account(idle, port);
    }

    private ImapAccount account(boolean idle, int serverPort) {
        return new ImapAccount("test", "127.0.0.1", serverPort, ImapAccount.Security.NONE, "dmarc", "secret", null, "INBOX",
                Duration.ofMillis(500), idle, 4, ImapAccount.AfterImport.MOVE, ImapAccount.ArchiveFolders.defaults(),
                1024 * 1024);
    }

    private void deliver(String reportId) throws Exception {
        Session session = Session.getInstance(new Properties());
        user.deliver(SyntheticReports.aggregateMail(session, USER, reportId, 10));
    }

    @Test
    void emptiesTheMailboxIntoTheStoreOnceAndArchivesPerOutcome() throws Exception {
        for (int i = 0; i < 10; i++) {
            deliver("imap-" + i);
        }
        user.deliver(SyntheticReports.plainMail(Session.getInstance(new Properties()), USER, "not a report"));
        ReportIdProcessor processor = new ReportIdProcessor();
        try (IngestHarness ingest = new IngestHarness(dir.resolve("data"), processor);
             ImapPoller poller = new ImapPoller(account(true), ingest.intake, Duration.ofSeconds(5)).start()) {
            await(() -> poller.archived() >= 11, "all 11 messages archived");
            assertEquals(11, poller.archived());
            // New mail while the poller waits (IDLE) is picked up too.
            deliver("imap-late");
            await(() -> poller.archived() >= 12, "the late message archived");
            assertEquals(12, poller.archived());
            assertEquals(11, ingest.settled(IngestStatus.STORED));
            assertEquals(1, ingest.settled(IngestStatus.QUARANTINED));
        }
        assertEquals(11, processor.seen.size());
        assertTrue(processor.seen.values().stream().allMatch(n -> n.get() == 1));
        Map<String, Integer> folders = folderCounts();
        assertEquals(0, folders.get("INBOX"));
        assertEquals(11, folders.get("Archive.Aggregate"));
        assertEquals(1, folders.get("Archive.Invalid"));
        // GreenMail separates levels with ".": the default Archive/Aggregate is a folder under Archive.
        assertEquals(0, folderCounts().getOrDefault("Archive/Aggregate", 0));
        assertEquals(12, seenCount("Archive.Aggregate") + seenCount("Archive.Invalid"), "archived mail is seen");
    }

    @Test
    void aMailOverTheSizeLimitIsQuarantinedWithItsSubjectSenderAndSizeAndReadAgainOnceTheLimitIsRaised()
            throws Exception {
        Session session = Session.getInstance(new Properties());
        jakarta.mail.internet.MimeMessage small = SyntheticReports.aggregateMail(session, USER, "fits", 2);
        jakarta.mail.internet.MimeMessage large = SyntheticReports.aggregateMail(session, USER, "too-large", 400);
        large.setFrom(new jakarta.mail.internet.InternetAddress("noreply-dmarc@reporter.example"));
        large.setSubject("Report Domain: example.com Submitter: reporter.example Report-ID: too-large");
        large.saveChanges();
        long smallSize = size(small);
        long largeSize = size(large);
        long limit = (smallSize + largeSize) / 2;
        assertTrue(smallSize < limit && limit < largeSize, smallSize + " < " + limit + " < " + largeSize);
        user.deliver(small);
        user.deliver(large);
        ReportIdProcessor processor = new ReportIdProcessor();
        try (IngestHarness ingest = new IngestHarness(dir.resolve("data"), processor)) {
            try (ImapPoller poller = new ImapPoller(account(false).withMaxMessageSize(limit), ingest.intake,
                    Duration.ofSeconds(5)).start()) {
                await(() -> poller.archived() >= 2, "both mails archived");
            }
            assertEquals(Map.of("INBOX", 0, "Archive.Aggregate", 1, "Archive.Invalid", 1), folderCounts());
            assertEquals(Set.of("fits"), processor.seen.keySet());
            var quarantined = ingest.quarantine.list(0, 10).entries();
            assertEquals(1, quarantined.size());
            var entry = quarantined.get(0);
            assertEquals(IngestStatus.QUARANTINED, entry.status());
            assertTrue(entry.size() > limit, "the mail's own size: " + entry.size());
            assertTrue(entry.detail().contains("too large: " + entry.size() + " bytes"), entry.detail());
            assertTrue(entry.detail().contains("Report-ID: too-large"), entry.detail());
            assertTrue(entry.detail().contains("noreply-dmarc@reporter.example"), entry.detail());
            try (var in = ingest.quarantine.open(entry.id())) {
                String kept = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertTrue(kept.contains("Subject: Report Domain: example.com"), kept);
            }
            assertEquals(1, ingest.log.countByStatus().get(IngestStatus.QUARANTINED));
            // A retry of the header alone cannot read the mail: it answers with the reason, unchanged.
            var retried = ingest.quarantine.retry(entry.id()).get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(IngestStatus.QUARANTINED, retried.status());
            assertEquals(entry.detail(), retried.detail());
            assertTrue(ingest.quarantine.holds(entry.id()));

            // The limit raised (a restart with the new setting): the mail comes back from Archive.Invalid.
            try (ImapPoller poller = new ImapPoller(account(false).withMaxMessageSize(largeSize * 2), ingest.intake,
                    Duration.ofSeconds(5)).start()) {
                await(() -> processor.seen.containsKey("too-large") && poller.archived() >= 1, "the large mail stored");
            }
            assertEquals(Map.of("INBOX", 0, "Archive.Aggregate", 2, "Archive.Invalid", 0), folderCounts());
            assertEquals(2, ingest.settled(IngestStatus.STORED));
        }
        assertTrue(processor.seen.values().stream().allMatch(n -> n.get() == 1), processor.seen.toString());
    }

    @Test
    void withMarkSeenATooLargeMailStaysInPlaceAndIsReadOnceTheLimitIsRaised() throws Exception {
        Session session = Session.getInstance(new Properties());
        jakarta.mail.internet.MimeMessage large = SyntheticReports.aggregateMail(session, USER, "large-in-place", 400);
        long limit = size(large) / 2;
        user.deliver(large);
        ReportIdProcessor processor = new ReportIdProcessor();
        ImapAccount markSeen = account(false).withAfterImport(ImapAccount.AfterImport.MARK_SEEN);
        try (IngestHarness ingest = new IngestHarness(dir.resolve("data"), processor)) {
            try (ImapPoller poller = new ImapPoller(markSeen.withMaxMessageSize(limit), ingest.intake,
                    Duration.ofSeconds(5)).start()) {
                await(() -> poller.archived() >= 1, "the mail set aside");
            }
            assertEquals(1, ingest.settled(IngestStatus.QUARANTINED));
            assertEquals(1, seenCount("INBOX"));
            try (ImapPoller poller = new ImapPoller(markSeen.withMaxMessageSize(limit * 4), ingest.intake,
                    Duration.ofSeconds(5)).start()) {
                await(() -> processor.seen.containsKey("large-in-place") && poller.archived() >= 1, "the mail read");
            }
            assertEquals(1, ingest.settled(IngestStatus.STORED));
        }
        assertEquals(Map.of("INBOX", 1, "Archive.Aggregate", 0, "Archive.Invalid", 0), folderCounts());
        assertEquals(1, seenCount("INBOX"));
    }

    private static long size(jakarta.mail.internet.MimeMessage m) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        m.writeTo(out);
        return out.size();
    }

    private int seenCount(String name) throws Exception {
        try (Store store = Session.getInstance(new Properties()).getStore("imap")) {
            store.connect("127.0.0.1", port, "dmarc", "secret");
            Folder f = store.getFolder(name);
            f.open(Folder.READ_ONLY);
            try {
                return f.search(new jakarta.mail.search.FlagTerm(new jakarta.mail.Flags(jakarta.mail.Flags.Flag.SEEN),
                        true)).length;
            } finally {
                f.close(false);
            }
        }
    }

    @Test
    void neverArchivesAMessageBeforeItIsStoredAndRecoversFromAServerRestart() throws Exception {
        for (int i = 0; i < 12; i++) {
            deliver("r" + i);
        }
        AtomicBoolean storeAvailable = new AtomicBoolean(false);
        AtomicInteger r3Attempts = new AtomicInteger();
        ReportIdProcessor reports = new ReportIdProcessor();
        // "r3" cannot be stored until the store comes back: the inbox keeps it and retries.
        io.dmarclens.ingest.inbox.MessageProcessor processor = (InboxMessage m, Path data) -> {
            String text = java.nio.file.Files.readString(data, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (text.matches("(?s).*Report-ID:\\s+r3\\s.*") && !storeAvailable.get()) {
                r3Attempts.incrementAndGet();
                throw new IOException("store unavailable (test)");
            }
            return reports.process(m, data);
        };
        try (TcpProxy server = new TcpProxy(port);
             IngestHarness ingest = new IngestHarness(dir.resolve("data"), processor);
             ImapPoller poller = new ImapPoller(account(false, server.port()), ingest.intake, Duration.ofMillis(300))
                     .start()) {
            await(() -> poller.archived() >= 4, "a first batch archived");
            server.down(); // the IMAP server goes away, mid-poll
            await(() -> poller.lastFailure().isPresent(), "the poller noticed the server is gone");
            assertTrue(poller.failing(), "failing while the server is gone (the imap-failing alert rule reads it)");
            assertEquals("test", poller.name());
            server.up();
            await(() -> poller.archived() >= 11, "every message but r3 archived after the restart");
            await(() -> !poller.failing(), "not failing once a whole cycle worked again");
            // r3 has been tried and refused more than once while rounds went by: still it must not be archived.
            await(() -> r3Attempts.get() >= 2, "the inbox retried r3");
            Map<String, Integer> folders = folderCounts();
            assertEquals(1, folders.get("INBOX"), "r3 is not stored, so it stays in INBOX");
            assertEquals(11, folders.get("Archive.Aggregate"));
            assertTrue(!reports.seen.containsKey("r3"));
            storeAvailable.set(true);
            await(() -> poller.archived() >= 12, "r3 archived once stored");
            assertTrue(poller.connects() >= 2, "reconnected: " + poller.connects());
            assertEquals(12, ingest.settled(IngestStatus.STORED));
        }
        assertEquals(12, reports.seen.size());
        assertTrue(reports.seen.values().stream().allMatch(n -> n.get() == 1), reports.seen.toString());
        assertEquals(0, folderCounts().get("INBOX"));
    }

    @Test
    void aMessageReadAgainAfterItsQuarantineDroppedItStillGoesToInvalid() throws Exception {
        user.deliver(SyntheticReports.plainMail(Session.getInstance(new Properties()), USER, "not a report"));
        java.util.concurrent.CountDownLatch processing = new java.util.concurrent.CountDownLatch(1);
        ReportIdProcessor reports = new ReportIdProcessor();
        io.dmarclens.ingest.inbox.MessageProcessor slow = (InboxMessage m, Path data) -> {
            processing.countDown();
            try {
                Thread.sleep(500); // the first poller gives up waiting for the outcome and goes away meanwhile
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return reports.process(m, data);
        };
        // A quarantine bound of one byte: the junk is dropped as soon as it is quarantined.
        io.dmarclens.ingest.inbox.InboxLimits tiny = io.dmarclens.ingest.inbox.InboxLimits.none()
                .withQuarantine(1, Duration.ofDays(30));
        try (IngestHarness ingest = new IngestHarness(dir.resolve("data"), slow, tiny, io.dmarclens.store.Clocks.system())) {
            try (ImapPoller first = new ImapPoller(account(false), ingest.intake, Duration.ofMillis(1)).start()) {
                assertTrue(processing.await(20, java.util.concurrent.TimeUnit.SECONDS), "the message was accepted");
            }
            assertEquals(1, ingest.settled(IngestStatus.DROPPED), "quarantined, then dropped by the bound");
            assertEquals(1, folderCounts().get("INBOX"), "not archived before its outcome was known");
            // Read again: its ingest log entry now says dropped, and a dropped message held no report.
            try (ImapPoller second = new ImapPoller(account(false), ingest.intake, Duration.ofSeconds(5)).start()) {
                await(() -> second.archived() >= 1, "the message archived");
            }
        }
        Map<String, Integer> folders = folderCounts();
        assertEquals(1, folders.get("Archive.Invalid"), folders.toString());
        assertEquals(0, folders.get("Archive.Aggregate"), folders.toString());
        assertEquals(0, reports.seen.size(), "never taken for a report");
    }

    private Map<String, Integer> folderCounts() throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        Session session = Session.getInstance(new Properties());
        try (Store store = session.getStore("imap")) {
            store.connect("127.0.0.1", port, "dmarc", "secret");
            List<String> names = new ArrayList<>(List.of("INBOX", "Archive.Aggregate", "Archive.Invalid"));
            for (String name : names) {
                Folder f = store.getFolder(name);
                if (!f.exists()) {
                    counts.put(name, 0);
                    continue;
                }
                f.open(Folder.READ_ONLY);
                int n = 0;
                for (Message m : f.getMessages()) {
                    if (!m.isSet(jakarta.mail.Flags.Flag.DELETED)) {
                        n++;
                    }
                }
                counts.put(name, n);
                f.close(false);
            }
        }
        return counts;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        // Generous: the wait ends as soon as the condition holds, and a loaded machine must not fail it.
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                StringBuilder dump = new StringBuilder();
                Thread.getAllStackTraces().forEach((t, st) -> {
                    if (t.getName().startsWith("imap")) {
                        dump.append(t.getName()).append('\n');
                        for (StackTraceElement e : st) {
                            dump.append("    ").append(e).append('\n');
                        }
                    }
                });
                throw new AssertionError("timed out waiting until " + what + "\n" + dump);
            }
            Thread.sleep(50);
        }
    }

}
