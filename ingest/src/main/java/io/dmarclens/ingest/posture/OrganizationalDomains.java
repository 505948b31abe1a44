package io.dmarclens.ingest.posture;

import com.google.common.net.InternetDomainName;
import java.util.Locale;

/** Organisational domain of a name by the public suffix list (RFC 7489 section 3.2), via Guava. */
final class OrganizationalDomains {
    private OrganizationalDomains() {
    }

    static String of(String domain) {
        String name = normalise(domain);
        try {
            InternetDomainName parsed = InternetDomainName.from(name);
            if (parsed.isUnderRegistrySuffix()) {
                return parsed.topDomainUnderRegistrySuffix().toString();
            }
            if (parsed.isRegistrySuffix()) {
                return name;
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            // not a valid name for Guava: fall back to the last two labels below
        }
        String[] labels = name.split("\\.");
        return labels.length <= 2 ? name : labels[labels.length - 2] + "." + labels[labels.length - 1];
    }

    static String normalise(String domain) {
        String name = domain.strip().toLowerCase(Locale.ROOT);
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
