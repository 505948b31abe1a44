package io.dmarclens.ingest.enrich;

import java.util.Locale;

/**
 * A sending service we know by name.
 *
 * @param name e.g. "Google", "Amazon SES"
 * @param type e.g. "Email provider", "ESP", "Forwarder", "Mailing list"
 */
public record KnownSender(String name, String type) {
    public static final String FORWARDER = "Forwarder";
    public static final String MAILING_LIST = "Mailing list";

    /** Forwarders and mailing lists relay other people's mail rather than sending their own. */
    public boolean relays() {
        String t = type.toLowerCase(Locale.ROOT);
        return t.equals(FORWARDER.toLowerCase(Locale.ROOT)) || t.equals(MAILING_LIST.toLowerCase(Locale.ROOT));
    }
}
