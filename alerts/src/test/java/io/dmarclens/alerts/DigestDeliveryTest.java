package io.dmarclens.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.dmarclens.alerts.delivery.Channel;
import io.dmarclens.alerts.delivery.Deliverer;
import io.dmarclens.alerts.delivery.HookChannel;
import io.dmarclens.alerts.delivery.HookFormat;
import io.dmarclens.alerts.delivery.MailChannel;
import io.dmarclens.alerts.delivery.MailRelay;
import io.dmarclens.alerts.delivery.Routes;
import io.dmarclens.alerts.digest.DigestChart;
import io.dmarclens.alerts.digest.DigestCollector;
import io.dmarclens.alerts.digest.DigestReadiness;
import io.dmarclens.alerts.digest.DigestScheduler;
import io.dmarclens.alerts.digest.DigestSettings;
import io.dmarclens.alerts.digest.DigestWriter;
import io.dmarclens.alerts.rules.IngestHealth;
import io.dmarclens.alerts.state.AlertEngine;
import io.dmarclens.demo.DemoDataGenerator;
import io.dmarclens.index.EmbeddedStore;
import io.dmarclens.index.alerts.SqliteAlerts;
import io.dmarclens.ingest.enrich.EnrichmentSettings;
import io.dmarclens.ingest.pipeline.ImportException;
import io.dmarclens.ingest.pipeline.PipelineSetup;
import io.dmarclens.parser.ReportParser;
import io.dmarclens.store.CommitMode;
import io.dmarclens.store.alerts.Notice;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Walks four weeks of the demo world's reports with the clock moved day by day, the rules, the weekly
 * digests and the deliverer running as serve runs them: GreenMail as the relay receives every alert and
 * every digest once, with the chart as an inline PNG; a loopback hook receives the digests' JSON.
 */
class DigestDeliveryTest {
    static final LocalDate END = LocalDate.of(2026, 3, 31);
    static final int DAYS = 35;

    @TempDir
    Path dir;

    @Test
    void weeklyDigestsAndAlertsArriveOnceEachWithTheirChart() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        GreenMail relay = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        relay.start();
        MovableClock clock = new MovableClock(END.minusDays(DAYS).atTime(6, 0).toInstant(ZoneOffset.UTC));
        AlertSettings settings = AlertSettings.defaults();
        DemoDataGenerator generator = new DemoDataGenerator();
        List<String> hookBodies = new ArrayList<>();
        com.sun.net.httpserver.HttpServer hook = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        hook.createContext("/digests", ex -> {
            hookBodies.add(new String(ex.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        hook.start();
        try (EmbeddedStore store = EmbeddedStore.open(dir.resolve("data"), clock);
             SqliteAlerts alerts = SqliteAlerts.open(dir)) {
            AlertEngine engine = new AlertEngine(store, alerts.log(), settings.rules(null, IngestHealth.none()), settings,
                    false, clock);
            store.addCommitListener(engine.commitListener());
            DigestScheduler digests = new DigestScheduler(DigestSettings.defaults(), new DigestCollector(store,
                    alerts.log(), new DigestReadiness(store, null, false, clock), false), new DigestWriter(),
                    alerts.log(), alerts.outbox(), clock);
            MailRelay mail = new MailRelay("127.0.0.1", port, MailRelay.Security.NONE, null, null, "lens@lens.example",
                    Duration.ofSeconds(5));
            Channel ops = new MailChannel(mail, "ops@lens.example", "https://lens.example", new DigestChart(), clock);
            Channel json = new HookChannel(java.net.URI.create("http://127.0.0.1:" + hook.getAddress().getPort()
                    + "/digests"), HookFormat.JSON, "s3cret", "https://lens.example", Duration.ofSeconds(5), clock);
            Deliverer deliverer = new Deliverer(alerts.outbox(), new Routes(List.of(ops, json), Map.of()), clock,
                    Duration.ofMinutes(1), Duration.ofHours(1));
            EnrichmentSettings offline = new EnrichmentSettings(true, null, List.of(), null, List.of());
            int mondays = 0;
            try (PipelineSetup setup = PipelineSetup.open(store, new ReportParser()::parse, offline, CommitMode.GROUPED,
                    clock)) {
                for (LocalDate day = END.minusDays(DAYS - 1L); !day.isAfter(END); day = day.plusDays(1)) {
                    clock.set(day.plusDays(1).atTime(6, 0).toInstant(ZoneOffset.UTC));
                    generator.generateDay(day, END, AlertsWalkThroughTest.SEED, r -> {
                        try {
                            setup.pipeline().importBytes("demo", r.fileName(), r.content());
                        } catch (ImportException e) {
                            throw new UncheckedIOException(new IOException(e.getMessage(), e));
                        }
                    });
                    store.flush();
                    clock.set(day.plusDays(1).atTime(12, 0).toInstant(ZoneOffset.UTC));
                    engine.evaluateAll();
                    List<Notice> written = digests.tick();
                    if (day.plusDays(1).getDayOfWeek() == DayOfWeek.MONDAY) {
                        mondays++;
                        assertFalse(written.isEmpty(), "digests on " + day.plusDays(1));
                    } else {
                        assertTrue(written.isEmpty(), "no digest on " + day.plusDays(1));
                    }
                    assertTrue(digests.tick().isEmpty(), "a period is written once");
                    deliverer.deliverDue();
                }
            }
            // a restart: a new scheduler and deliverer on the reopened file write and send nothing again
            assertTrue(new DigestScheduler(DigestSettings.defaults(), new DigestCollector(store, alerts.log(),
                    d -> java.util.Optional.empty(), false), new DigestWriter(), alerts.log(), alerts.outbox(), clock)
                    .tick().isEmpty());
            // the crash window: digests in the outbox but the period not remembered; not written twice
            alerts.log().saveRuleState("digest.last_period_end", "2000-01-01", clock.instant());
            assertTrue(digests.tick().isEmpty(), "a digest already in the outbox is not written again");
            assertEquals(0, deliverer.deliverDue());

            MimeMessage[] received = relay.getReceivedMessages();
            Map<String, Integer> bySubject = new TreeMap<>();
            Map<String, Integer> byNotice = new TreeMap<>();
            for (MimeMessage m : received) {
                bySubject.merge(m.getSubject(), 1, Integer::sum);
                byNotice.merge(m.getHeader("X-DmarcLens-Notice")[0], 1, Integer::sum);
            }
            byNotice.forEach((notice, n) -> assertEquals(1, n, "notice " + notice + " arrived " + n + " times"));
            assertEquals(alerts.outbox().recent(10_000).size(), received.length, "every notice arrived");
            List<MimeMessage> digestMails = java.util.Arrays.stream(received).filter(m -> subject(m).contains("weekly digest"))
                    .toList();
            assertTrue(mondays >= 4);
            assertTrue(digestMails.size() >= mondays * 2, "per domain and all domains: " + bySubject.keySet());
            assertTrue(bySubject.keySet().stream().anyMatch(s -> s.contains("Spoofing wave: ")), "alerts too: " + bySubject);
            assertEquals(received.length, hookBodies.size(), "the hook got every notice once");

            MimeMessage last = digestMails.stream().filter(m -> subject(m).contains("example.org")).reduce((a, b) -> b)
                    .orElseThrow();
            Multipart alternative = (Multipart) last.getContent();
            String text = (String) alternative.getBodyPart(0).getContent();
            assertTrue(text.contains("against the 7 days before"), text);
            assertTrue(text.contains("Top failing sources:"), text);
            assertTrue(text.contains("Next step: "), "policy readiness from the reports: " + text);
            Multipart related = (Multipart) alternative.getBodyPart(1).getContent();
            String html = (String) related.getBodyPart(0).getContent();
            assertTrue(html.contains("src=\"cid:" + DigestChart.CONTENT_ID + "\""), html);
            assertTrue(html.contains("href=\"https://lens.example/"), "absolute links in mail");
            assertFalse(html.contains("<script"), html);
            BodyPart chart = related.getBodyPart(1);
            assertEquals("<" + DigestChart.CONTENT_ID + ">", chart.getHeader("Content-ID")[0]);
            assertTrue(chart.getContentType().startsWith("image/png"), chart.getContentType());
            BufferedImage png;
            try (InputStream in = chart.getInputStream()) {
                png = ImageIO.read(in);
            }
            assertNotNull(png);
            assertEquals(600, png.getWidth());

            JsonNode digestJson = hookBodies.stream().map(DigestDeliveryTest::json)
                    .filter(j -> "digest".equals(j.path("event").asText()) && "*".equals(j.path("domain").asText()))
                    .reduce((a, b) -> b).orElseThrow();
            assertEquals(7, digestJson.path("chart").path("days").size());
            assertTrue(digestJson.path("messages").asLong() > 0);
            assertTrue(digestJson.path("domains").size() >= 2, digestJson.toString());

            // for docs/alerts.md's examples and the web module's screenshot
            Path examples = Path.of("target", "digest-example");
            Files.createDirectories(examples);
            Files.writeString(examples.resolve("digest.txt"), last.getSubject() + "\n\n" + text);
            Files.writeString(examples.resolve("digest.json"), digestJson.toPrettyString());
        } finally {
            hook.stop(0);
            relay.stop();
        }
    }

    private static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(String s) {
        try {
            return new ObjectMapper().readTree(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
