package io.dmarclens.store.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds a domain's reports, oldest first, into periods of one published policy. Reporters do not always
 * agree: around a DNS change some still see the old record for a day, and a stray reporter may see
 * another one for good. Each UTC day therefore counts for the policy most of its reports saw, the
 * others are counted as disagreeing, and a period ends only when the day's majority changes. Policies are
 * compared as published, with the RFC 7489 (6.3) defaults for what a reporter left out: sp as p,
 * relaxed alignment, pct 100.
 *
 * <p>One fold for every store, so that {@link DomainQueries#policyHistory} answers alike whichever store
 * read the reports. Not thread-safe: one per query.
 */
public final class PolicyTimeline {
    private record Policy(String p, String sp, String adkim, String aspf, int pct) {
    }

    /** The reports of one UTC day that saw one policy. */
    private static final class Seen {
        long reports;
        Instant first;
        Instant last;
        Instant latestBegin;

        void add(Instant begin, Instant end) {
            reports++;
            first = first == null || begin.isBefore(first) ? begin : first;
            last = last == null || end.isAfter(last) ? end : last;
            latestBegin = latestBegin == null || begin.isAfter(latestBegin) ? begin : latestBegin;
        }
    }

    private final String domain;
    private final List<PolicyPeriod> periods = new ArrayList<>();
    private long day = Long.MIN_VALUE;
    private final Map<Policy, Seen> today = new LinkedHashMap<>();
    private Policy open;
    private Instant openFirst;
    private Instant openLast;
    private long openReports;
    private long openOthers;

    /** A timeline of {@code domain} (as stored: lower case). */
    public PolicyTimeline(String domain) {
        this.domain = domain;
    }

    /** Adds one report; call in order of {@code begin}. */
    public void add(String p, String sp, String adkim, String aspf, Integer pct, Instant begin, Instant end) {
        long reportDay = Math.floorDiv(begin.getEpochSecond(), 86_400);
        if (reportDay != day) {
            closeDay();
            day = reportDay;
        }
        Policy policy = new Policy(p, sp != null ? sp : p, orR(adkim), orR(aspf), pct != null ? pct : 100);
        today.computeIfAbsent(policy, k -> new Seen()).add(begin, end);
    }

    /** The periods, oldest first. */
    public List<PolicyPeriod> periods() {
        closeDay();
        closePeriod();
        return periods;
    }

    private void closeDay() {
        if (today.isEmpty()) {
            return;
        }
        Policy majority = null;
        Seen best = null;
        long all = 0;
        for (Map.Entry<Policy, Seen> e : today.entrySet()) {
            all += e.getValue().reports;
            if (best == null || beats(e.getKey(), e.getValue(), majority, best)) {
                majority = e.getKey();
                best = e.getValue();
            }
        }
        if (!majority.equals(open)) {
            closePeriod();
            open = majority;
            openFirst = best.first;
            openLast = best.last;
        } else {
            openLast = best.last.isAfter(openLast) ? best.last : openLast;
        }
        openReports += best.reports;
        openOthers += all - best.reports;
        today.clear();
    }

    /** More reports win; on a tie the open period's policy stays, else the one seen latest that day. */
    private boolean beats(Policy candidate, Seen c, Policy current, Seen b) {
        if (c.reports != b.reports) {
            return c.reports > b.reports;
        }
        if (current.equals(open)) {
            return false;
        }
        return candidate.equals(open) || c.latestBegin.isAfter(b.latestBegin);
    }

    private void closePeriod() {
        if (open != null) {
            periods.add(new PolicyPeriod(domain, open.p(), open.sp(), open.adkim(), open.aspf(), open.pct(), openFirst,
                    openLast, openReports, openOthers));
        }
        open = null;
        openReports = 0;
        openOthers = 0;
    }

    private static String orR(String alignment) {
        return alignment == null || alignment.isBlank() ? "r" : alignment;
    }
}
