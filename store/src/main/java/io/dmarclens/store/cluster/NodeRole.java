package io.dmarclens.store.cluster;

import java.util.Locale;

/** A part of {@code serve} a node runs ({@code node.roles} in the configuration). */
public enum NodeRole {
    /** The SMTP receiver. */
    SMTP,
    /** The IMAP pollers and the Graph and Gmail readers (each mailbox under a lease). */
    IMAP,
    /** The durable inbox's workers: parse and store what this node accepted. */
    INBOX,
    /** The dashboard and the JSON API. */
    WEB,
    /** The work done once per cluster (retention, re-enrichment, posture checks, alert schedule, digests). */
    JOBS;

    /** The name in the configuration, lower case. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The role named {@code text} (any case).
     *
     * @throws IllegalArgumentException naming the roles there are
     */
    public static NodeRole parse(String text) {
        for (NodeRole r : values()) {
            if (r.id().equalsIgnoreCase(text.strip())) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown node role '" + text + "' (roles: smtp, imap, inbox, web, jobs)");
    }
}
