package io.dmarclens.demo;

import io.dmarclens.demo.FeedbackRecord.Dkim;
import io.dmarclens.demo.FeedbackRecord.Reason;
import io.dmarclens.demo.FeedbackRecord.Spf;
import io.dmarclens.demo.DemoWorld.Domain;
import io.dmarclens.demo.DemoWorld.Kind;
import io.dmarclens.demo.DemoWorld.Reporter;
import io.dmarclens.demo.DemoWorld.Sender;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Decides what one reporter saw of one domain's mail on one day: how many messages from each sender
 * and source IP reached its users, and how each authenticated. The results follow from the sender's
 * {@link Kind} and the domain's policy that day, the way a receiver evaluates DMARC.
 */
final class Traffic {
    private static final String[] ENVELOPE_TO = {"gmail.com", "outlook.com", "hotmail.com", "yahoo.com"};

    private Traffic() {
    }

    static List<FeedbackRecord> records(Domain domain, Reporter reporter, LocalDate day, LocalDate end,
                                    SplittableRandom random) {
        String policy = domain.policy(day, end);
        List<Sender> senders = new ArrayList<>();
        for (Sender s : DemoWorld.SENDERS) {
            if (s.domain().equals(domain.name())) {
                senders.add(s);
            }
        }
        if (domain.name().equals(DemoWorld.CAMPAIGN.domain()) && DemoWorld.inSpoofCampaign(day, end)) {
            senders.add(DemoWorld.CAMPAIGN);
        }
        List<FeedbackRecord> out = new ArrayList<>();
        for (Sender sender : senders) {
            // Forwarders and lists relay to the big mailbox providers their users forward to.
            if ((sender.kind() == Kind.FORWARDER || sender.kind() == Kind.MAILING_LIST) && reporter.share() < 0.1) {
                continue;
            }
            long total = Math.round(sender.dailyVolume() * reporter.share() * weekday(day, sender)
                    * (0.75 + random.nextDouble() * 0.5));
            if (sender.kind() == Kind.SPOOFER && sender != DemoWorld.CAMPAIGN) {
                total = random.nextInt(3) == 0 ? random.nextInt(1, 1 + sender.dailyVolume()) : 0;
            }
            List<String> ips = sender == DemoWorld.CAMPAIGN ? pick(sender.ips(), 12, random) : sender.ips();
            long[] perIp = split(total, ips.size(), random);
            for (int i = 0; i < ips.size(); i++) {
                if (perIp[i] > 0) {
                    out.addAll(evaluate(sender, domain, policy, reporter, ips.get(i), perIp[i], random,
                            DemoWorld.senderBroken(sender, day, end)));
                }
            }
        }
        return out;
    }

    private static double weekday(LocalDate day, Sender sender) {
        if (sender.kind() == Kind.SPOOFER) {
            return 1;
        }
        if (sender.kind() == Kind.DKIM_ALIGNED_ONLY) {
            // Newsletters go out on Tuesdays and Thursdays.
            DayOfWeek d = day.getDayOfWeek();
            return d == DayOfWeek.TUESDAY || d == DayOfWeek.THURSDAY ? 2.2 : 0.2;
        }
        return day.getDayOfWeek().getValue() >= 6 ? 0.35 : 1;
    }

    private static List<FeedbackRecord> evaluate(Sender s, Domain domain, String policy, Reporter reporter, String ip,
                                             long count, SplittableRandom random, boolean senderBroken) {
        String d = domain.name();
        String to = reporter.style() == DemoWorld.Style.MICROSOFT ? ENVELOPE_TO[1 + random.nextInt(2)] : null;
        return switch (s.kind()) {
            case ALIGNED -> {
                if (senderBroken) {
                    // SPF no longer lists the server, and it signs with a selector that was never published.
                    yield List.of(new FeedbackRecord(ip, count, policy, "fail", "fail", List.of(), d, s.envelopeFrom(),
                            to, List.of(new Dkim(d, DemoWorld.OWN_SERVER_BROKEN_SELECTOR, "fail")),
                            List.of(new Spf(s.envelopeFrom(), "mfrom", "fail"))));
                }
                List<Dkim> dkim = new ArrayList<>(List.of(new Dkim(d, s.dkimSelector(), "pass")));
                if (s.dkimDomain() != null) {
                    dkim.add(new Dkim(s.dkimDomain(), s.dkimSelector(), "pass"));
                }
                yield List.of(new FeedbackRecord(ip, count, "none", "pass", "pass", List.of(), d, s.envelopeFrom(), to,
                        dkim, List.of(new Spf(s.envelopeFrom(), "mfrom", "pass"))));
            }
            case DKIM_ALIGNED_ONLY -> List.of(new FeedbackRecord(ip, count, "none", "pass", "fail", List.of(), d,
                    s.envelopeFrom(), to, List.of(new Dkim(d, s.dkimSelector(), "pass"),
                    new Dkim(s.dkimDomain(), "k2", "pass")), List.of(new Spf(s.envelopeFrom(), "mfrom", "pass"))));
            case MISCONFIGURED -> List.of(new FeedbackRecord(ip, count, policy, "fail", "fail", List.of(), d,
                    s.envelopeFrom(), to, List.of(new Dkim(s.dkimDomain(), s.dkimSelector(), "pass")),
                    List.of(new Spf(s.envelopeFrom(), "mfrom", "pass"))));
            case FORWARDER -> {
                long broken = Math.round(count * (0.1 + random.nextDouble() * 0.1));
                List<FeedbackRecord> r = new ArrayList<>();
                if (count - broken > 0) {
                    r.add(new FeedbackRecord(ip, count - broken, "none", "pass", "fail", List.of(), d, d, to,
                            List.of(new Dkim(d, s.dkimSelector(), "pass")), List.of(new Spf(d, "mfrom", "fail"))));
                }
                if (broken > 0) {
                    boolean forgiven = reporter.forgivesLists() && !policy.equals("none");
                    r.add(new FeedbackRecord(ip, broken, forgiven ? "none" : policy, "fail", "fail",
                            forgiven ? List.of(new Reason("forwarded", "looks forwarded, DKIM body hash changed"))
                                    : List.of(), d, d, to, List.of(new Dkim(d, s.dkimSelector(), "fail")),
                            List.of(new Spf(d, "mfrom", "fail"))));
                }
                yield r;
            }
            case MAILING_LIST -> {
                boolean forgiven = reporter.forgivesLists() && !policy.equals("none");
                yield List.of(new FeedbackRecord(ip, count, forgiven ? "none" : policy, "fail", "fail",
                        forgiven ? List.of(new Reason("mailing_list", "list footer broke the author signature"))
                                : List.of(), d, s.envelopeFrom(), to,
                        List.of(new Dkim(d, s.dkimSelector(), "fail"), new Dkim(s.dkimDomain(), "list", "pass")),
                        List.of(new Spf(s.envelopeFrom(), "mfrom", "pass"))));
            }
            case SPOOFER -> {
                boolean forged = random.nextInt(3) == 0;
                yield List.of(new FeedbackRecord(ip, count, policy, "fail", "fail", List.of(), d, d, to,
                        forged ? List.of(new Dkim(d, s.dkimSelector(), "fail")) : List.of(),
                        List.of(new Spf(d, "mfrom", random.nextInt(4) == 0 ? "softfail" : "fail"))));
            }
        };
    }

    /** Splits {@code total} messages over {@code parts} IPs, unevenly, as real load balancing does. */
    private static long[] split(long total, int parts, SplittableRandom random) {
        long[] out = new long[parts];
        double[] weights = new double[parts];
        double sum = 0;
        for (int i = 0; i < parts; i++) {
            weights[i] = 0.2 + random.nextDouble();
            sum += weights[i];
        }
        long left = total;
        for (int i = 0; i < parts - 1; i++) {
            out[i] = Math.min(left, Math.round(total * weights[i] / sum));
            left -= out[i];
        }
        out[parts - 1] = left;
        return out;
    }

    private static List<String> pick(List<String> from, int n, SplittableRandom random) {
        List<String> copy = new ArrayList<>(from);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n && !copy.isEmpty(); i++) {
            out.add(copy.remove(random.nextInt(copy.size())));
        }
        return out;
    }
}
