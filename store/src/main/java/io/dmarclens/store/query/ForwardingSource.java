package io.dmarclens.store.query;

import java.util.List;

/**
 * A source whose messages were classified as forwarded.
 *
 * @param ip              source IP
 * @param reverseDns      PTR name, or null
 * @param senderName      known forwarding or list service, or null
 * @param senderType      its type, or null
 * @param messages        forwarded messages
 * @param dkimSurvived    of those, messages whose DKIM signature still passed aligned
 * @param overrideReasons override reason types receivers gave for them (forwarded, mailing_list, ...)
 */
public record ForwardingSource(String ip, String reverseDns, String senderName, String senderType, long messages,
                               long dkimSurvived, List<String> overrideReasons) {
    public ForwardingSource {
        overrideReasons = List.copyOf(overrideReasons);
    }

    /** Share of forwarded messages whose DKIM survived, 0 to 1. */
    public double dkimSurvivalRate() {
        return messages == 0 ? 0 : (double) dkimSurvived / messages;
    }
}
