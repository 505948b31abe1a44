package io.dmarclens.alerts.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.dmarclens.index.alerts.SqliteAlerts;
import io.dmarclens.store.alerts.Notice;
import io.dmarclens.store.alerts.Outbox;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delivery to real peers on loopback: GreenMail as the SMTP relay, an HTTP server checking signatures as
 * the web hook; the relay down for a while, hooks refusing, and restarts of the outbox in between.
 */
class DeliveryTest {
    private static final String SECRET = "hook-signing-secret";
    private static final Instant START = Instant.parse("2026-03-02T08:00:00Z");

    @TempDir
    Path dir;

    private final StepClock clock = new StepClock(START);
    private int smtpPort;
    private GreenMail relay;
    private LoopbackHook hook;
    private SqliteAlerts alerts;

    @BeforeEach
    void setUp() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            smtpPort = s.getLocalPort();
        }
        hook = new LoopbackHook(SECRET);
        alerts = SqliteAlerts.open(dir);
    }

    @AfterEach
    void tearDown() {
        if (relay != null) {
            relay.stop();
        }
        hook.close();
        alerts.close();
    }

    private void relayUp() {
        relay = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        relay.setUser("lens@lens.example", "lens", "relay-password");
        relay.start();
    }

    private Deliverer deliverer(Outbox outbox) {
        MailRelay mail = new MailRelay("127.0.0.1", smtpPort, MailRelay.Security.NONE, "lens", "relay-password",
                "DMARC Lens <lens@lens.example>", Duration.ofSeconds(3));
        MailChannel.InlineImages none = n -> Map.of();
        String dashboard = "https://lens.example";
        Channel ops = new MailChannel(mail, "ops@ops.example", dashboard, none, clock);
        Channel postmaster = new MailChannel(mail, "postmaster@example.org", dashboard, none, clock);
        Channel slack = new HookChannel(hook.url(), HookFormat.SLACK, SECRET, dashboard, Duration.ofSeconds(3), clock);
        Routes routes = new Routes(List.of(ops), Map.of("example.org", List.of(postmaster, slack)));
        return new Deliverer(outbox, routes, clock, Duration.ofMinutes(1), Duration.ofMinutes(30));
    }

    private static Notice notice(String domain, String headline) {
        return new Notice(Notice.Kind.OPENED, 7, "new-failing-source", domain, "[DMARC Lens] " + domain + ": " + headline,
                "New failing source \u2014 " + domain + "\n\nWhat happened: " + headline + "\n\nIn the dashboard:\n  - x: /sources\n",
                "<h2>New failing source</h2><p>" + headline + "</p><p><a href=\"/sources?domain=" + domain + "\">Sources</a></p>",
                "{\"event\":\"alert.opened\",\"domain\":\"" + domain + "\"}",
                List.of(new Notice.DashboardLink("Failing sources of " + domain, "/sources?domain=" + domain)), START);
    }

    @Test
    void twoDeliverersOnOneOutboxSendEachNoticeOnce() throws Exception {
        relayUp();
        // Two nodes' deliverers (two connections to one outbox) passing at the same moment, many times.
        try (SqliteAlerts other = SqliteAlerts.open(dir)) {
            for (int i = 0; i < 20; i++) {
                alerts.outbox().enqueue(notice("example.org", "source " + i + " fails DMARC"));
            }
            Deliverer first = deliverer(alerts.outbox());
            Deliverer second = deliverer(other.outbox());
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                java.util.concurrent.Future<Integer> a = pool.submit(() -> {
                    start.await();
                    return first.deliverDue();
                });
                java.util.concurrent.Future<Integer> b = pool.submit(() -> {
                    start.await();
                    return second.deliverDue();
                });
                assertEquals(20, a.get(120, java.util.concurrent.TimeUnit.SECONDS)
                        + b.get(120, java.util.concurrent.TimeUnit.SECONDS), "each notice delivered by one of them");
            } finally {
                pool.shutdownNow();
            }
            assertEquals(20, relay.getReceivedMessages().length, "one mail per notice");
            assertEquals(20, hook.received.size(), "one hook call per notice");
            assertEquals(0, first.deliverDue() + second.deliverDue());
        }
    }

    @Test
    void eachChannelOfTheDomainGetsTheNoticeOnceAndTheDefaultTakesTheRest() throws Exception {
        relayUp();
        Outbox outbox = alerts.outbox();
        long a = outbox.enqueue(notice("example.org", "203.0.113.7 fails DMARC"));
        long b = outbox.enqueue(notice("other.net", "198.51.100.9 fails DMARC"));
        Deliverer d = deliverer(outbox);

        assertEquals(2, d.deliverDue());
        assertEquals(0, d.deliverDue(), "nothing is due twice");

        MimeMessage[] mails = relay.getReceivedMessages();
        assertEquals(2, mails.length);
        MimeMessage toPostmaster = Arrays.stream(mails)
                .filter(m -> to(m).contains("postmaster@example.org")).findFirst().orElseThrow();
        assertTrue(toPostmaster.getSubject().contains("203.0.113.7"));
        assertTrue(toPostmaster.getMessageID().startsWith("<dmarclens.notice-" + a + "."), toPostmaster.getMessageID());
        Multipart alternative = (Multipart) toPostmaster.getContent();
        assertTrue(alternative.getContentType().startsWith("multipart/alternative"));
        assertTrue(((String) alternative.getBodyPart(0).getContent()).contains("What happened: 203.0.113.7"));
        Multipart related = (Multipart) alternative.getBodyPart(1).getContent();
        String html = (String) related.getBodyPart(0).getContent();
        assertTrue(html.contains("href=\"https://lens.example/sources?domain=example.org\""), html);
        assertTrue(html.contains("style=\""), "inline styles for mail clients");
        MimeMessage toOps = Arrays.stream(mails).filter(m -> to(m).contains("ops@ops.example"))
                .findFirst().orElseThrow();
        assertTrue(toOps.getSubject().contains("other.net"));

        assertEquals(1, hook.received.size(), "only example.org routes to the hook");
        assertEquals(0, hook.badSignatures.get());
        JsonNode slack = new ObjectMapper().readTree(hook.received.get(0).body());
        assertTrue(slack.get("text").asText().contains("<https://lens.example/sources?domain=example.org|"));
        assertEquals(Long.toString(a), hook.received.get(0).delivery());

        Outbox.QueuedNotice qa = outbox.recent(10).stream().filter(q -> q.id() == a).findFirst().orElseThrow();
        assertTrue(qa.isDelivered());
        assertEquals(0, qa.attempts());
        assertEquals(2, outbox.channelsDone(a).size());
        assertEquals(List.of("mail:ops@ops.example"), List.copyOf(outbox.channelsDone(b)));
    }

    @Test
    void relayDownForAWhileThenEveryNoticeArrivesOnce() throws Exception {
        Outbox outbox = alerts.outbox();
        for (int i = 1; i <= 3; i++) {
            outbox.enqueue(notice("other.net", "source " + i));
        }
        Deliverer d = deliverer(outbox);
        assertEquals(0, d.deliverDue(), "the relay is down");
        Outbox.QueuedNotice first = outbox.recent(10).get(2);
        assertEquals(1, first.attempts());
        assertNotNull(first.lastError());
        assertTrue(first.lastError().contains("127.0.0.1:" + smtpPort), first.lastError());
        assertEquals(START.plus(Duration.ofMinutes(1)), first.nextAttempt());

        clock.advance(Duration.ofSeconds(30));
        assertTrue(outbox.due(clock.instant(), 10).isEmpty(), "nothing is tried before its back-off ends");
        clock.advance(Duration.ofSeconds(31));
        assertEquals(0, d.deliverDue(), "still down");
        assertEquals(START.plusSeconds(61).plus(Duration.ofMinutes(2)), outbox.recent(10).get(2).nextAttempt(),
                "the back-off doubles");

        relayUp();
        clock.advance(Duration.ofMinutes(3));
        assertEquals(3, d.deliverDue());
        clock.advance(Duration.ofHours(2));
        assertEquals(0, d.deliverDue());
        assertEquals(3, relay.getReceivedMessages().length);
        assertEquals(3, Arrays.stream(relay.getReceivedMessages()).map(m -> {
            try {
                return m.getSubject();
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).distinct().count(), "each notice once");
        assertTrue(outbox.recent(10).stream().allMatch(Outbox.QueuedNotice::isDelivered));
        assertNull(outbox.recent(10).get(0).nextAttempt());
    }

    @Test
    void aRestartInTheMiddleNeitherLosesNorRepeats() throws Exception {
        relayUp();
        hook.failing = true;
        long id = alerts.outbox().enqueue(notice("example.org", "203.0.113.7 fails DMARC"));
        long queuedWhileDown = alerts.outbox().enqueue(notice("other.net", "queued before the restart"));
        relay.stop();
        relay = null;
        assertEquals(0, deliverer(alerts.outbox()).deliverDue());
        assertEquals(0, hook.received.size());
        assertEquals(1, hook.refused.get(), "the hook refused the example.org notice");
        hook.refused.set(0);

        // Relay back, hook still refusing: the mail goes, the hook does not; then the process stops.
        relayUp();
        clock.advance(Duration.ofMinutes(2));
        assertEquals(1, deliverer(alerts.outbox()).deliverDue(), "other.net's only channel is the mail");
        assertEquals(2, relay.getReceivedMessages().length);
        alerts.close();

        // Restart: a new outbox on the same file, a new deliverer; the hook works again.
        alerts = SqliteAlerts.open(dir);
        hook.failing = false;
        clock.advance(Duration.ofMinutes(10));
        assertEquals(1, deliverer(alerts.outbox()).deliverDue());
        assertEquals(2, relay.getReceivedMessages().length, "the mail already sent is not sent again");
        assertEquals(1, hook.received.size());
        assertEquals(Long.toString(id), hook.received.get(0).delivery());

        alerts.close();
        alerts = SqliteAlerts.open(dir);
        clock.advance(Duration.ofDays(1));
        assertEquals(0, deliverer(alerts.outbox()).deliverDue(), "a second restart sends nothing");
        assertEquals(2, relay.getReceivedMessages().length);
        assertEquals(1, hook.received.size());
        assertTrue(alerts.outbox().recent(10).stream().allMatch(Outbox.QueuedNotice::isDelivered));
        assertFalse(alerts.outbox().forAlert(7).isEmpty());
        assertTrue(alerts.outbox().channelsDone(queuedWhileDown).contains("mail:ops@ops.example"));
    }

    @Test
    void teamsAndMattermostGetTheirShapesWithTextFromReportsKeptInert() throws Exception {
        relayUp();
        Channel teams = new HookChannel(hook.url(), HookFormat.TEAMS, SECRET, "https://lens.example", Duration.ofSeconds(3),
                clock);
        Channel mattermost = new HookChannel(hook.url(), HookFormat.MATTERMOST, SECRET, "https://lens.example",
                Duration.ofSeconds(3), clock);
        Channel json = new HookChannel(hook.url(), HookFormat.JSON, SECRET, "https://lens.example", Duration.ofSeconds(3),
                clock);
        // one URL in two formats is two channels: each must get the notice
        assertFalse(teams.id().equals(mattermost.id()));
        Deliverer d = new Deliverer(alerts.outbox(), new Routes(List.of(), Map.of()).and(new Routes(List.of(teams),
                Map.of())), clock, Duration.ofMinutes(1), Duration.ofMinutes(30));
        alerts.outbox().enqueue(notice("example.org", "[evil](https://evil.example) *bold* <script>"));
        assertEquals(1, d.deliverDue());
        JsonNode card = new ObjectMapper().readTree(hook.received.get(0).body());
        assertEquals("message", card.get("type").asText());
        JsonNode content = card.at("/attachments/0/content");
        assertEquals("AdaptiveCard", content.get("type").asText());
        assertEquals("https://lens.example/sources?domain=example.org", content.at("/actions/0/url").asText());
        assertEquals(0, hook.badSignatures.get());

        String body = new ObjectMapper().readTree(sendOne(mattermost)).get("text").asText();
        assertTrue(body.contains("\\[evil\\]\\(https://evil.example\\) \\*bold\\* \\<script\\>"), body);
        assertTrue(body.contains("- [Failing sources of example.org](https://lens.example/sources?domain=example.org)"), body);
        JsonNode payload = new ObjectMapper().readTree(sendOne(json));
        assertEquals("alert.opened", payload.get("event").asText());
        assertTrue(hook.received.stream().allMatch(r -> r.contentType().startsWith("application/json")));
    }

    private String sendOne(Channel channel) throws DeliveryException {
        int before = hook.received.size();
        channel.send(new Outbox.QueuedNotice(99, notice("example.org", "[evil](https://evil.example) *bold* <script>"), 0,
                START, null, null));
        assertEquals(before + 1, hook.received.size());
        return hook.received.get(before).body();
    }

    @Test
    void backOffDoublesUpToItsMaximum() {
        Deliverer d = new Deliverer(alerts.outbox(), new Routes(List.of(), Map.of()), clock, Duration.ofMinutes(1),
                Duration.ofMinutes(30));
        assertEquals(Duration.ofMinutes(1), d.backoff(0));
        assertEquals(Duration.ofMinutes(4), d.backoff(2));
        assertEquals(Duration.ofMinutes(30), d.backoff(5));
        assertEquals(Duration.ofMinutes(30), d.backoff(500));
    }

    private static String to(MimeMessage m) {
        try {
            return m.getHeader("To", ",");
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A clock the test moves by hand. */
    static final class StepClock extends Clock {
        private volatile Instant now;

        StepClock(Instant start) {
            now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
