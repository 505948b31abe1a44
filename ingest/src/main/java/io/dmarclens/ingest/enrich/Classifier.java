package io.dmarclens.ingest.enrich;

import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.aggregate.DmarcResult;
import io.dmarclens.parser.aggregate.PolicyOverride;
import io.dmarclens.parser.aggregate.PolicyOverrideReason;
import io.dmarclens.store.enrichment.Classification;
import io.dmarclens.store.enrichment.SenderInfo;
import java.util.Locale;

/**
 * Decides what a record's source is: compliant, forwarded, misconfigured or threat, with the rule that
 * decided it in words. The rules, in the order they are tried, are documented in docs/classification.md.
 */
public final class Classifier {

    /** The decision and the reason shown to the user. */
    public record Decision(Classification classification, String reason) {
    }

    /**
     * @param record  the record
     * @param verdict our alignment check of it
     * @param sender  who the source is (known service name and type may be null)
     * @param own     the source is the domain's own infrastructure
     */
    public Decision classify(AggregateRecord record, AlignmentCheck.Verdict verdict, SenderInfo sender, boolean own) {
        // A hosting provider's address says nothing about who rents it: not a known sender.
        boolean knownSender = sender.senderName() != null && !isHostingType(sender.senderType());
        boolean relay = knownSender && isRelayType(sender.senderType());
        String source = describe(record.sourceIp(), sender);

        // 1. Mail that kept an aligned DKIM signature but lost SPF on the way, from a host that is
        //    neither the domain's nor a service sending for it: a forwarder or a list passed it on.
        if (verdict.dkimAligned() && !verdict.spfAligned() && !own && (!knownSender || relay)) {
            String spf = verdict.spfFailed() ? "SPF failed"
                    : verdict.spfPassedDomain() != null ? "SPF passed only for the unaligned " + verdict.spfPassedDomain()
                    : "SPF gave no result";
            return new Decision(Classification.FORWARDED, "DKIM aligned pass (d=" + verdict.dkimAlignedDomain()
                    + ") survived while " + spf + " from " + source
                    + (relay ? "" : ", which is not one of the domain's senders"));
        }

        // 2. DMARC passes.
        if (verdict.dmarcPass()) {
            return new Decision(Classification.COMPLIANT, verdict.dkimAligned()
                    ? "DMARC pass: DKIM aligned pass (d=" + verdict.dkimAlignedDomain() + ")"
                    : "DMARC pass: SPF aligned pass (" + verdict.spfAlignedDomain() + ")");
        }
        if (record.dkim() == DmarcResult.PASS || record.spf() == DmarcResult.PASS) {
            return new Decision(Classification.COMPLIANT, "DMARC pass by the reporter's evaluation ("
                    + (record.dkim() == DmarcResult.PASS ? "DKIM" : "SPF")
                    + " pass); the authentication results it listed do not show the aligned pass");
        }

        // 3. The receiver itself says it was relayed.
        for (PolicyOverrideReason reason : record.reasons()) {
            PolicyOverride type = reason.type();
            if (type == PolicyOverride.FORWARDED || type == PolicyOverride.MAILING_LIST
                    || type == PolicyOverride.TRUSTED_FORWARDER) {
                return new Decision(Classification.FORWARDED, "the receiver reported override '"
                        + type.token() + "'" + comment(reason));
            }
        }
        for (PolicyOverrideReason reason : record.reasons()) {
            if (reason.type() == PolicyOverride.LOCAL_POLICY && mentionsArc(reason.comment())) {
                return new Decision(Classification.FORWARDED,
                        "the receiver applied local_policy on the strength of ARC" + comment(reason));
            }
        }

        // 4. A known forwarding service or mailing list host.
        if (relay) {
            return new Decision(Classification.FORWARDED, "the source is " + sender.senderName() + " ("
                    + sender.senderType() + "), which relays mail: DKIM and SPF alignment were lost on the way");
        }

        String failure = failureWords(verdict);
        // 5. The domain's own infrastructure failing.
        if (own) {
            return new Decision(Classification.MISCONFIGURED, "the domain's own infrastructure (" + source
                    + ") fails DMARC: " + failure);
        }
        // 6. A known legitimate service failing.
        if (knownSender) {
            return new Decision(Classification.MISCONFIGURED, sender.senderName() + " (" + sender.senderType()
                    + ") sends as " + record.headerFrom() + " but fails DMARC: " + failure);
        }
        // 7. Everything else.
        return new Decision(Classification.THREAT, "fails DMARC from an unknown source (" + source + "): " + failure);
    }

    static boolean isHostingType(String type) {
        return type != null && type.equalsIgnoreCase("hosting");
    }

    static boolean isRelayType(String type) {
        if (type == null) {
            return false;
        }
        String t = type.toLowerCase(Locale.ROOT);
        return t.equals("forwarder") || t.equals("mailing list");
    }

    private static boolean mentionsArc(String comment) {
        return comment != null && comment.toLowerCase(Locale.ROOT).matches("(?s).*\\barc\\b.*");
    }

    private static String comment(PolicyOverrideReason reason) {
        return reason.comment() == null || reason.comment().isBlank() ? "" : " (" + reason.comment().strip() + ")";
    }

    private static String failureWords(AlignmentCheck.Verdict verdict) {
        String spf = verdict.spfFailed() ? "SPF failed"
                : verdict.spfPassedDomain() != null ? "SPF passed only for the unaligned " + verdict.spfPassedDomain()
                : "no SPF result";
        return "no aligned DKIM pass, " + spf;
    }

    private static String describe(String ip, SenderInfo sender) {
        StringBuilder s = new StringBuilder(ip == null || ip.isEmpty() ? "unknown address" : ip);
        if (sender.reverseDns() != null) {
            s.append(' ').append(sender.reverseDns());
        }
        if (sender.senderName() != null) {
            s.append(", ").append(sender.senderName());
        }
        return s.toString();
    }
}
