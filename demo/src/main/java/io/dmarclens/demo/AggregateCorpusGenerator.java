package io.dmarclens.demo;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

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
            try (OutputStream gz = new FastGzip(Files.newOutputStream(file));
                 Writer w = new BufferedWriter(new OutputStreamWriter(gz, StandardCharsets.UTF_8), 1 << 16)) {
                writeReport(w, reporter, domain, id, begin, sizes[i], ips);
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

    private void writeReport(Writer w, String[] reporter, String domain, String id, long begin, long n, String[] ips)
            throws IOException {
        w.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feedback>\n  <version>1.0</version>\n"
                + "  <report_metadata>\n    <org_name>" + reporter[0] + "</org_name>\n    <email>" + reporter[1]
                + "</email>\n    <report_id>" + id + "</report_id>\n    <date_range>\n      <begin>" + begin
                + "</begin>\n      <end>" + (begin + 86399) + "</end>\n    </date_range>\n  </report_metadata>\n"
                + "  <policy_published>\n    <domain>" + domain + "</domain>\n    <adkim>r</adkim>\n    <aspf>r</aspf>\n"
                + "    <p>quarantine</p>\n    <sp>quarantine</sp>\n    <pct>100</pct>\n    <fo>1</fo>\n"
                + "  </policy_published>\n");
        StringBuilder r = new StringBuilder(1024);
        // Each report sees a window of the address pool, as one receiver sees a domain's usual senders.
        int window = Math.min(ips.length, 50 + random.nextInt(ips.length));
        int offset = random.nextInt(ips.length);
        for (long k = 0; k < n; k++) {
            r.setLength(0);
            String ip = ips[(offset + random.nextInt(window)) % ips.length];
            int kind = random.nextInt(100);
            String headerFrom = domain;
            String dkimDomain;
            String dkimResult;
            String spfDomain;
            String spfResult;
            String evalDkim;
            String evalSpf;
            String reason = null;
            if (kind < 70) { // the domain's own mail, aligned
                dkimDomain = domain;
                dkimResult = "pass";
                spfDomain = domain;
                spfResult = "pass";
                evalDkim = "pass";
                evalSpf = "pass";
            } else if (kind < 80) { // forwarded: DKIM survives, SPF breaks
                dkimDomain = domain;
                dkimResult = "pass";
                spfDomain = domain;
                spfResult = random.nextBoolean() ? "fail" : "softfail";
                evalDkim = "pass";
                evalSpf = "fail";
                if (kind == 79) {
                    reason = "<reason><type>local_policy</type><comment>arc=pass</comment></reason>";
                }
            } else if (kind < 88) { // an ESP without the domain's DKIM key
                String esp = ESP_DOMAINS[random.nextInt(ESP_DOMAINS.length)];
                dkimDomain = esp;
                dkimResult = "pass";
                spfDomain = esp;
                spfResult = "pass";
                evalDkim = "fail";
                evalSpf = "fail";
            } else { // spoofing
                dkimDomain = random.nextBoolean() ? domain : "";
                dkimResult = dkimDomain.isEmpty() ? "none" : "fail";
                spfDomain = random.nextBoolean() ? domain : "mailer" + random.nextInt(500) + ".example.net";
                spfResult = spfDomain.equals(domain) ? "fail" : "pass";
                evalDkim = "fail";
                evalSpf = "fail";
                if (kind == 99) {
                    reason = "<reason><type>mailing_list</type></reason>";
                }
            }
            boolean failing = evalDkim.equals("fail") && evalSpf.equals("fail");
            r.append("  <record>\n    <row>\n      <source_ip>").append(ip).append("</source_ip>\n      <count>")
                    .append(1 + (random.nextInt(10) == 0 ? random.nextInt(500) : random.nextInt(5)))
                    .append("</count>\n      <policy_evaluated>\n        <disposition>")
                    .append(failing ? "quarantine" : "none").append("</disposition>\n        <dkim>").append(evalDkim)
                    .append("</dkim>\n        <spf>").append(evalSpf).append("</spf>\n");
            if (reason != null) {
                r.append("        ").append(reason).append('\n');
            }
            r.append("      </policy_evaluated>\n    </row>\n    <identifiers>\n      <header_from>").append(headerFrom)
                    .append("</header_from>\n    </identifiers>\n    <auth_results>\n");
            if (!dkimDomain.isEmpty()) {
                r.append("      <dkim>\n        <domain>").append(dkimDomain).append("</domain>\n        <selector>s")
                        .append(random.nextInt(3)).append("</selector>\n        <result>").append(dkimResult)
                        .append("</result>\n      </dkim>\n");
            }
            r.append("      <spf>\n        <domain>").append(spfDomain).append("</domain>\n        <result>")
                    .append(spfResult).append("</result>\n      </spf>\n    </auth_results>\n  </record>\n");
            w.append(r);
        }
        w.write("</feedback>\n");
    }

    /** gzip at the fastest level: the corpus is written once and read many times. */
    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(OutputStream out) throws IOException {
            super(out, 1 << 16);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }
}
