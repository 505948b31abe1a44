package io.dmarclens.ingest.dkim;

import io.dmarclens.parser.DomainNames;
import io.dmarclens.parser.aggregate.ReportMetadata;
import io.dmarclens.parser.failure.FailureReport;
import io.dmarclens.parser.tlsrpt.TlsReport;
import io.dmarclens.store.Authenticity;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * What the DKIM check of one report mail found: the domains ({@code d=}) of its valid signatures, or why
 * there is none, and the domain of the mail's From address. A report in the mail is verified when one of
 * those signing domains is aligned with the reporter's domain (same organisational domain): the mail of
 * {@code attacker@evil.test} claiming to be Google's report carries no valid {@code google.com} signature.
 * Which domain is the reporter's depends on the kind of report (docs/security.md, "Forged reports"):
 * <ul>
 *   <li>aggregate: the domain of the report's contact address, else its organisation name when that is a
 *   domain name;</li>
 *   <li>failure (ARF): the domain of the mail's From address (RFC 9991 asks for report mails aligned with their
 *   From), and the report's {@code Reporting-MTA}, when it names one, must be of that same organisation;</li>
 *   <li>SMTP TLS: the domain of the report's {@code contact-info}, else its {@code organization-name} when that
 *   is a domain name, else (a report naming no domain at all) the domain of the mail's From address.</li>
 * </ul>
 *
 * @param checked      false when the check did not run (offline)
 * @param validDomains signing domains of the signatures that verified, lower case
 * @param problem      why no signature verified (no signature, a bad one, a key that could not be fetched)
 * @param fromDomain   the domain of the mail's one From address, lower case, or null when it has none (or
 *                     several)
 */
public record MailSignatures(boolean checked, List<String> validDomains, String problem, String fromDomain) {
    public MailSignatures {
        validDomains = List.copyOf(validDomains);
        problem = problem == null ? "" : problem;
    }

    /** A check's result without a From address. */
    public MailSignatures(boolean checked, List<String> validDomains, String problem) {
        this(checked, validDomains, problem, null);
    }

    /** The check did not run, e.g. {@code notChecked("offline")}. */
    public static MailSignatures notChecked(String why) {
        return new MailSignatures(false, List.of(), why);
    }

    /**
     * The verdict for one aggregate report of this mail. The reporter's domain is the domain of the report's
     * contact address, or its organisation name when that is a domain name (some reporters leave the address
     * empty).
     */
    public Authenticity verdictFor(ReportMetadata metadata, DomainNames names) {
        return verdict(reporterDomain(metadata), "the reporter's domain",
                "the report names no reporter domain to check the signature against", names);
    }

    /**
     * The verdict for one failure (ARF) report of this mail: a valid signature aligned with the domain of the
     * mail's From address, and the report's Reporting-MTA (when it names one) of the same organisation. A
     * stranger can sign a mail from their own domain, but not make it claim another's mail server.
     */
    public Authenticity verdictFor(FailureReport report, DomainNames names) {
        Authenticity verdict = verdict(fromDomain, "the sender's domain",
                "the mail has no single From address to check the signature against", names);
        String mta = hostOf(report.reportingMta());
        if (verdict.verdict() == Authenticity.Verdict.VERIFIED && mta != null && !names.aligned(mta, fromDomain, false)) {
            return Authenticity.unverified("signed by " + fromDomain + ", but the report names Reporting-MTA " + mta
                    + " of another domain");
        }
        return verdict;
    }

    /**
     * The verdict for one SMTP TLS report of this mail: a valid signature aligned with the report's own domain
     * (its contact-info, else its organization-name when that is a domain name; RFC 8460 ties the submitter to
     * the contact-info domain), or, for a report that names no domain, with the mail's From address.
     */
    public Authenticity verdictFor(TlsReport report, DomainNames names) {
        String own = tlsReporterDomain(report);
        if (own != null) {
            return verdict(own, "the reporter's domain", "", names);
        }
        return verdict(fromDomain, "the sender's domain",
                "the report names no domain and the mail has no single From address to check the signature against",
                names);
    }

    private Authenticity verdict(String domain, String whose, String noDomain, DomainNames names) {
        if (!checked) {
            return Authenticity.notChecked(problem);
        }
        if (domain == null) {
            return Authenticity.unverified(noDomain);
        }
        for (String d : validDomains) {
            if (names.aligned(d, domain, false)) {
                return Authenticity.verified("DKIM signature of " + d);
            }
        }
        if (!validDomains.isEmpty()) {
            return Authenticity.unverified("signed by " + String.join(", ", validDomains) + ", not by " + whose + " "
                    + domain);
        }
        return Authenticity.unverified(problem);
    }

    static String reporterDomain(ReportMetadata m) {
        String fromEmail = emailDomain(m.email());
        return fromEmail != null ? fromEmail : domainName(m.orgName());
    }

    /** The domain of a TLS report's contact-info (an address, a mailto: or https: URI, a domain), else of its organisation. */
    static String tlsReporterDomain(TlsReport r) {
        String contact = r.contactInfo() == null ? null : r.contactInfo().strip();
        if (contact != null && !contact.isEmpty()) {
            String lower = contact.toLowerCase(Locale.ROOT);
            String d = null;
            if (lower.startsWith("http://") || lower.startsWith("https://")) {
                d = domainName(uriHost(contact));
            } else if (contact.indexOf('@') >= 0) {
                d = emailDomain(lower.startsWith("mailto:") ? contact.substring(7) : contact);
            } else {
                d = domainName(contact);
            }
            if (d != null) {
                return d;
            }
        }
        return domainName(r.organizationName());
    }

    private static String emailDomain(String email) {
        if (email == null) {
            return null;
        }
        int at = email.lastIndexOf('@');
        String d = DomainNames.normalise(at >= 0 ? email.substring(at + 1).replaceAll("[>\\s].*$", "") : "");
        return d != null && d.indexOf('.') > 0 ? d : null;
    }

    private static String domainName(String s) {
        String d = DomainNames.normalise(s);
        return d != null && d.matches("[a-z0-9-]+(\\.[a-z0-9-]+)+") ? d : null;
    }

    private static String uriHost(String uri) {
        try {
            return URI.create(uri).getHost();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The host of a Reporting-MTA value ({@code dns; mx.example.com}), or null. */
    private static String hostOf(String reportingMta) {
        if (reportingMta == null) {
            return null;
        }
        String v = reportingMta.strip();
        int semicolon = v.indexOf(';');
        if (semicolon >= 0) {
            v = v.substring(semicolon + 1).strip();
        }
        return domainName(v);
    }
}
