package io.dmarclens.ingest.bench;

import io.dmarclens.index.Store;
import io.dmarclens.ingest.IngestService;
import io.dmarclens.ingest.IngestSettings;
import io.dmarclens.ingest.PipelineProcessor;
import io.dmarclens.ingest.enrich.EnrichmentSettings;
import io.dmarclens.ingest.inbox.IngestStatus;
import io.dmarclens.ingest.pipeline.PipelineSetup;
import io.dmarclens.ingest.smtp.SmtpSettings;
import io.dmarclens.parser.ReportParser;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The SMTP receive path under load: concurrent clients on loopback send typical aggregate reports (a zip
 * attachment of N records) to the receiver, which runs with the real durable inbox, pipeline and store
 * (offline, no DNS). Measures reports per second acknowledged with 250 and reports per second fully
 * processed (stored in SQLite and indexed).
 */
public final class SmtpBenchmark {
    private static final String RCPT = "dmarc@bench.example";

    private final int clients;
    private final int messages;
    private final int records;
    private final int workers;

    public SmtpBenchmark(int clients, int messages, int records, int workers) {
        this.clients = clients;
        this.messages = messages;
        this.records = records;
        this.workers = workers;
    }

    /** The figures of one run. */
    public record Result(int accepted, int failed, long stored, double acceptSeconds, double processSeconds,
                         int messageBytes) {
        public double acceptedPerSecond() {
            return accepted / acceptSeconds;
        }

        public double processedPerSecond() {
            return stored / processSeconds;
        }
    }

    /** Runs in {@code dataDir}, or in a temporary directory (deleted afterwards) when null. */
    public Result run(Path dataDir) throws Exception {
        boolean temporary = dataDir == null;
        Path data = temporary ? Files.createTempDirectory("dmarc-lens-bench-") : dataDir;
        try {
            return runIn(data);
        } finally {
            if (temporary) {
                deleteTree(data);
            }
        }
    }

    private Result runIn(Path data) throws Exception {
        Files.createDirectories(data);
        try (Store store = Store.open(data);
             PipelineSetup pipeline = PipelineSetup.open(store, new ReportParser()::parse,
                     new EnrichmentSettings(true, null, List.of(), null, List.of()))) {
            SmtpSettings smtp = SmtpSettings.defaults().withListen("127.0.0.1", 0).withRecipients(List.of(RCPT))
                    .withMaxConnections(Math.max(100, clients * 2));
            IngestService ingest = IngestService.start(data, new IngestSettings(workers, smtp, List.of()),
                    new PipelineProcessor(pipeline.pipeline()));
            try {
                int port = ingest.smtp().orElseThrow().port();
                Session session = Session.getInstance(new Properties());
                List<MimeMessage> mails = new ArrayList<>(messages);
                String run = Long.toString(System.nanoTime(), 36);
                for (int i = 0; i < messages; i++) {
                    mails.add(SyntheticReports.aggregateMail(session, RCPT, "bench-" + run + "-" + i, records));
                }
                int bytes = SyntheticReports.bytes(mails.get(0)).length;
                AtomicInteger next = new AtomicInteger();
                AtomicInteger accepted = new AtomicInteger();
                AtomicInteger failed = new AtomicInteger();
                long start = System.nanoTime();
                List<Thread> threads = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    Thread t = new Thread(() -> send(port, mails, next, accepted, failed), "bench-client-" + c);
                    t.start();
                    threads.add(t);
                }
                for (Thread t : threads) {
                    t.join();
                }
                long acceptedAt = System.nanoTime();
                ingest.awaitIdle(Duration.ofHours(1));
                store.awaitIndexed();
                long processedAt = System.nanoTime();
                long stored = ingest.log().countByStatus().get(IngestStatus.STORED);
                return new Result(accepted.get(), failed.get(), stored, (acceptedAt - start) / 1e9,
                        (processedAt - start) / 1e9, bytes);
            } finally {
                ingest.close();
            }
        }
    }

    private static void send(int port, List<MimeMessage> mails, AtomicInteger next, AtomicInteger accepted,
                             AtomicInteger failed) {
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", Integer.toString(port));
        Session session = Session.getInstance(props);
        Transport transport = null;
        int i;
        while ((i = next.getAndIncrement()) < mails.size()) {
            try {
                if (transport == null || !transport.isConnected()) {
                    transport = session.getTransport("smtp");
                    transport.connect();
                }
                MimeMessage m = mails.get(i);
                transport.sendMessage(m, m.getAllRecipients());
                accepted.incrementAndGet();
            } catch (Exception e) {
                failed.incrementAndGet();
                transport = null;
            }
        }
        try {
            if (transport != null) {
                transport.close();
            }
        } catch (Exception ignored) {
            // done anyway
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
