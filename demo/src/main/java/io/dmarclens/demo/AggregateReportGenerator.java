package io.dmarclens.demo;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.Deflater;

/**
 * Writes a large, realistic aggregate report for benchmarks: Google-style pretty-printed RFC 7489 XML
 * with varied IPv4 and IPv6 sources, message counts, dispositions, DKIM and SPF results, selectors and
 * some override reasons. Deterministic for a given seed; streams to the output, so a million records
 * need no memory.
 */
public final class AggregateReportGenerator {
    private static final String[] DISPOSITIONS = {"none", "none", "none", "none", "none", "none", "quarantine", "reject"};
    private static final String[] AUTH = {"pass", "pass", "pass", "pass", "fail", "fail", "softfail", "neutral", "none",
            "temperror", "permerror"};
    private static final String[] SENDING_DOMAINS = {"example.com", "mail.example.com", "news.example.com",
            "sendgrid.net", "amazonses.com", "mailchimp-mail.example.net", "bounce.example.org"};
    private static final String[] SELECTORS = {"google", "s1", "s2", "selector1", "k1", "mte1", "20230601"};
    private static final String[] REASONS = {"forwarded", "local_policy", "mailing_list", "trusted_forwarder", "sampled_out"};
    private static final String ARC_COMMENT = "arc=pass as[2].d=google.com as[2].s=arc-20160816";

    private final long seed;

    public AggregateReportGenerator(long seed) {
        this.seed = seed;
    }

    /** What a generated report holds, to check a parse against. */
    public record Totals(long records, long messages) {
    }

    /** Writes a report with {@code records} records to {@code out} (not closed) and returns its totals. */
    public Totals write(OutputStream out, int records) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        FeedbackHeader header = new FeedbackHeader(null, "1.0",
                new FeedbackHeader.Metadata("google.com", "noreply-dmarc-support@google.com",
                        "https://support.google.com/a/answer/2466580", Long.toString(Math.abs(seed) + 1_000_000_000L),
                        1700006400L, 1700092799L),
                new FeedbackHeader.Policy("example.com", null, "r", "r", "quarantine", "none", null, "100", "none", null));
        long messages = 0;
        try (AggregateXmlWriter xml = AggregateXmlWriter.start(out, ReporterShape.GOOGLE, header)) {
            for (int i = 0; i < records; i++) {
                long count = random.nextInt(10) < 7 ? 1 + random.nextInt(3) : 1 + random.nextInt(5_000);
                messages += count;
                xml.record(record(random, count));
            }
        }
        return new Totals(records, messages);
    }

    /** Writes the report to {@code file}, gzip-compressed when its name ends in {@code .gz}. */
    public Totals write(Path file, int records) throws IOException {
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
             OutputStream target = file.getFileName().toString().endsWith(".gz")
                     ? Packaging.gzip(o, Deflater.DEFAULT_COMPRESSION) : o) {
            return write(target, records);
        }
    }

    /** One record; the random draws come in a fixed order, so a seed always gives the same report. */
    private static FeedbackRecord record(SplittableRandom r, long count) {
        boolean dkimPass = r.nextInt(10) < 7;
        boolean spfPass = r.nextInt(10) < 6;
        String disposition = dkimPass || spfPass ? "none" : DISPOSITIONS[r.nextInt(DISPOSITIONS.length)];
        String domain = SENDING_DOMAINS[r.nextInt(SENDING_DOMAINS.length)];
        String ip = ip(r);
        List<FeedbackRecord.Reason> reasons = List.of();
        if (r.nextInt(20) == 0) {
            String type = REASONS[r.nextInt(REASONS.length)];
            reasons = List.of(new FeedbackRecord.Reason(type, r.nextBoolean() ? ARC_COMMENT : null));
        }
        String envelopeFrom = r.nextInt(3) == 0 ? domain : null;
        int signatures = r.nextInt(10) < 2 ? 0 : 1 + (r.nextInt(4) == 0 ? 1 : 0);
        List<FeedbackRecord.Dkim> dkim = new ArrayList<>(signatures);
        for (int k = 0; k < signatures; k++) {
            String result = k == 0 && dkimPass ? "pass" : AUTH[r.nextInt(AUTH.length)];
            dkim.add(new FeedbackRecord.Dkim(k == 0 ? "example.com" : domain, SELECTORS[r.nextInt(SELECTORS.length)],
                    result));
        }
        FeedbackRecord.Spf spf = new FeedbackRecord.Spf(domain, "mfrom",
                spfPass ? "pass" : AUTH[4 + r.nextInt(AUTH.length - 4)]);
        return new FeedbackRecord(ip, count, disposition, dkimPass ? "pass" : "fail", spfPass ? "pass" : "fail",
                reasons, "example.com", envelopeFrom, null, dkim, List.of(spf));
    }

    private static String ip(SplittableRandom r) {
        if (r.nextInt(8) == 0) {
            String group = Integer.toHexString(r.nextInt(0x10000));
            return "2001:db8:" + group + "::" + Integer.toHexString(1 + r.nextInt(0xffff));
        }
        int net = r.nextInt(2_000);
        int third = r.nextInt(256);
        return (198 + (net >> 10)) + "." + ((net >> 2) & 0xff) + "." + third + "." + (1 + r.nextInt(254));
    }
}
