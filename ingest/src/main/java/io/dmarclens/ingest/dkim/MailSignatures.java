package io.dmarclens.ingest.dkim;

import io.dmarclens.parser.DomainNames;
import io.dmarclens.parser.aggregate.ReportMetadata;
import io.dmarclens.store.Authenticity;
import java.util.List;

/**
 * What the DKIM check of one report mail found: the domains ({@code d=}) of its valid signatures, or why
 * there is none. A report in the mail is verified when one of those domains is aligned with the reporter's
 * domain (same organisational domain): the mail of {@code attacker@evil.test} claiming to be Google's
 * report carries no valid {@code google.com} signature.
 *
 * @param checked      false when the check did not run (offline)
 * @param validDomains signing domains of the signatures that verified, lower case
 * @param problem      why no signature verified (no signature, a bad one, a key that could not be fetched)
 */
public record MailSignatures(boolean checked, List<String> validDomains, String problem) {
    public MailSignatures {
        validDomains = List.copyOf(validDomains);
        problem = problem == null ? "" : problem;
    }

    /** The check did not run, e.g. {@code notChecked("offline")}. */
    public static MailSignatures notChecked(String why) {
        return new MailSignatures(false, List.of(), why);
    }

    /**
     * The verdict for one report of this mail. The reporter's domain is the domain of the report's contact
     * address, or its organisation name when that is a domain name (some reporters leave the address empty).
     */
    public Authenticity verdictFor(ReportMetadata metadata, DomainNames names) {
        if (!checked) {
            return Authenticity.notChecked(problem);
        }
        String reporter = reporterDomain(metadata);
        if (reporter == null) {
            return Authenticity.unverified("the report names no reporter domain to check the signature against");
        }
        for (String d : validDomains) {
            if (names.aligned(d, reporter, false)) {
                return Authenticity.verified("DKIM signature of " + d);
            }
        }
        if (!validDomains.isEmpty()) {
            return Authenticity.unverified("signed by " + String.join(", ", validDomains)
                    + ", not by the reporter's domain " + reporter);
        }
        return Authenticity.unverified(problem);
    }

    static String reporterDomain(ReportMetadata m) {
        String email = m.email();
        if (email != null) {
            int at = email.lastIndexOf('@');
            String d = DomainNames.normalise(at >= 0 ? email.substring(at + 1) : "");
            if (d != null && d.indexOf('.') > 0) {
                return d;
            }
        }
        String org = DomainNames.normalise(m.orgName());
        return org != null && org.matches("[a-z0-9-]+(\\.[a-z0-9-]+)+") ? org : null;
    }
}
