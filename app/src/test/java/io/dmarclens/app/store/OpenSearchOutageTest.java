package io.dmarclens.app.store;

import io.dmarclens.testing.LoopbackPorts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.dmarclens.app.cli.ServeRuntime;
import io.dmarclens.app.config.ConfigLoader;
import io.dmarclens.app.config.ConfigOverrides;
import io.dmarclens.app.config.ServeConfig;
import io.dmarclens.demo.SyntheticReports;
import io.dmarclens.ingest.testing.SmtpSender;
import io.dmarclens.opensearch.testing.OpenSearchNodeMain;
import io.dmarclens.opensearch.testing.OpenSearchTestNode;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.ReportSort;
import io.dmarclens.store.query.ReportSummary;
import io.dmarclens.web.WebClient;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The fault test of issue #9 (tracker 14): OpenSearch, in a process of its own, is stopped in the middle of an
 * SMTP burst from one address (a relay) and started again on the same data 45 s later. SMTP keeps answering 250
 * while the cluster is gone (waiting messages are not junk), the log and {@code /ready} say why nothing is
 * processed, processing resumes by itself within seconds of the cluster's return (not after the messages'
 * back-off), and
 * every accepted report is stored exactly once (count, report ids and message totals equal what was sent) and
 * has left the inbox.
 */
@Timeout(360)
class OpenSearchOutageTest {
    private static final String RCPT = "dmarc@reports.example.com";
    private static final int SENDERS = 3;
    private static final int PER_SENDER = 20;
    private static final int REPORTS = SENDERS * PER_SENDER;
    private static final int RECORDS = 5;
    /** How long the node stays down: long enough for the messages' back-off to pass 30 s. */
    private static final Duration OUTAGE = Duration.ofSeconds(45);
    /**
     * The waiting messages are brought forward within this time of the node's return (its shards recover first:
     * about 10 s on a loaded machine); without it each would wait out its own back-off.
     */
    private static final Duration RESUME_WITHIN = Duration.ofSeconds(30);
    /** SyntheticReports gives record i the count i + 1: 1 + 2 + ... + RECORDS messages per report. */
    private static final long MESSAGES_PER_REPORT = (long) RECORDS * (RECORDS + 1) / 2;

    @TempDir
    Path dir;

    @Test
    void aClusterStoppedInTheMiddleOfABurstLosesNothingAndStoresNothingTwice() throws Exception {
        int[] ports = LoopbackPorts.free(2);
        int http = ports[0];
        int transport = ports[1];
        Path nodeDir = dir.resolve("node");
        // INFO too, so that a failure shows what became of the messages (a quarantine is logged at INFO).
        Logger workersLog = (Logger) LoggerFactory.getLogger("io.dmarclens.ingest.inbox");
        workersLog.setLevel(ch.qos.logback.classic.Level.INFO);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        workersLog.addAppender(logged);
        Process node = startNode(http, transport, nodeDir, "first");
        try {
            // The senders all come from 127.0.0.1, as from a relay: with the cluster gone all 60 messages of theirs
            // wait unprocessed. Waiting for the store is not junk: the default allowance (20 per sender) must not
            // answer them with 450.
            ServeConfig config = new ConfigLoader(Map.of(
                    "DMARC_LENS_STORE_OPENSEARCH_INDEX_PREFIX", OpenSearchTestNode.prefix(getClass(), dir),
                    "DMARC_LENS_STORE_OPENSEARCH_REPLICAS", "0")).load(null, new ConfigOverrides(dir.resolve("data"),
                    "127.0.0.1:0", "127.0.0.1:0", List.of("reports.example.com"), true, "http://127.0.0.1:" + http));
            try (ServeRuntime serve = ServeRuntime.start(config)) {
                int smtpPort = serve.ingest().smtp().orElseThrow().port();
                AtomicInteger sent = new AtomicInteger();
                CountDownLatch down = new CountDownLatch(1);
                ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
                List<Future<?>> burst = new ArrayList<>();
                for (int s = 0; s < SENDERS; s++) {
                    int sender = s;
                    burst.add(senders.submit(() -> {
                        // SmtpSender.send throws unless the server answered 250 to the message.
                        try (SmtpSender smtp = new SmtpSender(smtpPort)) {
                            for (int i = 0; i < PER_SENDER; i++) {
                                if (i == PER_SENDER / 2) {
                                    // The first half overlaps the stop; the second half certainly finds it gone.
                                    assertTrue(down.await(60, TimeUnit.SECONDS), "the node stops");
                                }
                                smtp.send(SyntheticReports.aggregateMail(smtp.session(), RCPT, reportId(sender, i), RECORDS));
                                sent.incrementAndGet();
                                Thread.sleep(20);
                            }
                        }
                        return null;
                    }));
                }
                while (sent.get() < REPORTS / 3) {
                    Thread.sleep(10);
                }
                int sentBeforeTheStop = sent.get();
                stop(node);
                long stoppedAt = System.nanoTime();
                down.countDown();
                for (Future<?> f : burst) {
                    f.get(60, TimeUnit.SECONDS); // every message accepted (250) while the cluster was gone too
                }
                senders.shutdown();
                assertTrue(sentBeforeTheStop < REPORTS, "the stop came in the middle of the burst");

                // While the cluster is down: /ready says why, and the log names the cluster and the retry.
                WebClient web = new WebClient(serve.web().port());
                HttpResponse<String> ready = awaitStatus(web, 503, Duration.ofSeconds(30));
                assertEquals(503, ready.statusCode(), ready.body());
                assertTrue(ready.body().contains("OpenSearch"), "the reason names the cluster: " + ready.body());
                assertTrue(awaitLogged(logged, Duration.ofSeconds(30)), "a warning says the message waits: " + lines(logged)
                        + " waiting " + waiting(dir.resolve("data")) + " backlog " + serve.ingest().backlog() + " " + ready.body()
                        + " sent " + sent.get());
                assertTrue(waiting(dir.resolve("data")) > 0, "mail waits in the inbox while the cluster is gone");

                // A long outage: the messages' back-off grows to 32 s and more (it doubles up to 2 minutes).
                long outageLeft = OUTAGE.toNanos() - (System.nanoTime() - stoppedAt);
                if (outageLeft > 0) {
                    Thread.sleep(TimeUnit.NANOSECONDS.toMillis(outageLeft));
                }
                long waitingAtReturn = waiting(dir.resolve("data"));
                node = startNode(http, transport, nodeDir, "second");
                long back = System.currentTimeMillis();
                assertTrue(awaitInboxEmpty(dir.resolve("data"), serve, Duration.ofSeconds(90)),
                        "the inbox empties by itself once the cluster is back: " + waiting(dir.resolve("data")) + " left");
                // Not one by one after each message's own back-off (up to 2 minutes): a probe every 2 s sees the
                // store take a message again (once its shards have recovered) and every waiting message is tried
                // at once.
                ILoggingEvent resumed = event(logged, "The store takes messages again", back);
                assertTrue(resumed != null, "the waiting messages were brought forward: " + lines(logged));
                long resumedIn = resumed.getTimeStamp() - back;
                assertTrue(resumedIn < RESUME_WITHIN.toMillis(), "resumed within " + RESUME_WITHIN.toSeconds()
                        + " s of the node's return: " + resumedIn + " ms");
                int broughtForward = Integer.parseInt(resumed.getFormattedMessage().replaceAll("\\D+", " ").strip()
                        .split(" ")[0]);
                assertTrue(broughtForward >= waitingAtReturn / 2, broughtForward + " of " + waitingAtReturn
                        + " waiting messages brought forward at once");
                assertEquals(200, awaitStatus(web, 200, Duration.ofSeconds(30)).statusCode());
                // The store's failure is not the mail's: nothing may go to quarantine for it.
                assertTrue(lines(logged).stream().noneMatch(l -> l.startsWith("Quarantined")),
                        "quarantined for the outage: " + lines(logged));

                serve.store().flush();
                long stored = serve.store().reports().countByVerdict().values().stream().mapToLong(Long::longValue).sum();
                assertEquals(REPORTS, stored, "every accepted report stored exactly once");
                List<ReportSummary> reports = serve.store().reports().reports(ReportFilter.all(), ReportSort.OLDEST,
                        Page.first(REPORTS * 2));
                Set<String> ids = new HashSet<>();
                long messages = 0;
                for (ReportSummary r : reports) {
                    assertTrue(ids.add(r.reportId()), "stored twice: " + r.reportId());
                    messages += r.messages();
                }
                Set<String> expected = new HashSet<>();
                for (int s = 0; s < SENDERS; s++) {
                    for (int i = 0; i < PER_SENDER; i++) {
                        expected.add(reportId(s, i));
                    }
                }
                assertEquals(expected, ids);
                assertEquals(REPORTS * MESSAGES_PER_REPORT, messages, "message totals equal what was sent");
            }
        } finally {
            workersLog.detachAppender(logged);
            workersLog.setLevel(null);
            stop(node);
        }
    }

    private static String reportId(int sender, int i) {
        return "outage-" + sender + "-" + i;
    }

    /** {@link OpenSearchNodeMain} as a child process (its own Lucene, assertions on); returns once the node answers. */
    private Process startNode(int http, int transport, Path nodeDir, String name) throws Exception {
        Path log = dir.resolve("node-" + name + ".log");
        Process p = OpenSearchTestNode.nodeProcess(http, transport, nodeDir, "-Xms384m", "-Xmx384m")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        OpenSearchTestNode.awaitHealthy(p, http, log);
        return p;
    }

    private static void stop(Process node) throws InterruptedException {
        node.destroy();
        if (!node.waitFor(20, TimeUnit.SECONDS)) {
            node.destroyForcibly();
            node.waitFor(20, TimeUnit.SECONDS);
        }
    }

    private static HttpResponse<String> awaitStatus(WebClient web, int status, Duration max) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            HttpResponse<String> r = web.get("/ready");
            if (r.statusCode() == status || System.nanoTime() > deadline) {
                return r;
            }
            Thread.sleep(200);
        }
    }

    private static boolean awaitLogged(ListAppender<ILoggingEvent> logged, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            if (lines(logged).stream().anyMatch(l -> l.contains("stays in the inbox") && l.contains("OpenSearch"))) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** The first event since {@code sinceMillis} whose message starts with {@code prefix}, or null. */
    private static ILoggingEvent event(ListAppender<ILoggingEvent> logged, String prefix, long sinceMillis) {
        synchronized (logged) {
            return logged.list.stream().filter(e -> e.getTimeStamp() >= sinceMillis)
                    .filter(e -> e.getFormattedMessage().startsWith(prefix)).findFirst().orElse(null);
        }
    }

    private static List<String> lines(ListAppender<ILoggingEvent> logged) {
        synchronized (logged) { // ListAppender appends under its own lock
            return logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    private static boolean awaitInboxEmpty(Path data, ServeRuntime serve, Duration max) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            if (waiting(data) == 0 && serve.ingest().backlog() == 0) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    private static long waiting(Path data) throws IOException {
        Path pending = data.resolve("inbox/new");
        if (!Files.isDirectory(pending)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(pending)) {
            return files.filter(p -> p.toString().endsWith(".msg")).count();
        }
    }

}
