package io.dmarclens.bench;

import io.dmarclens.demo.SyntheticReports;
import io.dmarclens.ingest.IngestService;
import io.dmarclens.ingest.IngestSettings;
import io.dmarclens.ingest.inbox.InboxLimits;
import io.dmarclens.ingest.PipelineProcessor;
import io.dmarclens.ingest.enrich.EnrichmentSettings;
import io.dmarclens.ingest.pipeline.ImportOutcome;
import io.dmarclens.ingest.pipeline.ImportPipeline;
import io.dmarclens.ingest.pipeline.PipelineSetup;
import io.dmarclens.ingest.smtp.SmtpLimits;
import io.dmarclens.ingest.smtp.SmtpSettings;
import io.dmarclens.parser.ReportParser;
import io.dmarclens.store.CommitMode;
import io.dmarclens.store.Store;
import io.dmarclens.store.ingestlog.IngestLog;
import io.dmarclens.store.ingestlog.IngestStatus;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;
import jakarta.mail.MessagingException;
import io.dmarclens.store.Clocks;

/**
 * The SMTP receive path under load: concurrent clients on loopback send typical aggregate reports (a zip
 * attachment of N records) to the receiver, which runs with the real durable inbox, pipeline and store
 * (offline, no DNS). Measures reports per second acknowledged with 250 and reports per second fully
 * processed (stored in SQLite and indexed), and the CPU time each part of the process spent per report.
 *
 * <p>In {@linkplain #direct direct} mode the same mails go straight to the import pipeline from
 * {@code workers} threads, without SMTP, inbox or ingest log: the rate the pipeline and store allow.
 */
public final class SmtpBenchmark {
    private static final String RCPT = "dmarc@bench.example";
    /** Messages per flush in direct mode: the inbox workers' largest run. */
    private static final int DIRECT_RUN = 32;

    private final int clients;
    private final int messages;
    private final int records;
    private final int workers;
    private final boolean direct;
    private final int warmup;
    private final Function<Path, Store> openStore;
    private final Function<Path, IngestLog> openIngestLog;

    public SmtpBenchmark(Function<Path, Store> openStore, Function<Path, IngestLog> openIngestLog, int clients,
                         int messages, int records, int workers) {
        this(openStore, openIngestLog, clients, messages, records, workers, false, 0);
    }

    /**
     * @param openStore opens the store under test in a data directory (the application chooses which)
     * @param openIngestLog opens the ingest log in a data directory
     * @param direct true to bypass SMTP, the inbox and the ingest log: {@code workers} threads hand the
     *               mails' bytes straight to the import pipeline
     * @param warmup messages sent and processed before the measured ones (not counted), so that the
     *               figures are those of a receiver that has run for a while (the JIT compiler done)
     */
    public SmtpBenchmark(Function<Path, Store> openStore, Function<Path, IngestLog> openIngestLog, int clients,
                         int messages, int records, int workers, boolean direct, int warmup) {
        this.openStore = openStore;
        this.openIngestLog = openIngestLog;
        this.clients = clients;
        this.messages = messages;
        this.records = records;
        this.workers = workers;
        this.direct = direct;
        this.warmup = warmup;
    }

    /**
     * The figures of one run.
     *
     * @param cpuByRole    CPU nanoseconds spent from the first connection to the last report indexed, by
     *                     the role of the threads (inbox workers, SMTP sessions, search indexer...)
     * @param processCpuNanos CPU nanoseconds of the whole process over the same span (JIT and GC too)
     */
    public record Result(int accepted, int failed, long stored, double acceptSeconds, double processSeconds,
                         int messageBytes, Map<String, Long> cpuByRole, long processCpuNanos) {
        public double acceptedPerSecond() {
            return accepted / acceptSeconds;
        }

        public double processedPerSecond() {
            return stored / processSeconds;
        }

        /** Milliseconds of CPU per stored report. */
        public double cpuMillisPerReport(long nanos) {
            return stored == 0 ? 0 : nanos / 1e6 / stored;
        }
    }

    /** Runs in {@code dataDir}, or in a temporary directory (deleted afterwards) when null. */
    public Result run(Path dataDir) throws InterruptedException, MessagingException, IOException {
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

    private Result runIn(Path data) throws InterruptedException, MessagingException, IOException {
        Files.createDirectories(data);
        // As serve runs it: grouped commits, one flush per run of inbox messages.
        try (Store store = openStore.apply(data);
             PipelineSetup pipeline = PipelineSetup.open(store, new ReportParser()::parse,
                     new EnrichmentSettings(true, null, List.of(), null, List.of()), CommitMode.GROUPED,
                     Clocks.system())) {
            if (direct) {
                return runDirect(store, pipeline.pipeline());
            }
            SmtpSettings smtp = SmtpSettings.defaults().withListen("127.0.0.1", 0).withRecipients(List.of(RCPT))
                    .withMaxConnections(Math.max(100, clients * 2))
                    // every client stands for another MTA, but on loopback they share one address
                    .withLimits(SmtpLimits.defaults().withConnectionsPerAddress(clients));
            // Likewise the junk allowance, which counts every message waiting in the inbox against its sender:
            // a burst of thousands from one address would meet 450 (as a real burst from one MTA would).
            IngestService ingest = IngestService.start(data, openIngestLog.apply(data),
                    new IngestSettings(workers, smtp, List.of(), InboxLimits.defaults().withJunkPerSender(0)),
                    PipelineProcessor.grouped(pipeline.pipeline(), store));
            try {
                int port = ingest.smtp().orElseThrow().port();
                String run = Long.toString(System.nanoTime(), 36);
                List<MimeMessage> warmupMails = mails("warmup-" + run, warmup);
                List<MimeMessage> measured = mails(run, messages); // made before, so their making is not measured
                if (warmup > 0) {
                    burst(ingest, store, port, warmupMails);
                }
                return burst(ingest, store, port, measured);
            } finally {
                ingest.close();
            }
        }
    }

    /**
     * The mails, serialised once and parsed back: a parsed message is written out byte for byte, so the
     * clients spend their CPU on the SMTP dialogue, not on MIME encoding (on two cores, every client
     * millisecond is taken from the receiver).
     */
    private List<MimeMessage> mails(String run, int count) throws MessagingException {
        Session session = Session.getInstance(new Properties());
        List<MimeMessage> mails = new ArrayList<>(count);
        for (byte[] raw : rawMails(run, count)) {
            mails.add(new MimeMessage(session, new ByteArrayInputStream(raw)));
        }
        return mails;
    }

    private Result burst(IngestService ingest, Store store, int port, List<MimeMessage> mails) throws InterruptedException, IOException {
        int bytes = SyntheticReports.bytes(mails.get(0)).length;
        long storedBefore = storedSoFar(ingest);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicLong clientCpu = new AtomicLong();
        Map<String, Long> cpuBefore = CpuByThread.snapshot();
        long processCpuBefore = CpuByThread.process();
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(() -> {
                long cpuAtStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                send(port, mails, next, accepted, failed);
                clientCpu.addAndGet(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuAtStart);
            }, "bench-client-" + c);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        long acceptedAt = System.nanoTime();
        // The SMTP session threads are idle from here on, and their pool ends idle threads after a
        // minute: read their CPU now, while they are alive.
        Map<String, Long> cpuAtAccepted = CpuByThread.snapshot();
        ingest.awaitIdle(Duration.ofHours(1));
        store.awaitIndexed();
        long processedAt = System.nanoTime();
        Map<String, Long> cpu = CpuByThread.since(cpuBefore, CpuByThread.latest(cpuAtAccepted, CpuByThread.snapshot()));
        cpu.put(CpuByThread.CLIENTS, clientCpu.get()); // ended threads are not in the snapshot
        long processCpu = CpuByThread.process() - processCpuBefore;
        long stored = storedSoFar(ingest) - storedBefore;
        return new Result(accepted.get(), failed.get(), stored, (acceptedAt - start) / 1e9,
                (processedAt - start) / 1e9, bytes, cpu, processCpu);
    }

    private static long storedSoFar(IngestService ingest) throws IOException {
        return ingest.log().countByStatus().getOrDefault(IngestStatus.STORED, 0L);
    }

    private Result runDirect(Store store, ImportPipeline pipeline) throws InterruptedException, MessagingException {
        String run = Long.toString(System.nanoTime(), 36);
        List<byte[]> warmupMails = rawMails("warmup-" + run, warmup);
        List<byte[]> measured = rawMails(run, messages);
        if (warmup > 0) {
            directBurst(store, pipeline, warmupMails);
        }
        return directBurst(store, pipeline, measured);
    }

    private List<byte[]> rawMails(String run, int count) throws MessagingException {
        Session session = Session.getInstance(new Properties());
        List<byte[]> mails = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            mails.add(SyntheticReports.bytes(
                    SyntheticReports.aggregateMail(session, RCPT, "bench-" + run + "-" + i, records)));
        }
        return mails;
    }

    private Result directBurst(Store store, ImportPipeline pipeline, List<byte[]> mails) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicLong stored = new AtomicLong();
        AtomicInteger failed = new AtomicInteger();
        AtomicLong pipelineCpu = new AtomicLong();
        Map<String, Long> cpuBefore = CpuByThread.snapshot();
        long processCpuBefore = CpuByThread.process();
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            Thread t = new Thread(() -> {
                long cpuAtStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                int i;
                int sinceFlush = 0;
                while ((i = next.getAndIncrement()) < mails.size()) {
                    try {
                        ImportOutcome o = pipeline.importBytes("smtp:bench-" + i, "bench-" + i, mails.get(i));
                        stored.addAndGet(o.reports());
                        if (++sinceFlush == DIRECT_RUN) {
                            store.flush(); // as the inbox workers commit their runs
                            sinceFlush = 0;
                        }
                    } catch (RuntimeException e) { // ImportException included
                        failed.incrementAndGet();
                    }
                }
                store.flush();
                pipelineCpu.addAndGet(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuAtStart);
            }, "pipeline-" + w);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        long importedAt = System.nanoTime();
        store.awaitIndexed();
        long processedAt = System.nanoTime();
        Map<String, Long> cpu = new LinkedHashMap<>();
        cpu.put(CpuByThread.PIPELINE, pipelineCpu.get()); // ended threads are not in the snapshot
        cpu.putAll(CpuByThread.since(cpuBefore, CpuByThread.snapshot()));
        long processCpu = CpuByThread.process() - processCpuBefore;
        return new Result(mails.size() - failed.get(), failed.get(), stored.get(), (importedAt - start) / 1e9,
                (processedAt - start) / 1e9, mails.get(0).length, cpu, processCpu);
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
