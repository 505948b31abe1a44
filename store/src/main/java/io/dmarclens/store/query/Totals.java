package io.dmarclens.store.query;

/**
 * Message counts over a filter (or one day). Alignment and DMARC pass are DMARC Lens' own verdicts;
 * {@code dkimPass} and {@code spfPass} are the reporters' policy_evaluated verdicts.
 */
public record Totals(long messages, long dmarcPass, long dmarcFail, long dkimAligned, long spfAligned,
                     long dkimPass, long spfPass, long dispositionNone, long dispositionQuarantine,
                     long dispositionReject, long compliant, long forwarded, long misconfigured, long threat) {
    public static final Totals ZERO = new Totals(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** Share of messages passing DMARC, 0 to 1 (0 when there are none). */
    public double passRate() {
        return messages == 0 ? 0 : (double) dmarcPass / messages;
    }
}
