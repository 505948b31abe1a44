package io.dmarclens.posture;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;

/**
 * What the posture check reads from stored reports: the selectors receivers saw and, per sending
 * source, how much mail passed. Implemented over the store; {@link #NONE} when there is no store.
 */
public interface PostureData {
    PostureData NONE = new PostureData() {
        @Override
        public Set<String> dkimSelectors(String domain, LocalDate from, LocalDate to) {
            return Set.of();
        }

        @Override
        public List<SourceVolume> sources(String domain, LocalDate from, LocalDate to) {
            return List.of();
        }
    };

    /** DKIM selectors seen in reports for signatures of {@code domain} (d=) in the period. */
    Set<String> dkimSelectors(String domain, LocalDate from, LocalDate to);

    /** Every source that sent mail as {@code domain} in the period, with its volume. */
    List<SourceVolume> sources(String domain, LocalDate from, LocalDate to);

    /**
     * One sending source's mail for a policy domain.
     *
     * @param sourceIp        the source address
     * @param name            sender name, reverse DNS or null
     * @param classification  compliant, forwarded, misconfigured or threat
     * @param reason          why it is classified so
     * @param messages        all its messages
     * @param dmarcPass       messages that passed DMARC
     * @param dkimAligned     messages with an aligned DKIM pass
     * @param spfAligned      messages with an aligned SPF pass
     */
    record SourceVolume(String sourceIp, String name, String classification, String reason, long messages,
                        long dmarcPass, long dkimAligned, long spfAligned) {
        public long failing() {
            return messages - dmarcPass;
        }
    }
}
