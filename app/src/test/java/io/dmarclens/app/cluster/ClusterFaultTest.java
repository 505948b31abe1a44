package io.dmarclens.app.cluster;

import io.dmarclens.testing.LoopbackPorts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.dmarclens.demo.SyntheticReports;
import io.dmarclens.ingest.testing.SmtpSender;
import io.dmarclens.opensearch.OpenSearchAccounts;
import io.dmarclens.opensearch.OpenSearchCoordination;
import io.dmarclens.opensearch.OpenSearchStore;
import io.dmarclens.store.Clocks;
import io.dmarclens.store.Store;
import io.dmarclens.store.cluster.Lease;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.ReportSort;
import io.dmarclens.store.query.ReportSummary;
import io.dmarclens.web.WebClient;
import io.dmarclens.web.auth.UserStore;
import jakarta.mail.Folder;
import jakarta.mail.Session;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Several DMARC Lens nodes on one OpenSearch cluster, all real processes on loopback (issue #10, tracker 15): a
 * three-node OpenSearch cluster with one replica per shard and three {@code serve} processes on it, all three
 * receiving SMTP and configured with the same IMAP mailbox (GreenMail, in this JVM). Nodes are killed with
 * {@code kill -9}: nothing they accepted may be lost or stored twice, and a mailbox whose poller died is taken
 * over within 60 seconds. Leases last 6 s here (renewed every 2 s) so that the takeover is quick; the rules are
 * those of the default 30 s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 400, unit = TimeUnit.SECONDS)
class ClusterFaultTest {
    private static final String PREFIX = "cluster-test";
    private static final String RCPT = "dmarc@reports.example.com";
    private static final int RECORDS = 5;
    /** SyntheticReports gives record i the count i + 1. */
    private static final long MESSAGES_PER_REPORT = (long) RECORDS * (RECORDS + 1) / 2;
    private static final int BURST = 40;
    private static final int MAILBOX = 24;
    private static final Duration START = Duration.ofSeconds(150);

    /** Under target/ rather than a temporary directory: the nodes' logs stay for a failure to be read. */
    private final Path dir = Path.of("target", "cluster-fault-test-" + ProcessHandle.current().pid()).toAbsolutePath();

    private GreenMail greenMail;
    private GreenMailUser mailbox;
    private int imapPort;
    private OpenSearchProcesses cluster;
    private final List<LensProcess> nodes = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    void startTheCluster() throws Exception {
        java.nio.file.Files.createDirectories(dir);
        long started = System.nanoTime();
        imapPort = LoopbackPorts.free();
        greenMail = new GreenMail(new ServerSetup(imapPort, "127.0.0.1", ServerSetup.PROTOCOL_IMAP));
        greenMail.start();
        mailbox = greenMail.setUser(RCPT, "dmarc", "secret");
        cluster = OpenSearchProcesses.start(dir, 3);
        cluster.awaitHealth("green", 3, START);
        Map<String, String> env = new HashMap<>();
        env.put("DMARC_LENS_STORE_BACKEND", "opensearch");
        env.put("DMARC_LENS_STORE_OPENSEARCH_URLS", String.join(",", cluster.urls().stream().map(String::valueOf).toList()));
        env.put("DMARC_LENS_STORE_OPENSEARCH_INDEX_PREFIX", PREFIX);
        env.put("DMARC_LENS_STORE_OPENSEARCH_REPLICAS", "1");
        env.put("DMARC_LENS_NODE_LEASE_TTL", "6s");
        env.put("DMARC_LENS_NODE_HEARTBEAT_EVERY", "1s");
        // Every sender is 127.0.0.1, as behind a relay (configuration.md: a relay's setting).
        env.put("DMARC_LENS_INBOX_JUNK_PER_SENDER", "0");
        env.put("DMARC_LENS_ALERTS_ENABLED", "false");
        env.put("DMARC_LENS_IMAP_ACCOUNTS_0_NAME", "reports");
        env.put("DMARC_LENS_IMAP_ACCOUNTS_0_HOST", "127.0.0.1");
        env.put("DMARC_LENS_IMAP_ACCOUNTS_0_PORT", String.valueOf(imapPort));
        env.put("DMARC_LENS_IMAP_ACCOUNTS_0_SECURITY", "none");
        env.put("DMARC_LENS_IMAP_ACCOUNTS_0_USER", "dmarc");
        env.put("DMARC_LENS_IMAP_ACCOUNTS_0_PASSWORD", "secret");
        env.put("DMARC_LENS_IMAP_ACCOUNTS_0_POLL_INTERVAL", "1s");
        env.put("DMARC_LENS_IMAP_ACCOUNTS_0_IDLE", "false");
        env.put("DMARC_LENS_IMAP_ACCOUNTS_0_BATCH_SIZE", "4");
        for (String name : List.of("lens-a", "lens-b", "lens-c")) {
            nodes.add(LensProcess.start(dir, name, env));
        }
        for (LensProcess n : nodes) {
            n.awaitReady(START);
        }
        try (UserStore users = new UserStore(OpenSearchAccounts.open(cluster.settings(PREFIX)), 4)) {
            users.addOrReplace("alice", "correct horse battery".toCharArray());
        }
        System.out.println("Cluster of 3 OpenSearch and 3 DMARC Lens processes ready after "
                + (System.nanoTime() - started) / 1_000_000 + " ms");
    }

    @AfterAll
    void stopEverything() {
        nodes.forEach(LensProcess::close);
        if (cluster != null) {
            cluster.close();
        }
        if (greenMail != null) {
            greenMail.stop();
        }
    }

    private LensProcess node(String name) {
        return nodes.stream().filter(n -> n.name.equals(name)).findFirst().orElseThrow();
    }

    @Test
    @Order(1)
    void smtpBurstsToTwoNodesSurviveKillingANodeAndAnOpenSearchNode() throws Exception {
        LensProcess a = node("lens-a");
        LensProcess b = node("lens-b");
        AtomicInteger acceptedByA = new AtomicInteger();
        AtomicInteger acceptedByB = new AtomicInteger();
        ExecutorService senders = Executors.newFixedThreadPool(2);
        // The same reports to both nodes, as a reporter's mail to two MX hosts; the first node is killed in the middle.
        Future<?> toA = senders.submit(() -> sendAll(a, acceptedByA));
        Future<?> toB = senders.submit(() -> sendAll(b, acceptedByB));
        assertTrue(Processes.await(Duration.ofSeconds(60), () -> acceptedByA.get() >= BURST / 4), "a quarter reaches A");
        a.kill();
        assertTrue(Processes.await(Duration.ofSeconds(60), () -> acceptedByB.get() >= BURST / 2), "half reaches B");
        cluster.kill(2);
        toA.get(120, TimeUnit.SECONDS);
        toB.get(120, TimeUnit.SECONDS);
        senders.shutdown();
        assertTrue(acceptedByA.get() < BURST, "A was killed in the middle of the burst: " + acceptedByA.get());
        assertEquals(BURST, acceptedByB.get(), "B accepted every report (it kept running)");

        a.restart();
        a.awaitReady(START);
        assertTrue(Processes.await(Duration.ofSeconds(120), () -> a.waiting() == 0 && b.waiting() == 0),
                "both inboxes empty: A " + a.waiting() + ", B " + b.waiting() + "\n" + a.logTail() + "\n--- B\n"
                        + b.logTail() + cluster.diagnostics());

        try (Store store = OpenSearchStore.open(cluster.settings(PREFIX), Clocks.system())) {
            List<ReportSummary> reports = reports(store, "burst-");
            Set<String> ids = new HashSet<>();
            long messages = 0;
            for (ReportSummary r : reports) {
                assertTrue(ids.add(r.reportId()), "stored twice: " + r.reportId());
                messages += r.messages();
            }
            assertEquals(BURST, ids.size(), "every accepted report stored exactly once");
            assertEquals(BURST * MESSAGES_PER_REPORT, messages);
        }
        // The dashboard's totals, through a node that was not killed (its users are in the cluster).
        WebClient web = new WebClient(b.webPort);
        assertEquals(303, web.login("alice", "correct horse battery").statusCode());
        HttpResponse<String> overview = web.get("/api/overview?range=custom&from=2025-11-28&to=2025-11-29");
        assertEquals(200, overview.statusCode(), overview.body());
        JsonNode totals = new ObjectMapper().readTree(overview.body());
        assertEquals(BURST * MESSAGES_PER_REPORT, totals.path("messages").asLong(), overview.body());
        assertEquals(BURST, totals.path("reports").asLong(), overview.body());
    }

    private Void sendAll(LensProcess node, AtomicInteger accepted) throws Exception {
        try (SmtpSender smtp = new SmtpSender(node.smtpPort)) {
            for (int i = 0; i < BURST; i++) {
                // SmtpSender.send throws unless the node answered 250: a killed node accepts nothing more.
                smtp.send(SyntheticReports.aggregateMail(smtp.session(), RCPT, "burst-" + i, RECORDS));
                accepted.incrementAndGet();
                Thread.sleep(25);
            }
        } catch (jakarta.mail.MessagingException | IllegalStateException killed) {
            if (!node.killed()) {
                throw killed;
            }
        }
        return null;
    }

    @Test
    @Order(2)
    void aMailboxWhosePollerIsKilledIsTakenOverWithinAMinuteAndArchivedOnce() throws Exception {
        Session session = SyntheticReports.session(new Properties());
        for (int i = 0; i < MAILBOX; i++) {
            mailbox.deliver(SyntheticReports.aggregateMail(session, RCPT, "imap-" + i, RECORDS));
        }
        try (OpenSearchCoordination coordination = OpenSearchCoordination.open(cluster.settings(PREFIX))) {
            assertTrue(Processes.await(Duration.ofSeconds(60), () -> archived() >= 4), "a first batch archived");
            Lease held = lease(coordination).orElseThrow();
            LensProcess holder = node(held.holder());
            holder.kill();
            long killed = System.nanoTime();
            assertTrue(Processes.await(Duration.ofSeconds(60), () -> lease(coordination)
                            .filter(l -> !l.holder().equals(holder.name)).isPresent()),
                    "another node holds the mailbox's lease within 60 s of its holder's death");
            long takeover = System.nanoTime() - killed;
            // The Ingest page of a live node lists the three nodes, the killed one stale once it missed 3 heartbeats.
            LensProcess live = node(lease(coordination).orElseThrow().holder());
            WebClient web = new WebClient(live.webPort);
            assertEquals(303, web.login("alice", "correct horse battery").statusCode());
            assertTrue(Processes.await(Duration.ofSeconds(30), () -> {
                try {
                    String page = web.get("/ingest").body();
                    return page.contains("data-node=\"" + holder.name + "\" data-stale=\"true\"")
                            && page.contains("data-node=\"" + live.name + "\" data-stale=\"false\"");
                } catch (java.io.IOException e) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }), "the Ingest page marks the killed node stale and lists the live ones");
            String page = web.get("/ingest").body();
            for (String name : List.of("lens-a", "lens-b", "lens-c")) {
                assertTrue(page.contains("data-node=\"" + name + "\""), name + " listed");
            }
            assertTrue(page.contains("imap:reports"), "the lease is listed with its holder");
            assertTrue(Processes.await(Duration.ofSeconds(90), () -> archived() == MAILBOX && count("INBOX") == 0),
                    "every message archived: " + archived() + " of " + MAILBOX + ", " + count("INBOX") + " left");
            System.out.println("IMAP lease taken over " + takeover / 1_000_000 + " ms after its holder was killed");
        }
        try (Store store = OpenSearchStore.open(cluster.settings(PREFIX), Clocks.system())) {
            assertTrue(Processes.await(Duration.ofSeconds(60), () -> reports(store, "imap-").size() >= MAILBOX));
            Set<String> ids = new HashSet<>();
            for (ReportSummary r : reports(store, "imap-")) {
                assertTrue(ids.add(r.reportId()), "stored twice: " + r.reportId());
            }
            assertEquals(MAILBOX, ids.size(), "every message stored once");
        }
        assertEquals(MAILBOX, archived(), "every message archived once");
    }

    private static Optional<Lease> lease(OpenSearchCoordination coordination) {
        try {
            return coordination.leases().current().stream().filter(l -> l.name().equals("imap:reports")).findFirst();
        } catch (RuntimeException notNow) {
            return Optional.empty();
        }
    }

    private static List<ReportSummary> reports(Store store, String prefix) {
        try {
            return store.reports().reports(ReportFilter.all(), ReportSort.OLDEST, Page.first(1000)).stream()
                    .filter(r -> r.reportId().startsWith(prefix)).toList();
        } catch (RuntimeException notNow) {
            return List.of();
        }
    }

    private int archived() {
        return count("Archive.Aggregate");
    }

    /** Messages in a folder of the mailbox (0 when it does not exist yet). */
    private int count(String folder) {
        try (jakarta.mail.Store s = Session.getInstance(new Properties()).getStore("imap")) {
            s.connect("127.0.0.1", imapPort, "dmarc", "secret");
            Folder f = s.getFolder(folder);
            if (!f.exists()) {
                return 0;
            }
            f.open(Folder.READ_ONLY);
            try {
                return f.getMessageCount();
            } finally {
                f.close(false);
            }
        } catch (jakarta.mail.MessagingException e) {
            return -1;
        }
    }
}
