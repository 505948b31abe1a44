package io.dmarclens.ingest.enrich;

import io.dmarclens.parser.DomainNames;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.aggregate.Alignment;
import io.dmarclens.parser.aggregate.AuthResult;
import io.dmarclens.parser.aggregate.DkimAuthResult;
import io.dmarclens.parser.aggregate.DmarcResult;
import io.dmarclens.parser.aggregate.PolicyPublished;
import io.dmarclens.parser.aggregate.SpfAuthResult;
import java.util.Objects;

/**
 * DMARC identifier alignment worked out from a record's raw authentication results, header_from and
 * the published adkim/aspf modes, independently of the reporter's policy_evaluated verdict.
 */
public final class AlignmentCheck {
    private final DomainNames domains;

    public AlignmentCheck(DomainNames domains) {
        this.domains = Objects.requireNonNull(domains, "domains");
    }

    /**
     * Our verdict for one record.
     *
     * @param dkimAlignedDomain the d= of a passing aligned DKIM signature, or null
     * @param spfAlignedDomain  the domain of a passing aligned SPF check, or null
     * @param spfPassedDomain   a domain SPF passed for, aligned or not, or null
     * @param spfFailed         an SPF check was made and did not pass
     * @param verdictDisagrees  our DKIM or SPF alignment differs from the reporter's policy_evaluated
     */
    public record Verdict(String dkimAlignedDomain, String spfAlignedDomain, String spfPassedDomain,
                          boolean spfFailed, boolean verdictDisagrees) {
        public boolean dkimAligned() {
            return dkimAlignedDomain != null;
        }

        public boolean spfAligned() {
            return spfAlignedDomain != null;
        }

        public boolean dmarcPass() {
            return dkimAligned() || spfAligned();
        }
    }

    public Verdict check(PolicyPublished policy, AggregateRecord record) {
        boolean strictDkim = policy != null && policy.adkim() == Alignment.STRICT;
        boolean strictSpf = policy != null && policy.aspf() == Alignment.STRICT;
        String headerFrom = record.headerFrom();

        String dkimAligned = null;
        for (DkimAuthResult dkim : record.dkimResults()) {
            if (dkim.result() == AuthResult.PASS && domains.aligned(dkim.domain(), headerFrom, strictDkim)) {
                dkimAligned = DomainNames.normalise(dkim.domain());
                break;
            }
        }

        // DMARC authenticates the MAIL FROM identity; HELO only counts when the envelope sender was empty.
        boolean nullSender = DomainNames.normalise(record.envelopeFrom()) == null;
        String spfAligned = null;
        String spfPassed = null;
        boolean spfFailed = false;
        for (SpfAuthResult spf : record.spfResults()) {
            boolean helo = spf.scope() != null && spf.scope().equalsIgnoreCase("helo");
            if (helo && !nullSender) {
                continue;
            }
            if (spf.result() == AuthResult.PASS) {
                if (spfPassed == null) {
                    spfPassed = DomainNames.normalise(spf.domain());
                }
                if (spfAligned == null && domains.aligned(spf.domain(), headerFrom, strictSpf)) {
                    spfAligned = DomainNames.normalise(spf.domain());
                }
            } else if (spf.result() != null) {
                spfFailed = true;
            }
        }

        boolean disagrees = disagrees(record.dkim(), dkimAligned != null)
                || disagrees(record.spf(), spfAligned != null);
        return new Verdict(dkimAligned, spfAligned, spfPassed, spfFailed && spfPassed == null, disagrees);
    }

    private static boolean disagrees(DmarcResult reporter, boolean ours) {
        return reporter != null && (reporter == DmarcResult.PASS) != ours;
    }
}
