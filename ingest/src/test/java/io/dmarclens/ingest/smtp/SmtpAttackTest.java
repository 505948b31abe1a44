package io.dmarclens.ingest.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.ingest.inbox.InboxLimits;
import io.dmarclens.ingest.inbox.QuarantineBounds;
import io.dmarclens.store.ingestlog.IngestLogEntry;
import io.dmarclens.ingest.testing.IngestHarness;
import io.dmarclens.ingest.testing.ReportIdProcessor;
import io.dmarclens.store.ingestlog.IngestStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Strangers on port 25, as issue #14 tried them: a real receiver on loopback, raw SMTP clients that
 * hold connections, trickle bytes or send junk, and an honest sender from another loopback address
 * (127.0.0.2) that must still get through. Every attack is bounded in count and in time.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SmtpAttackTest {
    private static final String RCPT = "dmarc@reports.example.com";
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    @TempDir
    Path dir;
    private IngestHarness ingest;
    private SmtpReceiver receiver;
    private final List<RawSmtp> clients = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (RawSmtp c : clients) {
            c.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        if (ingest != null) {
            ingest.close();
        }
    }

    private void start(SmtpSettings smtp, InboxLimits limits, Clock clock) throws Exception {
        ingest = new IngestHarness(dir.resolve("data"), new ReportIdProcessor(), limits, clock);
        receiver = SmtpReceiver.start(smtp.withListen("127.0.0.1", 0).withRecipients(List.of(RCPT)), ingest.intake);
    }

    private void start(SmtpLimits limits) throws Exception {
        start(SmtpSettings.defaults().withLimits(limits), InboxLimits.none(), Clock.fixed(T0, ZoneOffset.UTC));
    }

    private RawSmtp connect(String from) throws IOException {
        RawSmtp c = new RawSmtp(receiver.port(), from);
        clients.add(c);
        return c;
    }

    @Test
    void oneAddressHoldsAtMostItsSlotsAndOthersStillDeliver() throws Exception {
        start(SmtpSettings.defaults().withMaxConnections(20).withLimits(SmtpLimits.defaults().withConnectionsPerAddress(3)),
                InboxLimits.none(), Clock.fixed(T0, ZoneOffset.UTC));
        int greeted = 0;
        int refused = 0;
        List<RawSmtp> held = new ArrayList<>();
        for (int i = 0; i < 40; i++) { // twice max_connections, all idle, all from 127.0.0.1
            RawSmtp c = connect("127.0.0.1");
            String greeting = c.reply();
            if (greeting.startsWith("220")) {
                greeted++;
                held.add(c);
            } else {
                assertTrue(greeting.startsWith("421 4.7.0 Too many connections from your address"), greeting);
                assertEquals(null, c.replyOrEnd(), "a refused connection is closed");
                refused++;
            }
        }
        assertEquals(3, greeted);
        assertEquals(37, refused);

        // While the stranger holds its slots, a report from another address is accepted.
        RawSmtp honest = connect("127.0.0.2");
        assertEquals("250", honest.deliver(report("held-1")).substring(0, 3));
        assertEquals(1, ingest.settled(IngestStatus.STORED));

        // The slots come back when the stranger lets go.
        held.get(0).close();
        assertEventuallyGreeted("127.0.0.1");
    }

    @Test
    void aCommandTrickledByteByByteIsCutAtItsDeadline() throws Exception {
        start(SmtpLimits.defaults().withDeadlines(Duration.ofSeconds(2), Duration.ofSeconds(30)));
        RawSmtp c = connect("127.0.0.1");
        assertTrue(c.reply().startsWith("220"));
        long started = System.nanoTime();
        // one byte every 300 ms: each read is quick, the line is never whole within 2 s
        String reply = c.trickle("EHLO slow.example.net\r\n", 300);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        assertTrue(reply != null && reply.startsWith("421"), "cut with 421, not: " + reply);
        assertTrue(seconds < 6, "cut after " + seconds + " s");
        assertEquals(null, c.replyOrEnd(), "the connection is closed");
    }

    @Test
    void dataTrickledLineByLineIsCutAtItsDeadlineAndNothingIsKept() throws Exception {
        start(SmtpLimits.defaults().withDeadlines(Duration.ofSeconds(2), Duration.ofSeconds(3)));
        RawSmtp c = connect("127.0.0.1");
        assertTrue(c.reply().startsWith("220"));
        assertTrue(c.command("EHLO slow.example.net").startsWith("250"));
        assertTrue(c.command("MAIL FROM:<a@slow.example.net>").startsWith("250"));
        assertTrue(c.command("RCPT TO:<" + RCPT + ">").startsWith("250"));
        assertTrue(c.command("DATA").startsWith("354"));
        long started = System.nanoTime();
        String reply = null;
        // Whole lines, each well within the command deadline, for up to 20 s: only DATA's deadline stops it.
        for (int i = 0; i < 40 && reply == null; i++) {
            if (!c.sendQuietly((i == 0 ? "Subject: Report-ID: slow-1\r\n\r\n" : "") + "line " + i + "\r\n")) {
                break;
            }
            reply = c.replyWithin(500);
        }
        if (reply == null) {
            reply = c.replyOrEnd();
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        assertTrue(reply == null || reply.startsWith("421"), "no 250 for a trickled DATA: " + reply);
        assertTrue(seconds < 8, "cut after " + seconds + " s");
        assertEquals(0, ingest.settled(IngestStatus.STORED));
        assertEquals(0, ingest.settled(IngestStatus.PENDING));
        try (Stream<Path> files = Files.list(dir.resolve("data/inbox/new"))) {
            assertEquals(0, files.count(), "nothing of the cut message is kept");
        }
    }

    @Test
    void belowTheFreeDiskThresholdMailIsRefusedWith452() throws Exception {
        start(SmtpSettings.defaults(), InboxLimits.none().withMinFreeDisk(Long.MAX_VALUE),
                Clock.fixed(T0, ZoneOffset.UTC));
        RawSmtp c = connect("127.0.0.1");
        assertTrue(c.reply().startsWith("220"));
        assertTrue(c.command("EHLO mx.example.net").startsWith("250"));
        String mail = c.command("MAIL FROM:<a@example.net>");
        assertTrue(mail.startsWith("452 4.3.1"), mail);
        assertTrue(c.command("NOOP").startsWith("250"), "the session goes on");
        try (Stream<Path> files = Files.list(dir.resolve("data/inbox/new"))) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void aboveTheFreeDiskThresholdMailIsAccepted() throws Exception {
        start(SmtpSettings.defaults(), InboxLimits.none().withMinFreeDisk(1), Clock.fixed(T0, ZoneOffset.UTC));
        assertTrue(connect("127.0.0.1").deliver(report("disk-1")).startsWith("250"));
        assertEquals(1, ingest.settled(IngestStatus.STORED));
    }

    @Test
    void junkPastTheSendersAllowanceIsRefusedAndOthersStillDeliver() throws Exception {
        start(SmtpSettings.defaults(), InboxLimits.none().withJunkPerSender(3), Clock.fixed(T0, ZoneOffset.UTC));
        for (int i = 0; i < 3; i++) {
            assertTrue(connect("127.0.0.1").deliver(junk(i, 100)).startsWith("250"));
        }
        assertEquals(3, ingest.settled(IngestStatus.QUARANTINED));
        RawSmtp stranger = connect("127.0.0.1");
        assertTrue(stranger.reply().startsWith("220"));
        assertTrue(stranger.command("EHLO junk.example.net").startsWith("250"));
        String refused = stranger.command("MAIL FROM:<a@junk.example.net>");
        assertTrue(refused.startsWith("450 4.7.1"), refused);
        assertTrue(connect("127.0.0.2").deliver(report("other-1")).startsWith("250"));
        assertEquals(1, ingest.settled(IngestStatus.STORED));
    }

    @Test
    void aConcurrentBurstOfJunkGetsNoMoreThanTheAllowance() throws Exception {
        MutableClock clock = new MutableClock(T0);
        // 8 sessions at a time from one address: the connection limit must not be what stops them.
        start(SmtpSettings.defaults().withLimits(SmtpLimits.defaults().withConnectionsPerAddress(16)),
                InboxLimits.none().withJunkPerSender(5), clock);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<String>> replies = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int n = i;
            replies.add(pool.submit(() -> {
                try (RawSmtp c = new RawSmtp(receiver.port(), "127.0.0.1")) {
                    return c.deliver(junk(n, 20_000));
                }
            }));
        }
        int accepted = 0;
        for (Future<String> f : replies) {
            String reply = f.get(60, TimeUnit.SECONDS);
            assertTrue(reply.startsWith("250") || reply.startsWith("450 4.7.1"), reply);
            accepted += reply.startsWith("250") ? 1 : 0;
        }
        pool.shutdown();
        // Before this fix junk was counted only once processed: 26 of 40 got in with an allowance of 5.
        assertEquals(5, accepted, "a burst gets exactly the allowance");
        assertEquals(5, ingest.settled(IngestStatus.QUARANTINED));

        // The allowance is spent on junk: a report from the same address waits too (450, so its MTA retries)...
        assertTrue(connect("127.0.0.1").deliver(report("after-burst-1")).startsWith("450 4.7.1"));
        // ...while other addresses are not affected...
        assertTrue(connect("127.0.0.2").deliver(report("other-2")).startsWith("250"));
        // ...and once the junk is an hour old, the report gets in.
        clock.advance(Duration.ofHours(1).plusSeconds(1));
        assertTrue(connect("127.0.0.1").deliver(report("after-burst-1")).startsWith("250"));
        assertEquals(2, ingest.settled(IngestStatus.STORED));
    }

    @Test
    void reportsFromASenderWithJunkGetInWhileItsAllowanceHasRoom() throws Exception {
        start(SmtpSettings.defaults(), InboxLimits.none().withJunkPerSender(3), Clock.fixed(T0, ZoneOffset.UTC));
        for (int i = 0; i < 2; i++) {
            assertTrue(connect("127.0.0.1").deliver(junk(i, 100)).startsWith("250"));
        }
        assertEquals(2, ingest.settled(IngestStatus.QUARANTINED));
        // The rule: messages waiting to be processed and junk of the last hour together stay within the
        // allowance. Each report takes the one free place while it waits to be processed and gives it back once
        // stored; a report that finds the place taken by another waiting message waits for it (up to 10 s), so
        // even a burst of 20 reports over 4 sessions at once all get in, one place at a time.
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<String>> replies = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int n = i;
            replies.add(pool.submit(() -> {
                try (RawSmtp c = new RawSmtp(receiver.port(), "127.0.0.1")) {
                    return c.deliver(report("room-" + n));
                }
            }));
        }
        for (Future<String> f : replies) {
            String reply = f.get(60, TimeUnit.SECONDS);
            assertTrue(reply.startsWith("250"), reply);
        }
        pool.shutdown();
        assertEquals(20, ingest.settled(IngestStatus.STORED));
        assertTrue(connect("127.0.0.1").deliver(junk(3, 100)).startsWith("250"));
        ingest.settled(IngestStatus.QUARANTINED);
        assertTrue(connect("127.0.0.1").deliver(report("room-x")).startsWith("450 4.7.1"),
                "with the allowance spent on junk, reports wait too");
    }

    @Test
    void theQuarantineKeepsWithinItsSizeDroppingTheOldestFirst() throws Exception {
        int size = 20_000;
        MutableClock clock = new MutableClock(T0);
        start(SmtpSettings.defaults(), InboxLimits.none().withQuarantine(3L * size + 1000, Duration.ofDays(30)), clock);
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofSeconds(1)); // ids sort by arrival
            assertTrue(connect("127.0.0.1").deliver(junk(i, size)).startsWith("250"));
            ingest.settled(IngestStatus.QUARANTINED);
        }
        List<String> kept = quarantined();
        assertEquals(3, kept.size(), kept.toString());
        long bytes = 0;
        for (String id : kept) {
            bytes += Files.size(dir.resolve("data/quarantine/" + id + ".msg"));
            assertTrue(new String(Files.readAllBytes(dir.resolve("data/quarantine/" + id + ".msg")),
                    StandardCharsets.US_ASCII).matches("(?s).*junk-[789]\\b.*"), "the newest are kept");
        }
        assertTrue(bytes <= 3L * size + 1000, bytes + " bytes");
        assertEquals(7, ingest.quarantine.dropped());
        // The ingest log says so: dropped, by which bound, and why they were quarantined.
        List<IngestLogEntry> dropped = ingest.log.page(IngestStatus.DROPPED, 0, 100).entries();
        assertEquals(7, dropped.size());
        for (IngestLogEntry e : dropped) {
            assertTrue(e.detail().startsWith("dropped from the quarantine, oldest first") && e.detail().contains(
                    "(quarantine.max_size)\nquarantined because: no Report-ID"), e.detail());
        }
        assertEquals(3, ingest.log.countByStatus().get(IngestStatus.QUARANTINED));
    }

    @Test
    void oldQuarantinedMessagesGoOnScheduleEvenWhenNothingNewArrives() throws Exception {
        MutableClock clock = new MutableClock(T0);
        start(SmtpSettings.defaults(), InboxLimits.none().withQuarantine(Long.MAX_VALUE, Duration.ofDays(30)), clock);
        for (int i = 0; i < 2; i++) {
            assertTrue(connect("127.0.0.1").deliver(junk(i, 100)).startsWith("250"));
        }
        assertEquals(2, ingest.settled(IngestStatus.QUARANTINED));
        try (QuarantineBounds bounds = new QuarantineBounds(ingest.inbox, ingest.log).every(Duration.ofMillis(100))) {
            Thread.sleep(300);
            assertEquals(2, quarantined().size(), "nothing is old yet");
            clock.advance(Duration.ofDays(30).plusSeconds(1));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            // The sweep deletes the files first, then counts them and writes the log: wait for all three.
            while ((!quarantined().isEmpty() || ingest.quarantine.dropped() < 2
                    || ingest.log.countByStatus().getOrDefault(IngestStatus.DROPPED, 0L) < 2)
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        }
        assertEquals(List.of(), quarantined(), "dropped by the schedule, with no new message");
        assertEquals(2, ingest.quarantine.dropped());
        assertEquals(0, ingest.log.countByStatus().get(IngestStatus.QUARANTINED));
        for (IngestLogEntry e : ingest.log.page(IngestStatus.DROPPED, 0, 10).entries()) {
            assertTrue(e.detail().startsWith("dropped from the quarantine: older than 30 days (quarantine.max_age)"),
                    e.detail());
        }
        assertEquals(2, ingest.log.countByStatus().get(IngestStatus.DROPPED));
    }

    @Test
    void quarantinedMessagesPastTheAgeBoundAreDropped() throws Exception {
        MutableClock clock = new MutableClock(T0);
        start(SmtpSettings.defaults(), InboxLimits.none().withQuarantine(Long.MAX_VALUE, Duration.ofDays(30)), clock);
        for (int i = 0; i < 2; i++) {
            assertTrue(connect("127.0.0.1").deliver(junk(i, 100)).startsWith("250"));
        }
        ingest.settled(IngestStatus.QUARANTINED);
        assertEquals(2, quarantined().size());
        clock.advance(Duration.ofDays(31));
        assertTrue(connect("127.0.0.1").deliver(junk(2, 100)).startsWith("250"));
        ingest.settled(IngestStatus.QUARANTINED);
        assertEquals(1, quarantined().size(), "only the new one is left");
        assertEquals(2, ingest.quarantine.dropped());
        assertEquals(2, ingest.log.countByStatus().get(IngestStatus.DROPPED));
    }

    private List<String> quarantined() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("data/quarantine"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".msg"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList();
        }
    }

    private void assertEventuallyGreeted(String from) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            RawSmtp c = connect(from);
            String greeting = c.reply();
            c.close();
            if (greeting.startsWith("220")) {
                return;
            }
            assertFalse(System.nanoTime() > deadline, "no slot came back: " + greeting);
            Thread.sleep(50);
        }
    }

    private static String report(String id) {
        return "From: reports@reporter.example\r\nSubject: Report Domain: example.com Report-ID: " + id + "\r\n\r\n"
                + "a report\r\n";
    }

    private static String junk(int n, int size) {
        StringBuilder body = new StringBuilder("From: junk@junk.example\r\nSubject: junk-" + n + "\r\n\r\n");
        while (body.length() < size) {
            body.append("x".repeat(70)).append("\r\n");
        }
        return body.toString();
    }

    /** A clock the test moves forward; the receiver reads it, never the system's. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    /** An SMTP client on a raw socket, from a chosen loopback address, that can misbehave. */
    static final class RawSmtp implements AutoCloseable {
        private final Socket socket;
        private final BufferedReader in;
        private final OutputStream out;

        RawSmtp(int port, String from) throws IOException {
            socket = new Socket();
            socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            socket.setSoTimeout(15_000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            out = socket.getOutputStream();
        }

        /** The next reply (its last line), failing when the connection ends first. */
        String reply() throws IOException {
            String r = replyOrEnd();
            if (r == null) {
                throw new IOException("the server closed the connection");
            }
            return r;
        }

        /** The next reply's last line, or null once the server has closed the connection. */
        String replyOrEnd() throws IOException {
            try {
                String line;
                do {
                    line = in.readLine();
                } while (line != null && line.length() > 3 && line.charAt(3) == '-');
                return line;
            } catch (java.net.SocketException e) {
                return null; // reset by the server
            }
        }

        /** A reply if one comes within {@code millis}, else null. */
        String replyWithin(int millis) throws IOException {
            socket.setSoTimeout(millis);
            try {
                String r = replyOrEnd();
                return r == null ? "" : r;
            } catch (SocketTimeoutException e) {
                return null;
            } finally {
                socket.setSoTimeout(15_000);
            }
        }

        String command(String line) throws IOException {
            send(line + "\r\n");
            return reply();
        }

        void send(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        boolean sendQuietly(String text) {
            try {
                send(text);
                return true;
            } catch (IOException e) {
                return false; // the server has cut us
            }
        }

        /** Sends {@code text} one byte per {@code pauseMillis}; the server's reply once it answers, else null. */
        String trickle(String text, int pauseMillis) throws IOException {
            for (byte b : text.getBytes(StandardCharsets.US_ASCII)) {
                if (!sendQuietly(new String(new byte[] {b}, StandardCharsets.US_ASCII))) {
                    break;
                }
                String reply = replyWithin(pauseMillis);
                if (reply != null) {
                    return reply;
                }
            }
            return replyOrEnd();
        }

        /** A whole, well-behaved transaction; the reply to the end of DATA (or to what failed). */
        String deliver(String message) throws IOException {
            String r = reply();
            if (!r.startsWith("220")) {
                return r;
            }
            for (String cmd : List.of("EHLO mx.example.net", "MAIL FROM:<reports@reporter.example>",
                    "RCPT TO:<" + RCPT + ">", "DATA")) {
                r = command(cmd);
                if (!r.startsWith("2") && !r.startsWith("354")) {
                    return r;
                }
            }
            send(message + ".\r\n");
            r = reply();
            command("QUIT");
            return r;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
