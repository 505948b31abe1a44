package io.dmarclens.bench;

import io.dmarclens.demo.SyntheticReports;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.LongSupplier;

/**
 * SMTP against DMARC Lens nodes that already run (one node, or several nodes of a cluster on one store): concurrent
 * clients spread over the nodes' SMTP addresses send typical aggregate reports, each report once, and the run ends
 * when the store holds them all. What it measures is the whole cluster: receiving, the nodes' inboxes and
 * workers, and the store they share. The reports are new in every run (their ids carry the run's start), so the
 * store's count of reports tells how many of this run are stored.
 */
public final class ClusterSmtpBenchmark {
    private static final String RCPT = "dmarc@bench.example";

    private final List<Target> targets;
    private final int clients;
    private final int messages;
    private final int records;
    private final int warmup;
    private final LongSupplier storedReports;

    /** A node's SMTP address. */
    public record Target(String host, int port) {
        public Target {
            Objects.requireNonNull(host, "host");
        }

        /**
         * {@code host:port} ({@code [v6]:port} too).
         *
         * @throws IllegalArgumentException when it is not one
         */
        public static Target parse(String text) {
            int colon = text.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("not host:port: " + text);
            }
            String host = text.substring(0, colon).replace("[", "").replace("]", "");
            try {
                return new Target(host, Integer.parseInt(text.substring(colon + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not host:port: " + text, e);
            }
        }

        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /**
     * What one run measured.
     *
     * @param accepted         messages answered 250
     * @param failed           messages refused or lost with their connection
     * @param stored           reports of this run the store holds at the end
     * @param acceptSeconds    from the first send to the last 250
     * @param processSeconds   from the first send until the store held every accepted report
     * @param messageBytes     size of one mail
     * @param perTarget        messages accepted by each target, in the order given
     */
    public record Result(int accepted, int failed, long stored, double acceptSeconds, double processSeconds,
                         int messageBytes, List<Integer> perTarget) {
        public double acceptedPerSecond() {
            return accepted / acceptSeconds;
        }

        public double processedPerSecond() {
            return stored / processSeconds;
        }
    }

    /**
     * @param storedReports how many aggregate reports the shared store holds now (read from the store, not the nodes)
     */
    public ClusterSmtpBenchmark(List<Target> targets, int clients, int messages, int records, int warmup,
                                LongSupplier storedReports) {
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("no SMTP address to send to");
        }
        this.targets = List.copyOf(targets);
        this.clients = Math.max(clients, targets.size());
        this.messages = messages;
        this.records = records;
        this.warmup = warmup;
        this.storedReports = storedReports;
    }

    public Result run() throws MessagingException, InterruptedException {
        String run = Long.toString(System.nanoTime(), 36);
        if (warmup > 0) {
            burst(mails(run + "-w", warmup));
        }
        return burst(mails(run, messages));
    }

    private List<MimeMessage> mails(String run, int count) throws MessagingException {
        Session session = Session.getInstance(new Properties());
        List<MimeMessage> mails = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] raw = SyntheticReports.bytes(SyntheticReports.aggregateMail(session, RCPT, "cluster-bench-" + run + "-" + i,
                    records));
            mails.add(new MimeMessage(session, new ByteArrayInputStream(raw)));
        }
        return mails;
    }

    private Result burst(List<MimeMessage> mails) throws InterruptedException {
        int bytes = SyntheticReports.bytes(mails.get(0)).length;
        long before = storedReports.getAsLong();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicIntegerArray perTarget = new AtomicIntegerArray(targets.size());
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int target = c % targets.size();
            Thread t = new Thread(() -> send(targets.get(target), mails, next, perTarget, target, failed),
                    "cluster-bench-client-" + c);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        long acceptedAt = System.nanoTime();
        int accepted = 0;
        List<Integer> counts = new ArrayList<>();
        for (int i = 0; i < perTarget.length(); i++) {
            accepted += perTarget.get(i);
            counts.add(perTarget.get(i));
        }
        // Done when the store holds every accepted report, or nothing new arrived for a minute.
        long stored = storedReports.getAsLong() - before;
        long lastChange = System.nanoTime();
        while (stored < accepted && System.nanoTime() - lastChange < 60_000_000_000L) {
            // Each look is a search on the store being measured (12% of its node's CPU at ten a second): one a
            // second while hundreds are still to come, ten a second near the end, where the time is read.
            Thread.sleep(accepted - stored > 400 ? 1000 : 100);
            long now = storedReports.getAsLong() - before;
            if (now != stored) {
                stored = now;
                lastChange = System.nanoTime();
            }
        }
        long processedAt = System.nanoTime();
        return new Result(accepted, failed.get(), stored, (acceptedAt - start) / 1e9, (processedAt - start) / 1e9,
                bytes, counts);
    }

    private static void send(Target target, List<MimeMessage> mails, AtomicInteger next, AtomicIntegerArray perTarget,
                             int index, AtomicInteger failed) {
        Properties props = new Properties();
        props.put("mail.smtp.host", target.host());
        props.put("mail.smtp.port", Integer.toString(target.port()));
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
                perTarget.incrementAndGet(index);
            } catch (MessagingException | RuntimeException e) {
                failed.incrementAndGet();
                transport = null;
            }
        }
        try {
            if (transport != null) {
                transport.close();
            }
        } catch (MessagingException ignored) {
            // done anyway
        }
    }
}
