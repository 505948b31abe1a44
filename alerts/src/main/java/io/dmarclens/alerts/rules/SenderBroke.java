package io.dmarclens.alerts.rules;

import io.dmarclens.parser.aggregate.AuthResult;
import io.dmarclens.parser.aggregate.DkimAuthResult;
import io.dmarclens.store.alerts.Notice.DashboardLink;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.RecordRow;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.SourceStats;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A named sender (or, unnamed, a source address) that passed DMARC for the days before the window fails it
 * now: the typical "SPF include removed" or "DKIM key rotated wrong" accident. The alert names what changed:
 * SPF alignment, DKIM alignment, the DKIM selector.
 */
public final class SenderBroke implements AlertRule {
    public static final String ID = "sender-broke";
    /** Share of a day's messages that must pass for the sender to count as passing that day. */
    private static final double PASSING = 0.95;

    /**
     * @param passingDays days before the window the sender must have passed on (every day it sent, and on at
     *                    least all but two of them)
     * @param minMessages messages failing DMARC in the window, which must also be most of its mail
     * @param cooldown    hold-back after a resolution
     */
    public record Settings(int passingDays, int minMessages, Duration cooldown) {
        public static Settings defaults() {
            return new Settings(7, 20, Duration.ofHours(12));
        }
    }

    private final Settings settings;

    public SenderBroke(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "Sender broke";
    }

    @Override
    public String why() {
        return "Legitimate mail that passed DMARC every day now fails it: under p=quarantine or p=reject receivers"
                + " stop delivering it, and under p=none it is one policy change away from being lost.";
    }

    @Override
    public Scope scope() {
        return Scope.DOMAIN;
    }

    @Override
    public boolean afterCommits() {
        return true;
    }

    @Override
    public Duration cooldown() {
        return settings.cooldown();
    }

    @Override
    public List<Threshold> thresholds() {
        return List.of(new Threshold("alerts.sender_broke.passing_days", String.valueOf(settings.passingDays()),
                        "days before the window the sender passed DMARC on"),
                new Threshold("alerts.sender_broke.min_messages", String.valueOf(settings.minMessages()),
                        "messages failing DMARC in the window (and most of the sender's mail)"));
    }

    /** A sender's counts, summed over its addresses. */
    private static final class Tally {
        final List<String> ips = new ArrayList<>();
        long messages;
        long pass;
        long spfAligned;
        long dkimAligned;

        void add(SourceStats s) {
            if (!ips.contains(s.ip())) {
                ips.add(s.ip());
            }
            messages += s.messages();
            pass += s.dmarcPass();
            spfAligned += s.spfAligned();
            dkimAligned += s.dkimAligned();
        }

        double share(long n) {
            return messages == 0 ? 0 : (double) n / messages;
        }
    }

    private static String key(SourceStats s) {
        return s.senderName() != null ? s.senderName() : s.ip();
    }

    /** The tallies of the days a sender passed on: {@code passingDays} days from {@code first}. */
    private record Before(Map<String, Tally> sums, Map<String, Integer> daysSent, Map<String, Boolean> failedADay) {
        boolean passed(String key, int passingDays) {
            return daysSent.getOrDefault(key, 0) >= Math.max(1, passingDays - 2) && !failedADay.getOrDefault(key, false);
        }
    }

    private Before before(RuleContext c, String domain, LocalDate first) {
        Map<String, Tally> sums = new HashMap<>();
        Map<String, Integer> daysSent = new HashMap<>();
        Map<String, Boolean> failedADay = new HashMap<>();
        for (LocalDate day = first; day.isBefore(first.plusDays(settings.passingDays())); day = day.plusDays(1)) {
            tallies(c, c.filter(domain, day, day)).forEach((k, t) -> {
                Tally sum = sums.computeIfAbsent(k, x -> new Tally());
                t.ips.stream().filter(ip -> !sum.ips.contains(ip)).forEach(sum.ips::add);
                sum.messages += t.messages;
                sum.pass += t.pass;
                sum.spfAligned += t.spfAligned;
                sum.dkimAligned += t.dkimAligned;
                daysSent.merge(k, 1, Integer::sum);
                if (t.share(t.pass) < PASSING) {
                    failedADay.put(k, true);
                }
            });
        }
        return new Before(sums, daysSent, failedADay);
    }

    @Override
    public Optional<Condition> check(String domain, RuleContext c) {
        // A sender found broken is compared with the days it passed on until it passes again, however long
        // that takes (remembered as "key TAB first passing day" lines): its broken days must not become its
        // own baseline.
        String memoryKey = ID + "/" + domain;
        Map<String, LocalDate> remembered = new LinkedHashMap<>();
        c.memory().get(memoryKey).ifPresent(text -> text.lines().filter(l -> l.contains("\t")).forEach(l ->
                remembered.put(l.substring(0, l.indexOf('\t')), LocalDate.parse(l.substring(l.indexOf('\t') + 1)))));
        LocalDate newFirst = c.windowStart().minusDays(settings.passingDays());
        Map<LocalDate, Before> befores = new HashMap<>();
        Map<String, Tally> now = tallies(c, c.window(domain));
        List<String> broke = new ArrayList<>();
        Map<String, LocalDate> firstOf = new LinkedHashMap<>();
        for (Map.Entry<String, Tally> e : now.entrySet()) {
            String k = e.getKey();
            Tally t = e.getValue();
            long failing = t.messages - t.pass;
            if (failing < settings.minMessages() || t.share(failing) <= 0.5) {
                continue;
            }
            LocalDate first = remembered.getOrDefault(k, newFirst);
            Before b = befores.computeIfAbsent(first, f -> before(c, domain, f));
            if (b.passed(k, settings.passingDays())) {
                broke.add(k);
                firstOf.put(k, first);
            }
        }
        StringBuilder memory = new StringBuilder();
        firstOf.forEach((k, f) -> memory.append(k.replace('\t', ' ').replace('\n', ' ')).append('\t').append(f).append('\n'));
        if (!memory.toString().equals(c.memory().get(memoryKey).orElse(""))) {
            c.memory().put(memoryKey, memory.toString());
        }
        if (broke.isEmpty()) {
            return Optional.empty();
        }
        broke.sort((a, b) -> Long.compare(now.get(b).messages - now.get(b).pass, now.get(a).messages - now.get(a).pass));
        List<String> details = new ArrayList<>();
        List<Map<String, Object>> senders = new ArrayList<>();
        List<String> changes = new ArrayList<>();
        long failing = 0;
        List<DashboardLink> links = new ArrayList<>();
        links.add(Links.page("Failing sources of " + domain + ", " + c.windowStart() + " to " + c.today(), "/sources",
                domain, c.windowStart(), c.today()));
        for (String k : broke) {
            LocalDate first = firstOf.get(k);
            Tally was = befores.get(first).sums().get(k);
            Tally is = now.get(k);
            failing += is.messages - is.pass;
            List<String> changed = new ArrayList<>();
            if (was.share(was.spfAligned) - is.share(is.spfAligned) >= 0.5) {
                changed.add("SPF alignment (" + Words.percent(was.share(was.spfAligned)) + " aligned before, "
                        + Words.percent(is.share(is.spfAligned)) + " now)");
            }
            if (was.share(was.dkimAligned) - is.share(is.dkimAligned) >= 0.5) {
                changed.add("DKIM alignment (" + Words.percent(was.share(was.dkimAligned)) + " aligned before, "
                        + Words.percent(is.share(is.dkimAligned)) + " now)");
            }
            TreeSet<String> selectorsBefore = selectors(c, is.ips, domain,
                    c.filter(domain, first, first.plusDays(settings.passingDays() - 1L)), true);
            TreeSet<String> selectorsNow = selectors(c, is.ips, domain, c.window(domain), false);
            if (!selectorsNow.isEmpty() && !selectorsBefore.isEmpty() && !selectorsBefore.containsAll(selectorsNow)) {
                changed.add("DKIM selector (" + String.join(", ", selectorsBefore) + " before, "
                        + String.join(", ", selectorsNow) + " now)");
            }
            if (changed.isEmpty()) {
                changed.add("DMARC result (the alignment shares did not move much; see the records)");
            }
            if (changes.isEmpty()) {
                changes.addAll(changed); // the first (most failing) sender's, for the summary
            }
            details.add(k + (k.equals(is.ips.get(0)) ? "" : " (" + String.join(", ", is.ips) + ")") + ": "
                    + Words.count(is.messages - is.pass) + " of " + Words.count(is.messages)
                    + " messages fail DMARC; changed: " + String.join("; ", changed));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sender", k);
            m.put("ips", List.copyOf(is.ips));
            m.put("messages", is.messages);
            m.put("failing", is.messages - is.pass);
            m.put("passed_before", was.pass);
            m.put("messages_before", was.messages);
            m.put("spf_aligned_before", round(was.share(was.spfAligned)));
            m.put("spf_aligned_now", round(is.share(is.spfAligned)));
            m.put("dkim_aligned_before", round(was.share(was.dkimAligned)));
            m.put("dkim_aligned_now", round(is.share(is.dkimAligned)));
            m.put("selectors_before", List.copyOf(selectorsBefore));
            m.put("selectors_now", List.copyOf(selectorsNow));
            m.put("changed", changed.stream().map(x -> x.substring(0, x.indexOf(" (") < 0 ? x.length() : x.indexOf(" (")))
                    .map(x -> x.toLowerCase(Locale.ROOT)).toList());
            senders.add(m);
            if (links.size() < 4) {
                links.add(Links.source(is.ips.get(0), domain, first, c.today()));
            }
        }
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("window", Map.of("from", c.windowStart().toString(), "to", c.today().toString()));
        evidence.put("passing_since", firstOf.get(broke.get(0)).toString());
        evidence.put("senders", senders);
        String name = broke.get(0);
        return Optional.of(new Condition(
                name + " fails DMARC" + (broke.size() > 1 ? " (and " + (broke.size() - 1) + " more)" : ""),
                (broke.size() == 1 ? name + ", which" : Words.count(broke.size()) + " senders that")
                        + " passed DMARC on every day from " + firstOf.get(broke.get(0)) + " to "
                        + firstOf.get(broke.get(0)).plusDays(settings.passingDays() - 1L) + ", now "
                        + (broke.size() == 1 ? "fails" : "fail") + " it. What changed: " + String.join("; ", changes) + ".",
                RuleContext.start(c.windowStart()), failing,
                Words.count(failing) + " messages failing DMARC in the window",
                "Check what changed in DNS or at the sender: an SPF include removed or an address missing from the SPF"
                        + " record (SPF alignment), a DKIM key rotated to a selector that is not published or a signing"
                        + " domain that changed (DKIM alignment, selector). Publish the record the sender's documentation"
                        + " gives and watch the next day's reports.",
                links, details, evidence));
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static Map<String, Tally> tallies(RuleContext c, ReportFilter filter) {
        Map<String, Tally> out = new LinkedHashMap<>();
        c.store().sources().allSources(filter, s -> out.computeIfAbsent(key(s), k -> new Tally()).add(s));
        return out;
    }

    /** DKIM selectors of signatures of the domain (or its subdomains) in the senders' records. */
    private static TreeSet<String> selectors(RuleContext c, List<String> ips, String domain, ReportFilter filter,
                                             boolean passingOnly) {
        TreeSet<String> out = new TreeSet<>();
        for (String ip : ips.subList(0, Math.min(ips.size(), 5))) {
            for (RecordRow r : c.store().sources().sourceRecords(ip, filter, Page.first(200))) {
                for (DkimAuthResult d : r.dkimResults()) {
                    String dd = d.domain() == null ? "" : d.domain().toLowerCase(Locale.ROOT);
                    boolean ours = dd.equals(domain) || dd.endsWith("." + domain);
                    if (ours && d.selector() != null && (!passingOnly || d.result() == AuthResult.PASS)) {
                        out.add(d.selector());
                    }
                }
            }
        }
        return out;
    }
}
