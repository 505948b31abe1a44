package io.dmarclens.posture;

import io.dmarclens.parser.DomainNames;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks what a domain publishes in DNS (DMARC, report authorisation, SPF, DKIM, MX, TLS-RPT, MTA-STS)
 * and, with stored reports, whether it is ready for a stricter policy.
 */
public final class PostureChecker {
    /** The period of stored reports the readiness verdict looks at. */
    public static final int READINESS_DAYS = 30;

    private final DnsClient dns;
    private final PostureData data;
    private final Clock clock;
    private final DomainNames domains = new DomainNames();

    public PostureChecker(DnsClient dns, PostureData data, Clock clock) {
        this.dns = dns;
        this.data = data;
        this.clock = clock;
    }

    public PostureReport check(String domain, Collection<String> extraSelectors) {
        String name = DomainNames.normalise(domain);
        LocalDate to = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        LocalDate from = to.minusDays(READINESS_DAYS);
        PostureReport.Dmarc dmarc = dmarc(name);
        SpfAnalyzer.Result spf = new SpfAnalyzer(dns).analyze(name);
        Set<String> seen = data.dkimSelectors(name, from, to);
        Set<String> selectors = new LinkedHashSet<>(seen);
        selectors.addAll(extraSelectors);
        DkimKeyChecker dkimChecker = new DkimKeyChecker(dns);
        List<DkimKey> keys = selectors.stream().map(s -> dkimChecker.check(name, s, seen.contains(s))).toList();
        PostureReport.Mail mail = mail(name);
        Readiness readiness = data == PostureData.NONE ? null
                : new ReadinessAdvisor().advise(name, READINESS_DAYS, data.sources(name, from, to), dmarc.records());
        return new PostureReport(name, clock.instant(), dmarc, spf, keys, mail, readiness);
    }

    private PostureReport.Dmarc dmarc(String domain) {
        DmarcDiscovery discovery = new DmarcDiscovery(dns, domains);
        DmarcDiscovery.Result psl = discovery.psl(domain);
        DmarcDiscovery.Result walk = discovery.treeWalk(domain);
        List<Finding> findings = new ArrayList<>();
        DmarcDiscovery.Result used = psl.found() ? psl : walk;
        if (psl.failure() != null) {
            findings.add(Finding.warning("dmarc.dns", psl.failure().describe()));
        }
        if (!used.found()) {
            if (psl.failure() == null) {
                findings.add(Finding.error("dmarc.missing", "no DMARC record at _dmarc." + domain
                        + (domains.organisational(domain).equals(domain) ? "" : " or _dmarc." + domains.organisational(domain))
                        + ": receivers apply no policy and send no reports"));
            }
            return new PostureReport.Dmarc(psl, walk, List.of(), List.of(), findings);
        }
        if (!used.foundAt().equals(domain)) {
            findings.add(Finding.info("dmarc.inherited", "no record at _dmarc." + domain + "; the record of "
                    + used.foundAt() + " applies (its sp= and np= cover " + domain + ")"));
        }
        if (psl.found() && walk.found() && !psl.foundAt().equals(walk.foundAt())) {
            findings.add(Finding.warning("dmarc.discovery-differs", "RFC 7489 receivers use the record of " + psl.foundAt()
                    + " but RFC 9989 receivers use the record of " + walk.foundAt()));
        }
        List<String> published = used.records();
        boolean several = published.size() > 1;
        if (several) {
            findings.add(Finding.error("dmarc.multiple", "_dmarc." + used.foundAt() + " has " + published.size()
                    + " DMARC records: receivers apply none of them (no policy, no reports); keep exactly one"));
        }
        List<DmarcRecord> records = new ArrayList<>();
        List<ReportAuthorization> destinations = new ArrayList<>();
        String org = domains.organisational(used.foundAt());
        for (int i = 0; i < published.size(); i++) {
            DmarcRecord record = new DmarcRecordParser().parse(published.get(i));
            records.add(record);
            // with several records each finding says which record it is about, and none is called valid
            String label = several ? "record " + (i + 1) + ": " : "";
            for (Finding f : record.findings()) {
                if (!several) {
                    findings.add(f);
                } else if (!f.code().equals("dmarc.valid")) {
                    findings.add(new Finding(f.severity(), f.code(), label + f.message()));
                }
            }
            for (var entry : List.of(java.util.Map.entry("rua", record.rua()), java.util.Map.entry("ruf", record.ruf()))) {
                for (DmarcRecord.ReportUri uri : entry.getValue()) {
                    if (uri.host() != null && !domains.organisational(uri.host()).equals(org)) {
                        destinations.add(ReportAuthorization.check(dns, domains, used.foundAt(), i + 1, label,
                                entry.getKey(), uri));
                    }
                }
            }
        }
        return new PostureReport.Dmarc(psl, walk, records, destinations, findings);
    }

    private PostureReport.Mail mail(String domain) {
        List<Finding> findings = new ArrayList<>();
        DnsAnswer mx = dns.mx(domain);
        if (mx.failed()) {
            findings.add(Finding.warning("mx.dns", mx.describe()));
        } else if (mx.empty()) {
            findings.add(Finding.info("mx.none", domain + " has no MX record: it receives no mail (reports about it still come in)"));
        } else if (mx.records().size() == 1 && mx.records().get(0).matches("0\\s+\\.?")) {
            findings.add(Finding.info("mx.null", domain + " publishes a null MX: it accepts no mail"));
        } else {
            findings.add(Finding.ok("mx.present", domain + " has " + mx.records().size() + " MX record(s)"));
        }
        String tlsRpt = first(dns.txt("_smtp._tls." + domain), "v=TLSRPTv1");
        findings.add(tlsRpt == null
                ? Finding.info("tlsrpt.missing", "no TLS-RPT record at _smtp._tls." + domain + ": publish \"v=TLSRPTv1; rua=mailto:...\" to receive SMTP TLS reports")
                : Finding.ok("tlsrpt.present", "TLS-RPT record published: " + tlsRpt));
        String mtaSts = first(dns.txt("_mta-sts." + domain), "v=STSv1");
        findings.add(mtaSts == null
                ? Finding.info("mtasts.missing", "no MTA-STS record at _mta-sts." + domain + ": senders may deliver without TLS when attacked")
                : Finding.ok("mtasts.present", "MTA-STS policy record published: " + mtaSts));
        return new PostureReport.Mail(mx.ok() ? mx.records() : List.of(), tlsRpt, mtaSts, findings);
    }

    private static String first(DnsAnswer answer, String prefix) {
        return answer.records().stream().filter(r -> r.replace(" ", "").startsWith(prefix)).findFirst().orElse(null);
    }
}
