package io.dmarclens.posture;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Turns the stored volume per source into a verdict and the next step towards p=reject: fix the
 * legitimate services that fail alignment first, then tighten the policy one step at a time.
 */
public final class ReadinessAdvisor {
    /** Legitimate mail (misconfigured) that may fail before tightening, as a share of all mail. */
    static final double FIX_FIRST_SHARE = 0.005;
    private static final int MAX_AT_RISK = 20;

    /**
     * The verdict for {@code domain} from its sources' volume and the DMARC records that apply to it
     * (none, one, or several: then receivers apply none of them).
     */
    public Readiness advise(String domain, int days, List<PostureData.SourceVolume> sources, List<DmarcRecord> records) {
        DmarcRecord record = records.size() == 1 ? records.get(0) : null;
        String policy = record == null ? null : record.value("p");
        long messages = sources.stream().mapToLong(PostureData.SourceVolume::messages).sum();
        long compliant = sources.stream().mapToLong(PostureData.SourceVolume::dmarcPass).sum();
        double share = messages == 0 ? 0 : (double) compliant / messages;
        List<PostureData.SourceVolume> atRisk = sources.stream().filter(s -> s.failing() > 0)
                .sorted(Comparator.comparingLong(PostureData.SourceVolume::failing).reversed()).limit(MAX_AT_RISK).toList();
        List<Finding> findings = new ArrayList<>();
        if (records.size() > 1) {
            return new Readiness(days, messages, compliant, share, null, atRisk,
                    "Keep exactly one DMARC record: with " + records.size() + " published, receivers apply none of them",
                    null, List.of(Finding.error("readiness.no-usable-policy", records.size() + " DMARC records apply to "
                            + domain + ": receivers apply no policy and send no reports until exactly one remains")));
        }
        if (record == null) {
            String publish = "v=DMARC1; p=none; rua=mailto:dmarc-reports@" + domain;
            return new Readiness(days, messages, compliant, share, null, atRisk,
                    "Publish a DMARC record with p=none and a rua address to start collecting reports", publish,
                    List.of(Finding.error("readiness.no-record", domain + " has no DMARC record: receivers apply no policy and send no reports")));
        }
        if (messages == 0) {
            return new Readiness(days, 0, 0, 0, policy, List.of(),
                    "No aggregate reports for " + domain + " in the last " + days + " days: check that rua points at DMARC Lens", null,
                    List.of(Finding.warning("readiness.no-data", "no reports for " + domain + " in the last " + days + " days")));
        }
        findings.add(Finding.info("readiness.compliance", String.format(Locale.ROOT,
                "%.1f%% of %,d messages passed DMARC in the last %d days", share * 100, messages, days)));
        long threat = volume(sources, "threat");
        if (threat > 0) {
            findings.add(Finding.info("readiness.threats", String.format(Locale.ROOT,
                    "%,d messages from unknown sources failed DMARC: p=reject would stop them", threat)));
        }
        long forwarded = sources.stream().filter(s -> "forwarded".equals(s.classification())).mapToLong(PostureData.SourceVolume::failing).sum();
        if (forwarded > 0) {
            findings.add(Finding.info("readiness.forwarded", String.format(Locale.ROOT,
                    "%,d forwarded messages failed DMARC; forwarders that keep DKIM intact are unaffected, so make sure all mail is DKIM signed", forwarded)));
        }
        PostureData.SourceVolume worst = sources.stream().filter(s -> "misconfigured".equals(s.classification()) && s.failing() > 0)
                .max(Comparator.comparingLong(PostureData.SourceVolume::failing)).orElse(null);
        long misconfigured = sources.stream().filter(s -> "misconfigured".equals(s.classification()))
                .mapToLong(PostureData.SourceVolume::failing).sum();
        String next;
        String publish = null;
        String stricter = "none".equals(policy) || policy == null ? "quarantine" : "reject";
        if (worst != null && (double) misconfigured / messages > FIX_FIRST_SHARE) {
            String who = worst.name() != null ? worst.name() : worst.sourceIp();
            String fix = worst.dkimAligned() == 0 ? "DKIM (sign with d=" + domain + ")" : "SPF alignment";
            next = "Fix " + who + " " + fix + " before p=" + stricter;
            findings.add(Finding.warning("readiness.fix-first", String.format(Locale.ROOT,
                    "%,d messages from legitimate services fail DMARC; %s would %s them", misconfigured,
                    "p=" + stricter, stricter.equals("reject") ? "reject" : "quarantine")));
        } else if ("reject".equals(policy)) {
            next = "The policy is at reject: keep watching for new senders";
            findings.add(Finding.ok("readiness.enforced", domain + " is at p=reject"));
        } else {
            next = "Move to p=" + stricter;
            publish = withPolicy(record.raw(), stricter);
            findings.add(Finding.ok("readiness.ready", "legitimate mail passes DMARC: " + domain + " is ready for p=" + stricter));
        }
        return new Readiness(days, messages, compliant, share, policy, atRisk, next, publish, findings);
    }

    private static long volume(List<PostureData.SourceVolume> sources, String classification) {
        return sources.stream().filter(s -> classification.equals(s.classification()))
                .mapToLong(PostureData.SourceVolume::failing).sum();
    }

    /** The record with p= set to {@code policy} and pct= dropped (RFC 9989 removed it). */
    static String withPolicy(String raw, String policy) {
        List<String> out = new ArrayList<>();
        boolean hasP = false;
        for (TagValues.Tag tag : TagValues.split(raw)) {
            if (tag.name() != null && tag.name().equalsIgnoreCase("p")) {
                out.add("p=" + policy);
                hasP = true;
            } else if (tag.name() == null || !tag.name().equalsIgnoreCase("pct")) {
                out.add(tag.raw());
            }
        }
        if (!hasP) {
            out.add(Math.min(1, out.size()), "p=" + policy);
        }
        return String.join("; ", out);
    }
}
