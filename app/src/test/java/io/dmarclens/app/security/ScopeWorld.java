package io.dmarclens.app.security;

import io.dmarclens.demo.DemoDataGenerator;
import io.dmarclens.demo.GeneratedReport;
import io.dmarclens.testkit.Corpus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The reports of the scope leak tests: one store holding many policy domains. Made-up aggregate, failure and TLS
 * reports for twelve domains under {@code .example} (each domain with source addresses of its own, and one address
 * that sends for all of them), with the edge cases of a pattern scope beside them ({@code a.example} and
 * {@code ba.example} are not in {@code *.a.example}); the sample reports and a day of the demo world, whose
 * domains no test user may see.
 */
final class ScopeWorld {
    /** The day the tests live on; the sample reports cover November 2026. */
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-30T12:00:00Z"), ZoneOffset.UTC);
    /** An address that sends for every made-up domain: never foreign to anybody who sees one of them. */
    static final String SHARED_IP = "203.0.113.7";

    static final List<String> DOMAINS = List.of("shop.a.example", "mail.a.example", "a.example", "ba.example",
            "b.example", "c.example", "d.example", "e.example", "f.example", "g.example", "h.example", "i.example");

    /** One input file and the policy domain it is about (null: a sample or demo report, never anybody's own). */
    record Input(String name, byte[] content, String domain) {
    }

    private ScopeWorld() {
    }

    /** A small world for a slow store: six made-up domains, one day, no samples and no demo. */
    static List<Input> small() {
        return madeUp(List.of("shop.a.example", "mail.a.example", "a.example", "b.example", "c.example", "d.example"), 1);
    }

    /** Every input, the made-up ones first. */
    static List<Input> inputs() {
        List<Input> all = new ArrayList<>(madeUp(DOMAINS, 2));
        try (Stream<Path> walk = Files.walk(Corpus.sampleReports())) {
            for (Path f : walk.filter(Files::isRegularFile)
                    .filter(x -> !x.toString().endsWith(".md") && !x.toString().endsWith(".py")).sorted().toList()) {
                all.add(new Input(f.getFileName().toString(), Files.readAllBytes(f), null));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (GeneratedReport r : new DemoDataGenerator().generate(LocalDate.now(CLOCK).minusDays(1), 1, 12)) {
            all.add(new Input(r.fileName(), r.content(), null));
        }
        return all;
    }

    /**
     * The made-up reports: per domain and day one aggregate report (two reporters on the first day for every other
     * domain), and one failure and one TLS report.
     */
    static List<Input> madeUp(List<String> domains, int days) {
        List<Input> out = new ArrayList<>();
        for (int k = 0; k < domains.size(); k++) {
            String d = domains.get(k);
            for (int day = 0; day < days; day++) {
                LocalDate date = LocalDate.now(CLOCK).minusDays(1 + day * 20L);
                out.add(new Input("receiver-one.test!" + d + "!" + date + ".xml", aggregate(k, d, date, "Receiver One"), d));
                if (k % 2 == 0 && day == 0) {
                    out.add(new Input("mail-two.test!" + d + "!" + date + ".xml", aggregate(k, d, date, "Mail Two"), d));
                }
            }
            out.add(new Input("failure-" + k + ".eml", failure(k, d), d));
            out.add(new Input("tls-" + k + ".json", tls(k, d), d));
        }
        return out;
    }

    /** The addresses only domain {@code k} sees mail from (an IPv6 one among them). */
    static List<String> ownIps(int k) {
        return List.of("198.51.100." + (10 * k + 1), "198.51.100." + (10 * k + 2), "2001:db8:" + (k + 1) + "::25");
    }

    private static byte[] aggregate(int k, String domain, LocalDate day, String org) {
        long begin = day.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feedback><report_metadata>")
                .append("<org_name>").append(org).append("</org_name><email>dmarc@")
                .append(org.toLowerCase(Locale.ROOT).replace(' ', '-')).append(".test</email>")
                .append("<report_id>").append(org.charAt(0)).append('-').append(domain).append('-').append(day).append("</report_id>")
                .append("<date_range><begin>").append(begin).append("</begin><end>").append(begin + 86_399)
                .append("</end></date_range></report_metadata><policy_published><domain>").append(domain)
                .append("</domain><adkim>r</adkim><aspf>r</aspf><p>").append(k % 3 == 0 ? "reject" : "none")
                .append("</p><sp>none</sp><pct>100</pct></policy_published>");
        List<String> ips = new ArrayList<>(ownIps(k));
        ips.add(SHARED_IP);
        for (int i = 0; i < ips.size(); i++) {
            boolean pass = i != 1;
            x.append("<record><row><source_ip>").append(ips.get(i)).append("</source_ip><count>")
                    .append(3 + k + i * 5 + day.getDayOfMonth() % 4).append("</count><policy_evaluated><disposition>")
                    .append(pass ? "none" : "reject").append("</disposition><dkim>").append(pass ? "pass" : "fail")
                    .append("</dkim><spf>").append(pass ? "pass" : "fail").append("</spf></policy_evaluated></row>")
                    .append("<identifiers><header_from>").append(domain).append("</header_from></identifiers>")
                    .append("<auth_results><dkim><domain>").append(domain).append("</domain><selector>s").append(k)
                    .append("</selector><result>").append(pass ? "pass" : "fail").append("</result></dkim><spf><domain>")
                    .append(domain).append("</domain><result>").append(pass ? "pass" : "fail")
                    .append("</result></spf></auth_results></record>");
        }
        return x.append("</feedback>\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] failure(int k, String domain) {
        String ip = ownIps(k).get(1);
        String date = "Wed, 25 Nov 2026 06:02:11 +0000";
        String text = "From: Receiver One <ruf@receiver-one.test>\r\n"
                + "To: dmarc-ruf@" + domain + "\r\n"
                + "Date: " + date + "\r\n"
                + "Subject: Authentication failure report\r\n"
                + "Message-Id: <ruf-" + k + "@receiver-one.test>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: multipart/report; report-type=feedback-report; boundary=\"b" + k + "\"\r\n\r\n"
                + "--b" + k + "\r\nContent-Type: text/plain\r\n\r\nA message failed DMARC.\r\n\r\n"
                + "--b" + k + "\r\nContent-Type: message/feedback-report\r\n\r\n"
                + "Feedback-Type: auth-failure\r\nVersion: 1\r\nUser-Agent: ReceiverOne/1.0\r\nAuth-Failure: dmarc\r\n"
                + "Arrival-Date: " + date + "\r\n"
                + "Original-Mail-From: bounce@" + domain + "\r\n"
                + "Source-IP: " + ip + "\r\n"
                + "Reported-Domain: " + domain + "\r\n\r\n"
                + "--b" + k + "\r\nContent-Type: text/rfc822-headers\r\n\r\n"
                + "From: Someone <someone@" + domain + ">\r\nTo: friend@receiver-one.test\r\n"
                + "Subject: hello from " + domain + "\r\nMessage-ID: <m" + k + "@" + domain + ">\r\n"
                + "Date: " + date + "\r\n\r\n"
                + "--b" + k + "--\r\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] tls(int k, String domain) {
        String json = "{\"organization-name\":\"Receiver One\",\"date-range\":{\"start-datetime\":\"2026-11-24T00:00:00Z\","
                + "\"end-datetime\":\"2026-11-24T23:59:59Z\"},\"contact-info\":\"tls@receiver-one.test\","
                + "\"report-id\":\"tls-" + k + "-" + domain + "\",\"policies\":[{\"policy\":{\"policy-type\":\"sts\","
                + "\"policy-string\":[\"version: STSv1\",\"mode: enforce\"],\"policy-domain\":\"" + domain + "\","
                + "\"mx-host\":[\"mx." + domain + "\"]},\"summary\":{\"total-successful-session-count\":" + (10 + k)
                + ",\"total-failure-session-count\":2},\"failure-details\":[{\"result-type\":\"certificate-expired\","
                + "\"sending-mta-ip\":\"" + ownIps(k).get(0) + "\",\"receiving-mx-hostname\":\"mx." + domain + "\","
                + "\"failed-session-count\":2}]}]}";
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
