package io.dmarclens.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.zip.Deflater;

/**
 * Writes a synthetic corpus of gzip-compressed aggregate reports for the import benchmark: several
 * reporters in their own shapes, a few dozen policy domains, a few thousand distinct source addresses,
 * report sizes from one record to many thousands, and a realistic mix of compliant, forwarded,
 * misconfigured and spoofed traffic over the 90 days before today (by the clock given). Deterministic for a
 * given seed and day.
 */
public final class AggregateCorpusGenerator {
    private static final String[][] REPORTERS = {
            {"google.com", "noreply-dmarc-support@google.com"},
            {"Enterprise Outlook", "dmarcreport@microsoft.com"},
            {"Yahoo", "dmarchelp@yahooinc.com"},
            {"Mail.Ru", "dmarc_support@corp.mail.ru"},
            {"comcast.net", "dmarc_reports@comcast.net"},
            {"Fastmail Pty Ltd", "dmarc-reports@fastmail.com"},
    };
    private static final String[] ESP_DOMAINS = {"sendgrid.net", "amazonses.com", "mcsv.net", "mailgun.org",
            "sparkpostmail.com", "mandrillapp.com"};

    private final int reports;
    private final long records;
    private final int distinctIps;
    private final int domains;
    private final Random random;
    private final Clock clock;

    public AggregateCorpusGenerator(int reports, long records, int distinctIps, int domains, long seed, Clock clock) {
        if (reports < 1 || records < reports) {
            throw new IllegalArgumentException("need at least one report and one record per report");
        }
        this.reports = reports;
        this.records = records;
        this.distinctIps = distinctIps;
        this.domains = domains;
        this.random = new Random(seed);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Writes the corpus into {@code dir} (created if needed). */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        long[] sizes = sizes();
        String[] ips = ips();
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        for (int i = 0; i < reports; i++) {
            String[] reporter = REPORTERS[i % REPORTERS.length];
            String domain = "brand" + (i % domains) + ".example.com";
            long begin = today.minusDays(1 + random.nextInt(90)).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
            String id = Long.toUnsignedString(random.nextLong(), 36) + i;
            Path file = dir.resolve(String.format("%05d-%s!%s!%d!%d.xml.gz", i, reporter[0].replace(' ', '_'),
                    domain, begin, begin + 86399));
            // Fastest gzip: the corpus is written once and read many times.
            try (OutputStream gz = Packaging.gzip(Files.newOutputStream(file), Deflater.BEST_SPEED)) {
                writeReport(gz, reporter, domain, id, begin, sizes[i], ips);
            }
        }
    }

    /** Records per report: mostly small, a long tail of big ones, summing exactly to {@code records}. */
    private long[] sizes() {
        double[] weights = new double[reports];
        double sum = 0;
        for (int i = 0; i < reports; i++) {
            weights[i] = Math.exp(1.6 * random.nextGaussian());
            sum += weights[i];
        }
        long[] sizes = new long[reports];
        long assigned = 0;
        for (int i = 0; i < reports; i++) {
            sizes[i] = Math.max(1, (long) Math.floor((records - reports) * weights[i] / sum) + 1);
            assigned += sizes[i];
        }
        for (int i = 0; assigned != records; i = (i + 1) % reports) {
            if (assigned < records) {
                sizes[i]++;
                assigned++;
            } else if (sizes[i] > 1) {
                sizes[i]--;
                assigned--;
            }
        }
        return sizes;
    }

    private String[] ips() {
        String[] ips = new String[distinctIps];
        for (int i = 0; i < distinctIps; i++) {
            if (i % 10 == 9) {
                ips[i] = "2001:db8:" + Integer.toHexString(i >> 8) + "::" + Integer.toHexString(i & 0xff);
            } else {
                ips[i] = (1 + random.nextInt(222)) + "." + random.nextInt(256) + "." + random.nextInt(256) + "."
                        + (1 + random.nextInt(254));
            }
        }
        return ips;
    }

    private void writeReport(OutputStream out, String[] reporter, String domain, String id, long begin, long n,
                             String[] ips) throws IOException {
        FeedbackHeader header = new FeedbackHeader(null, "1.0",
                new FeedbackHeader.Metadata(reporter[0], reporter[1], null, id, begin, begin + 86399),
                FeedbackHeader.Policy.rfc7489(domain, "quarantine", "quarantine", "100", "1"));
        try (AggregateXmlWriter xml = AggregateXmlWriter.start(out, XmlLayout.PRETTY, header)) {
            // Each report sees a window of the address pool, as one receiver sees a domain's usual senders.
            int window = Math.min(ips.length, 50 + random.nextInt(ips.length));
            int offset = random.nextInt(ips.length);
            for (long k = 0; k < n; k++) {
                xml.record(record(domain, ips[(offset + random.nextInt(window)) % ips.length]));
            }
        }
    }

    /** One record of the domain's traffic from {@code ip}; the random draws come in a fixed order. */
    private FeedbackRecord record(String domain, String ip) {
        int kind = random.nextInt(100);
        Outcome o;
        if (kind < 70) { // the domain's own mail, aligned
            o = new Outcome(domain, "pass", domain, "pass", "pass", "pass", List.of());
        } else if (kind < 80) { // forwarded: DKIM survives, SPF breaks
            o = new Outcome(domain, "pass", domain, random.nextBoolean() ? "fail" : "softfail", "pass", "fail",
                    kind == 79 ? List.of(new FeedbackRecord.Reason("local_policy", "arc=pass")) : List.of());
        } else if (kind < 88) { // an ESP without the domain's DKIM key
            String esp = ESP_DOMAINS[random.nextInt(ESP_DOMAINS.length)];
            o = new Outcome(esp, "pass", esp, "pass", "fail", "fail", List.of());
        } else { // spoofing
            String dkimDomain = random.nextBoolean() ? domain : null;
            String spfDomain = random.nextBoolean() ? domain : "mailer" + random.nextInt(500) + ".example.net";
            o = new Outcome(dkimDomain, dkimDomain == null ? "none" : "fail", spfDomain,
                    spfDomain.equals(domain) ? "fail" : "pass", "fail", "fail",
                    kind == 99 ? List.of(new FeedbackRecord.Reason("mailing_list", null)) : List.of());
        }
        boolean failing = o.dkim().equals("fail") && o.spf().equals("fail");
        long count = 1 + (random.nextInt(10) == 0 ? random.nextInt(500) : random.nextInt(5));
        List<FeedbackRecord.Dkim> dkim = o.dkimDomain() == null ? List.of()
                : List.of(new FeedbackRecord.Dkim(o.dkimDomain(), "s" + random.nextInt(3), o.dkimResult()));
        return new FeedbackRecord(ip, count, failing ? "quarantine" : "none", o.dkim(), o.spf(), o.reasons(), domain,
                null, null, dkim, List.of(new FeedbackRecord.Spf(o.spfDomain(), null, o.spfResult())));
    }

    /** How one kind of traffic authenticates: raw results and the DMARC evaluation. */
    private record Outcome(String dkimDomain, String dkimResult, String spfDomain, String spfResult, String dkim,
                           String spf, List<FeedbackRecord.Reason> reasons) {
    }
}
