package io.dmarclens.demo;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

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
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        w.write("<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<feedback>\n  <version>1.0</version>\n"
                + "  <report_metadata>\n    <org_name>google.com</org_name>\n"
                + "    <email>noreply-dmarc-support@google.com</email>\n"
                + "    <extra_contact_info>https://support.google.com/a/answer/2466580</extra_contact_info>\n"
                + "    <report_id>" + (Math.abs(seed) + 1_000_000_000L) + "</report_id>\n"
                + "    <date_range>\n      <begin>1700006400</begin>\n      <end>1700092799</end>\n    </date_range>\n"
                + "  </report_metadata>\n  <policy_published>\n    <domain>example.com</domain>\n"
                + "    <adkim>r</adkim>\n    <aspf>r</aspf>\n    <p>quarantine</p>\n    <sp>none</sp>\n"
                + "    <pct>100</pct>\n    <np>none</np>\n  </policy_published>\n");
        long messages = 0;
        StringBuilder sb = new StringBuilder(1024);
        for (int i = 0; i < records; i++) {
            long count = random.nextInt(10) < 7 ? 1 + random.nextInt(3) : 1 + random.nextInt(5_000);
            messages += count;
            sb.setLength(0);
            record(sb, random, count);
            w.append(sb);
        }
        w.write("</feedback>\n");
        w.flush();
        return new Totals(records, messages);
    }

    private static void record(StringBuilder sb, SplittableRandom r, long count) {
        boolean dkimPass = r.nextInt(10) < 7;
        boolean spfPass = r.nextInt(10) < 6;
        String disposition = dkimPass || spfPass ? "none" : DISPOSITIONS[r.nextInt(DISPOSITIONS.length)];
        String domain = SENDING_DOMAINS[r.nextInt(SENDING_DOMAINS.length)];
        sb.append("  <record>\n    <row>\n      <source_ip>");
        ip(sb, r);
        sb.append("</source_ip>\n      <count>").append(count).append("</count>\n      <policy_evaluated>\n")
                .append("        <disposition>").append(disposition).append("</disposition>\n")
                .append("        <dkim>").append(dkimPass ? "pass" : "fail").append("</dkim>\n")
                .append("        <spf>").append(spfPass ? "pass" : "fail").append("</spf>\n");
        if (r.nextInt(20) == 0) {
            sb.append("        <reason>\n          <type>").append(REASONS[r.nextInt(REASONS.length)]).append("</type>\n");
            if (r.nextBoolean()) {
                sb.append("          <comment>arc=pass as[2].d=google.com as[2].s=arc-20160816</comment>\n");
            }
            sb.append("        </reason>\n");
        }
        sb.append("      </policy_evaluated>\n    </row>\n    <identifiers>\n      <header_from>example.com</header_from>\n");
        if (r.nextInt(3) == 0) {
            sb.append("      <envelope_from>").append(domain).append("</envelope_from>\n");
        }
        sb.append("    </identifiers>\n    <auth_results>\n");
        int signatures = r.nextInt(10) < 2 ? 0 : 1 + (r.nextInt(4) == 0 ? 1 : 0);
        for (int k = 0; k < signatures; k++) {
            String result = k == 0 && dkimPass ? "pass" : AUTH[r.nextInt(AUTH.length)];
            sb.append("      <dkim>\n        <domain>").append(k == 0 ? "example.com" : domain).append("</domain>\n")
                    .append("        <selector>").append(SELECTORS[r.nextInt(SELECTORS.length)]).append("</selector>\n")
                    .append("        <result>").append(result).append("</result>\n      </dkim>\n");
        }
        sb.append("      <spf>\n        <domain>").append(domain).append("</domain>\n")
                .append("        <scope>mfrom</scope>\n        <result>")
                .append(spfPass ? "pass" : AUTH[4 + r.nextInt(AUTH.length - 4)]).append("</result>\n      </spf>\n")
                .append("    </auth_results>\n  </record>\n");
    }

    private static void ip(StringBuilder sb, SplittableRandom r) {
        if (r.nextInt(8) == 0) {
            sb.append("2001:db8:").append(Integer.toHexString(r.nextInt(0x10000))).append("::")
                    .append(Integer.toHexString(1 + r.nextInt(0xffff)));
        } else {
            int net = r.nextInt(2_000);
            sb.append(198 + (net >> 10)).append('.').append((net >> 2) & 0xff).append('.')
                    .append(r.nextInt(256)).append('.').append(1 + r.nextInt(254));
        }
    }
}
