package io.dmarclens.demo;

import io.dmarclens.demo.DemoWorld.Domain;
import io.dmarclens.demo.DemoWorld.Reporter;
import io.dmarclens.demo.DemoWorld.Style;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Generates realistic report files for {@code serve --demo}: aggregate reports from Google, Microsoft,
 * Yahoo, Comcast, Mail.ru, Fastmail and GMX (each in its own shape: XML, gzip, zip, mail), ARF failure
 * reports and TLS-RPT JSON, for three domains over a number of days. The story the data tells:
 * <ul>
 * <li>example.com (Google Workspace, Mailchimp, SendGrid) moves from p=none to p=quarantine 40 days
 *     before the end; its SendGrid account never got DKIM (SPF passes unaligned, DKIM fails), so from
 *     then on that mail is quarantined;</li>
 * <li>example.org (Microsoft 365, Amazon SES, its own server) rejects; a mailing list breaks its DKIM
 *     (reason {@code mailing_list} where the receiver forgives it); its MX certificate expired for
 *     3 days 60 days before the end (TLS reports);</li>
 * <li>example.net (own server, a newsletter) only monitors;</li>
 * <li>example.org's own mail server broke for 3 days, 50 days before the end: a DNS move lost it from the SPF
 *     record and it signed with a DKIM selector ({@code mail2}) nobody published, so its mail failed DMARC;</li>
 * <li>a university forwarder: SPF fails, DKIM survives, sometimes not (reason {@code forwarded});</li>
 * <li>a spoofing campaign against example.com from 40 unknown IPs for 7 days, 30 days before the end,
 *     with failure reports for some of its messages;</li>
 * <li>Yahoo sends no reports for 3 days, 15 days before the end (a gap on the reporters page).</li>
 * </ul>
 * The output depends only on the arguments: the same seed gives the same bytes, and one day's reports do
 * not depend on how many days are generated.
 */
public final class DemoDataGenerator {
    private static final long DAY = 86_400;

    /**
     * Reports for the {@code days} days ending with {@code endDate} (inclusive), in date order.
     */
    public List<GeneratedReport> generate(LocalDate endDate, int days, long seed) {
        List<GeneratedReport> out = new ArrayList<>();
        generate(endDate, days, seed, out::add);
        return out;
    }

    /** As {@link #generate(LocalDate, int, long)}, handing each file over as soon as it is made. */
    public void generate(LocalDate endDate, int days, long seed, Consumer<GeneratedReport> sink) {
        Objects.requireNonNull(endDate, "endDate");
        if (days < 1) {
            throw new IllegalArgumentException("days must be at least 1, was " + days);
        }
        for (LocalDate day = endDate.minusDays(days - 1L); !day.isAfter(endDate); day = day.plusDays(1)) {
            generateDay(day, endDate, seed, sink);
        }
    }

    /**
     * The reports about one day of the story that ends on {@code endDate} (the same files
     * {@link #generate(LocalDate, int, long, Consumer)} makes for that day): for tests that walk through the
     * days, importing each day's reports as they would arrive.
     */
    public void generateDay(LocalDate day, LocalDate endDate, long seed, Consumer<GeneratedReport> sink) {
        Objects.requireNonNull(day, "day");
        Objects.requireNonNull(endDate, "endDate");
        for (int d = 0; d < DemoWorld.DOMAINS.size(); d++) {
            Domain domain = DemoWorld.DOMAINS.get(d);
            for (int r = 0; r < DemoWorld.REPORTERS.size(); r++) {
                Reporter reporter = DemoWorld.REPORTERS.get(r);
                if (reporter.domains().contains(domain.name())
                        && !DemoWorld.reporterOutage(reporter, day, endDate)) {
                    aggregate(domain, reporter, day, endDate, random(seed, day, d, r, 1)).ifPresent(sink);
                }
            }
            tls(domain, day, endDate, random(seed, day, d, 0, 2), sink);
        }
        failures(day, endDate, random(seed, day, 0, 0, 3), sink);
    }

    /** Writes the files into {@code dir} (created if needed) and returns how many were written. */
    public int writeTo(Path dir, LocalDate endDate, int days, long seed) throws IOException {
        Files.createDirectories(dir);
        List<GeneratedReport> reports = generate(endDate, days, seed);
        for (GeneratedReport report : reports) {
            Files.write(dir.resolve(report.fileName()), report.content());
        }
        return reports.size();
    }

    private static java.util.Optional<GeneratedReport> aggregate(Domain domain, Reporter reporter, LocalDate day,
                                                                 LocalDate end, SplittableRandom random) {
        List<FeedbackRecord> records = Traffic.records(domain, reporter, day, end, random);
        if (records.isEmpty()) {
            return java.util.Optional.empty();
        }
        long begin = day.toEpochDay() * DAY;
        // Microsoft and Mail.ru write an exclusive end, everyone else the last second of the day.
        long finish = reporter.style() == Style.MICROSOFT || reporter.style() == Style.MAILRU
                ? begin + DAY : begin + DAY - 1;
        String reportId = reportId(reporter, domain, begin, finish, random);
        String contact = switch (reporter.style()) {
            case GOOGLE -> "https://support.google.com/a/answer/2466580";
            case MAILRU -> "http://help.mail.ru/mail-help";
            case GMX -> "https://postmaster.gmx.net/en/case?c=r2002";
            case FASTMAIL -> "https://www.fastmail.com/";
            default -> null;
        };
        byte[] xml = ReporterShape.write(new ReporterShape.Report(reporter.style(), reporter.orgName(), reporter.email(),
                contact, reportId, begin, finish, domain.name(), domain.policy(day, end), domain.fo(), records));
        String base = reporter.submitter() + "!" + domain.name() + "!" + begin + "!" + finish;
        return java.util.Optional.of(switch (reporter.style()) {
            case GOOGLE -> new GeneratedReport(base + ".eml", Packaging.mailWithAttachment(
                    Packaging.headers("noreply-dmarc-support@google.com", "dmarc-rua@" + domain.name(),
                            "Report domain: " + domain.name() + " Submitter: google.com Report-ID: " + reportId,
                            finish + 1 + 3600 * 7, reportId + "@google.com"),
                    "", "application/zip", base + ".zip",
                    Packaging.zip(base + ".xml", xml, finish + 1), "000000000000" + reportId.substring(0, 16)));
            case YAHOO -> new GeneratedReport(base + ".eml", Packaging.mailWithAttachment(
                    Packaging.headers("noreply@dmarc.yahoo.com", "dmarc-rua@" + domain.name(),
                            "Report Domain: " + domain.name() + " Submitter: Yahoo Report-ID: <" + reportId + ">",
                            finish + 1 + 3600 * 4, reportId + "@dmarc.yahoo.com"),
                    "This is an aggregate report from Yahoo.", "application/gzip", base + ".xml.gz",
                    Packaging.gzip(xml), "yahoo_" + reportId.replace(".", "_")));
            case MICROSOFT, MAILRU, FASTMAIL -> new GeneratedReport(
                    base + (reporter.style() == Style.FASTMAIL ? "!" + reportId : "") + ".xml.gz", Packaging.gzip(xml));
            case COMCAST, GMX -> new GeneratedReport(base + ".xml", xml);
        });
    }

    private static String reportId(Reporter reporter, Domain domain, long begin, long end, SplittableRandom random) {
        return switch (reporter.style()) {
            case GOOGLE -> Long.toUnsignedString(random.nextLong() | Long.MIN_VALUE);
            case MICROSOFT, GMX -> hex(random, 16);
            case YAHOO -> (end + 1 + random.nextInt(3600, 20000)) + "." + random.nextInt(100000, 999999);
            case MAILRU -> Long.toString(random.nextLong(1_000_000_000L, 9_999_999_999L)) + begin;
            case COMCAST -> "comcast.net:" + end + ":" + domain.name();
            case FASTMAIL -> Long.toString(random.nextLong(100_000_000L, 999_999_999L));
        };
    }

    private static void tls(Domain domain, LocalDate day, LocalDate end, SplittableRandom random,
                            Consumer<GeneratedReport> sink) {
        if (domain.name().equals("example.net")) {
            return; // a small office without MTA-STS
        }
        Instant start = day.atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant finish = start.plusSeconds(DAY - 1);
        boolean expired = domain.name().equals("example.org") && DemoWorld.certificateExpired(day, end);
        String mx = "mx1." + domain.name();
        String mxIp = domain.name().equals("example.com") ? "192.0.2.10" : "192.0.2.20";

        long googleOk = random.nextLong(300, 1500);
        List<TlsReports.Failure> googleFailures = new ArrayList<>();
        if (expired) {
            googleFailures.add(new TlsReports.Failure("certificate-expired", "198.51.100.90", mx, mxIp,
                    googleOk / 2 + random.nextInt(50), null));
            googleOk = googleOk / 3;
        } else if (random.nextInt(6) == 0) {
            googleFailures.add(new TlsReports.Failure("starttls-not-supported", "198.51.100.91", "mx2." + domain.name(),
                    "192.0.2.11", random.nextInt(1, 4), null));
        }
        String googleId = start + "_" + domain.name();
        String base = "google.com!" + domain.name() + "!" + start.getEpochSecond() + "!" + finish.getEpochSecond();
        byte[] googleJson = TlsReports.json("Google Inc.", "smtp-tls-reporting@google.com", googleId, start, finish,
                domain.name(), false, googleOk, googleFailures);
        sink.accept(new GeneratedReport("tlsrpt-" + base + ".eml", Packaging.mailWithAttachment(
                Packaging.headers("noreply-smtp-tls-reporting@google.com", "tlsrpt@" + domain.name(),
                        "Report Domain: " + domain.name() + " Submitter: google.com Report-ID: <" + googleId + ">",
                        finish.getEpochSecond() + 7200, "tlsrpt-" + day + "-" + domain.name() + "@google.com")
                        + "TLS-Report-Domain: " + domain.name() + "\n"
                        + "TLS-Report-Submitter: google.com\n",
                "This is an aggregate TLS report from google.com", "application/tlsrpt+gzip", base + "!001.json.gz",
                Packaging.gzip(googleJson), "tlsrpt_" + day + "_" + domain.name())));

        long msOk = random.nextLong(200, 900);
        List<TlsReports.Failure> msFailures = new ArrayList<>();
        if (expired) {
            msFailures.add(new TlsReports.Failure("certificate-expired", null, null, null,
                    msOk / 2 + random.nextInt(30), null));
            msOk = msOk / 3;
        } else if (random.nextInt(25) == 0) {
            msFailures.add(new TlsReports.Failure("sts-policy-fetch-error", null, null, null, random.nextInt(1, 6),
                    "bad https response code: 503"));
        }
        String msId = random.nextLong(100_000_000_000_000_000L, 999_999_999_999_999_999L) + "+" + domain.name();
        byte[] msJson = TlsReports.json("Microsoft Corporation", "tlsrpt-noreply@microsoft.com", msId, start, finish,
                domain.name(), true, msOk, msFailures);
        sink.accept(new GeneratedReport("microsoft.com!" + domain.name() + "!" + start.getEpochSecond() + "!"
                + finish.getEpochSecond() + "!" + msId.substring(0, 18) + ".json.gz", Packaging.gzip(msJson)));
    }

    private static void failures(LocalDate day, LocalDate end, SplittableRandom random,
                                 Consumer<GeneratedReport> sink) {
        long begin = day.toEpochDay() * DAY;
        List<String[]> reports = new ArrayList<>();
        if (DemoWorld.inSpoofCampaign(day, end)) {
            int n = random.nextInt(3, 7);
            for (int i = 0; i < n; i++) {
                String ip = DemoWorld.CAMPAIGN_IPS.get(random.nextInt(DemoWorld.CAMPAIGN_IPS.size()));
                reports.add(new String[] {i % 2 == 0 ? "mail.ru" : "fastmail.com", "example.com", ip, "spoof"});
            }
        }
        boolean enforcing = DemoWorld.DOMAINS.get(0).policy(day, end).equals("quarantine");
        if (enforcing && random.nextInt(4) == 0) {
            reports.add(new String[] {"fastmail.com", "example.com", "198.51.100.63", "misconfigured"});
        }
        if (day.getDayOfWeek().getValue() == 3) {
            reports.add(new String[] {"mail.ru", "example.org", "203.0.113." + random.nextInt(180, 202), "spoof"});
        }
        for (int i = 0; i < reports.size(); i++) {
            String[] r = reports.get(i);
            long arrival = begin + random.nextLong(0, DAY - 600);
            sink.accept(new GeneratedReport("ruf-" + r[0] + "-" + r[1] + "-" + day + "-" + (i + 1) + ".eml",
                    FailureReports.arf(r[0], r[1], r[2], arrival, r[3].equals("misconfigured"), random)));
        }
    }

    private static String hex(SplittableRandom random, int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** One independent random stream per (seed, day, domain, reporter, purpose). */
    private static SplittableRandom random(long seed, LocalDate day, int domain, int reporter, int purpose) {
        long h = seed;
        for (long v : new long[] {day.toEpochDay(), domain, reporter, purpose}) {
            h = (h ^ v) * 0x9E3779B97F4A7C15L;
            h ^= h >>> 29;
        }
        return new SplittableRandom(h);
    }
}
