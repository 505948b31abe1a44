package io.dmarclens.demo;

import java.time.LocalDate;
import java.util.List;

/**
 * The made-up mail world the demo reports describe: three policy domains, who sends mail as them, and
 * who reports on it. All addresses are documentation ranges (RFC 5737, RFC 3849); the demo runs offline,
 * so the names need not resolve.
 */
final class DemoWorld {
    private DemoWorld() {
    }

    /** A policy domain and the DMARC policy it publishes on a given day. */
    record Domain(String name, String ownDkimSelector) {
        /**
         * example.com starts at p=none and moves to quarantine {@link #EXAMPLE_COM_ENFORCES_DAYS_BEFORE_END}
         * days before the end; example.org has rejected all along; example.net only monitors.
         */
        String policy(LocalDate day, LocalDate end) {
            return switch (name) {
                case "example.com" -> day.isBefore(end.minusDays(EXAMPLE_COM_ENFORCES_DAYS_BEFORE_END))
                        ? "none" : "quarantine";
                case "example.org" -> "reject";
                default -> "none";
            };
        }

        String fo() {
            return name.equals("example.com") ? "1" : "0";
        }
    }

    /** How a sender's mail authenticates, which decides every result the receivers report. */
    enum Kind {
        /** The domain's own infrastructure: SPF and DKIM aligned and passing. */
        ALIGNED,
        /** A bulk sender with the domain's DKIM key but its own bounce domain (SPF passes unaligned). */
        DKIM_ALIGNED_ONLY,
        /** A service sending without the domain's DKIM key: SPF passes for the service's domain only. */
        MISCONFIGURED,
        /** A forwarder: SPF fails (its IP is not the domain's), DKIM survives most of the time. */
        FORWARDER,
        /** A mailing list: the footer breaks the author's DKIM, the list signs and bounces for itself. */
        MAILING_LIST,
        /** Unknown IPs sending as the domain. */
        SPOOFER
    }

    /**
     * A stream of mail as one domain.
     *
     * @param name          what the sender is (shown in tests and logs only)
     * @param domain        the policy domain in From
     * @param kind          how it authenticates
     * @param ips           the source addresses it uses
     * @param dailyVolume   messages on an ordinary weekday
     * @param dkimDomain    d= of its own signature (besides the domain's), or null
     * @param dkimSelector  s= of the domain's signature
     * @param envelopeFrom  MAIL FROM domain
     */
    record Sender(String name, String domain, Kind kind, List<String> ips, int dailyVolume, String dkimDomain,
                  String dkimSelector, String envelopeFrom) {
    }

    /** How a reporter shapes its reports; see sample-reports/README.md for the real-world originals. */
    enum Style {
        GOOGLE, MICROSOFT, YAHOO, MAILRU, COMCAST, FASTMAIL, GMX
    }

    /**
     * A mailbox provider that sends aggregate reports.
     *
     * @param orgName     org_name
     * @param email       report sender
     * @param submitter   the receiver domain in file names and subjects
     * @param style       file and XML shape
     * @param share       fraction of all recipients that use this provider
     * @param domains     the policy domains it reports on (it has no users receiving from the others)
     * @param forgivesLists whether it overrides DMARC failures of mailing lists and forwarders
     */
    record Reporter(String orgName, String email, String submitter, Style style, double share, List<String> domains,
                    boolean forgivesLists) {
    }

    static final int EXAMPLE_COM_ENFORCES_DAYS_BEFORE_END = 40;
    /** The spoofing campaign against example.com runs for 7 days, starting this many days before the end. */
    static final int SPOOF_CAMPAIGN_STARTS_DAYS_BEFORE_END = 30;
    static final int SPOOF_CAMPAIGN_DAYS = 7;
    /** example.org's MX certificate expired for a few days: TLS reports show the failures. */
    static final int CERT_EXPIRED_STARTS_DAYS_BEFORE_END = 60;
    static final int CERT_EXPIRED_DAYS = 3;
    static final int YAHOO_OUTAGE_STARTS_DAYS_BEFORE_END = 15;
    /**
     * example.org's own mail server broke for a few days: a move to a new DNS host lost its address from the
     * SPF record, and the server was rotated to a DKIM selector nobody published ("sender broke").
     */
    static final int OWN_SERVER_BROKE_STARTS_DAYS_BEFORE_END = 50;
    static final int OWN_SERVER_BROKE_DAYS = 3;
    /** The selector example.org's own server signed with while it was broken (never published). */
    static final String OWN_SERVER_BROKEN_SELECTOR = "mail2";

    static final List<Domain> DOMAINS = List.of(
            new Domain("example.com", "google"),
            new Domain("example.org", "selector1"),
            new Domain("example.net", "mx2026"));

    static final List<String> CAMPAIGN_IPS = range("203.0.113.", 100, 139);

    static final List<Sender> SENDERS = List.of(
            // example.com: Google Workspace, Mailchimp, a SendGrid account nobody set DKIM up for
            new Sender("Google Workspace", "example.com", Kind.ALIGNED, range("192.0.2.", 41, 45), 1500,
                    null, "google", "example.com"),
            new Sender("Mailchimp", "example.com", Kind.DKIM_ALIGNED_ONLY, range("198.51.100.", 134, 136), 350,
                    "mcsv.net", "k1", "mail134.atl121.mcsv.net"),
            new Sender("SendGrid", "example.com", Kind.MISCONFIGURED, range("198.51.100.", 63, 64), 220,
                    "sendgrid.net", "smtpapi", "u1234567.wl068.sendgrid.net"),
            new Sender("University forwarder", "example.com", Kind.FORWARDER, List.of("203.0.113.23"), 25,
                    null, "google", "example.com"),
            new Sender("Spoofers", "example.com", Kind.SPOOFER, range("203.0.113.", 177, 179), 4,
                    null, "default", "example.com"),
            // example.org: Microsoft 365, Amazon SES, its own mail server, a mailing list, background spoofing
            new Sender("Microsoft 365", "example.org", Kind.ALIGNED, List.of("198.51.100.14", "198.51.100.15"), 900,
                    "example.onmicrosoft.com", "selector1", "example.org"),
            new Sender("Amazon SES", "example.org", Kind.ALIGNED, List.of("198.51.100.201", "198.51.100.202"), 300,
                    "amazonses.com", "ses2026", "mail.example.org"),
            new Sender("Own mail server", "example.org", Kind.ALIGNED, List.of("192.0.2.25"), 60,
                    null, "mail", "example.org"),
            new Sender("Mailing list", "example.org", Kind.MAILING_LIST, List.of("203.0.113.51"), 30,
                    "lists.example.net", "selector1", "lists.example.net"),
            new Sender("University forwarder", "example.org", Kind.FORWARDER, List.of("203.0.113.24"), 12,
                    null, "selector1", "example.org"),
            new Sender("Spoofers", "example.org", Kind.SPOOFER, range("203.0.113.", 180, 201), 15,
                    null, "default", "example.org"),
            // example.net: a small office with its own server and a newsletter
            new Sender("Own mail server", "example.net", Kind.ALIGNED, List.of("192.0.2.30"), 120,
                    null, "mx2026", "example.net"),
            new Sender("Mailchimp", "example.net", Kind.DKIM_ALIGNED_ONLY, List.of("198.51.100.135"), 40,
                    "mcsv.net", "k1", "mail135.atl121.mcsv.net"),
            new Sender("University forwarder", "example.net", Kind.FORWARDER, List.of("203.0.113.23"), 5,
                    null, "mx2026", "example.net"));

    /** The campaign: many unknown IPs, thousands of messages a day, From: example.com. */
    static final Sender CAMPAIGN = new Sender("Spoofing campaign", "example.com", Kind.SPOOFER, CAMPAIGN_IPS,
            1800, null, "default", "example.com");

    static final List<Reporter> REPORTERS = List.of(
            new Reporter("google.com", "noreply-dmarc-support@google.com", "google.com", Style.GOOGLE, 0.44,
                    List.of("example.com", "example.org", "example.net"), true),
            new Reporter("Enterprise Outlook", "dmarcreport@microsoft.com", "protection.outlook.com",
                    Style.MICROSOFT, 0.26, List.of("example.com", "example.org", "example.net"), false),
            new Reporter("Yahoo", "dmarchelp@yahooinc.com", "yahoo.com", Style.YAHOO, 0.12,
                    List.of("example.com", "example.org"), true),
            new Reporter("comcast.net", "dmarc_support@comcast.net", "comcast.net", Style.COMCAST, 0.05,
                    List.of("example.com", "example.org"), false),
            new Reporter("Mail.Ru", "dmarc_support@corp.mail.ru", "mail.ru", Style.MAILRU, 0.03,
                    List.of("example.com", "example.org"), false),
            new Reporter("Fastmail Pty Ltd", "dmarc-reports@fastmail.com", "fastmail.com", Style.FASTMAIL, 0.04,
                    List.of("example.com", "example.net"), true),
            new Reporter("GMX", "noreply-dmarc@sicher.gmx.net", "gmx.net", Style.GMX, 0.06,
                    List.of("example.org", "example.net"), false));

    static List<String> range(String prefix, int first, int last) {
        return java.util.stream.IntStream.rangeClosed(first, last).mapToObj(i -> prefix + i).toList();
    }

    static boolean inSpoofCampaign(LocalDate day, LocalDate end) {
        LocalDate start = end.minusDays(SPOOF_CAMPAIGN_STARTS_DAYS_BEFORE_END);
        return !day.isBefore(start) && day.isBefore(start.plusDays(SPOOF_CAMPAIGN_DAYS));
    }

    /** Yahoo's reporting had an outage: no Yahoo reports for 3 days, 15 days before the end. */
    static boolean reporterOutage(Reporter reporter, LocalDate day, LocalDate end) {
        LocalDate start = end.minusDays(YAHOO_OUTAGE_STARTS_DAYS_BEFORE_END);
        return reporter.style() == Style.YAHOO && !day.isBefore(start) && day.isBefore(start.plusDays(3));
    }

    /** Whether {@code sender} is example.org's own server on a day it was broken (see above). */
    static boolean senderBroken(Sender sender, LocalDate day, LocalDate end) {
        LocalDate start = end.minusDays(OWN_SERVER_BROKE_STARTS_DAYS_BEFORE_END);
        return sender.domain().equals("example.org") && sender.name().equals("Own mail server")
                && !day.isBefore(start) && day.isBefore(start.plusDays(OWN_SERVER_BROKE_DAYS));
    }

    static boolean certificateExpired(LocalDate day, LocalDate end) {
        LocalDate start = end.minusDays(CERT_EXPIRED_STARTS_DAYS_BEFORE_END);
        return !day.isBefore(start) && day.isBefore(start.plusDays(CERT_EXPIRED_DAYS));
    }
}
