package io.dmarclens.posture;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * Everything {@code dmarc-lens check} finds for one domain. {@link #findings()} gathers every section's
 * findings, worst first; the JSON form is documented in docs/posture.md.
 *
 * @param domain    the domain checked
 * @param checkedAt when
 * @param dmarc     the DMARC record and its report destinations
 * @param spf       the SPF tree
 * @param dkim      the DKIM keys of selectors seen in reports and asked for
 * @param mail      MX, TLS-RPT and MTA-STS records
 * @param readiness the verdict from stored reports, or null when there is no store
 */
public record PostureReport(String domain, Instant checkedAt, Dmarc dmarc, SpfAnalyzer.Result spf, List<DkimKey> dkim,
                            Mail mail, Readiness readiness) {
    public PostureReport {
        dkim = List.copyOf(dkim);
    }

    /**
     * The DMARC part.
     *
     * @param psl          RFC 7489 discovery
     * @param treeWalk     RFC 9989 discovery
     * @param records      every DMARC record published at the name that applies, parsed, in DNS order
     *                     (none, one, or several: then receivers apply none of them)
     * @param destinations authorisation of every external rua and ruf destination of every record
     * @param findings     discovery and record findings
     */
    public record Dmarc(DmarcDiscovery.Result psl, DmarcDiscovery.Result treeWalk, List<DmarcRecord> records,
                        List<ReportAuthorization> destinations, List<Finding> findings) {
        public Dmarc {
            records = List.copyOf(records);
            destinations = List.copyOf(destinations);
            findings = List.copyOf(findings);
        }

        /**
         * The record receivers apply, or null: when none is published, and when several are (RFC 7489
         * section 6.6.3 and RFC 9989: a set of more than one record is treated as no record at all).
         */
        public DmarcRecord record() {
            return records.size() == 1 ? records.get(0) : null;
        }

        /** True when more than one record is published, so that receivers apply none. */
        public boolean conflicting() {
            return records.size() > 1;
        }

        /** The domain whose {@code _dmarc} name holds the records, or null. */
        public String foundAt() {
            return psl.found() ? psl.foundAt() : treeWalk.foundAt();
        }
    }

    /**
     * Mail transport records.
     *
     * @param mx       MX records as "priority host"
     * @param tlsRpt   the {@code _smtp._tls} record, or null
     * @param mtaSts   the {@code _mta-sts} record, or null
     * @param findings verdicts
     */
    public record Mail(List<String> mx, String tlsRpt, String mtaSts, List<Finding> findings) {
        public Mail {
            mx = List.copyOf(mx);
            findings = List.copyOf(findings);
        }
    }

    /** Every finding of every section, worst first (stable within a severity). */
    public List<Finding> findings() {
        java.util.ArrayList<Finding> all = new java.util.ArrayList<>(dmarc.findings());
        dmarc.destinations().forEach(d -> all.add(d.finding()));
        all.addAll(spf.findings());
        dkim.forEach(k -> all.addAll(k.findings()));
        all.addAll(mail.findings());
        if (readiness != null) {
            all.addAll(readiness.findings());
        }
        all.sort(Comparator.comparing(Finding::severity));
        return all;
    }

    public boolean hasErrors() {
        return findings().stream().anyMatch(f -> f.severity() == Finding.Severity.ERROR);
    }
}
