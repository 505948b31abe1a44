package io.dmarclens.ingest.smtp;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which RCPT TO addresses the receiver accepts: listed addresses and every address of listed domains.
 * Nothing else, so the receiver is never a relay. With an empty list it accepts every recipient, which
 * {@link SmtpReceiver} allows only on a loopback address.
 */
public final class RecipientPolicy {
    private final Set<String> addresses = new HashSet<>();
    private final Set<String> domains = new HashSet<>();

    public RecipientPolicy(List<String> entries) {
        for (String raw : entries) {
            String entry = raw.trim().toLowerCase(Locale.ROOT);
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.startsWith("@")) {
                domains.add(entry.substring(1));
            } else if (entry.contains("@")) {
                addresses.add(entry);
            } else {
                domains.add(entry);
            }
        }
    }

    public boolean acceptsAll() {
        return addresses.isEmpty() && domains.isEmpty();
    }

    public boolean accepts(String recipient) {
        if (acceptsAll()) {
            return true;
        }
        String address = recipient.trim().toLowerCase(Locale.ROOT);
        if (address.startsWith("<") && address.endsWith(">")) {
            address = address.substring(1, address.length() - 1);
        }
        int at = address.lastIndexOf('@');
        if (at <= 0) {
            return false;
        }
        return addresses.contains(address) || domains.contains(address.substring(at + 1));
    }
}
