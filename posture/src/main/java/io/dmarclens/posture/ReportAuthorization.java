package io.dmarclens.posture;

import io.dmarclens.parser.DomainNames;
import java.util.List;

/**
 * Whether a report destination outside the domain's organisation has agreed to receive its reports
 * (RFC 7489 section 7.1, RFC 9990 section 4): a {@code v=DMARC1} TXT record at
 * {@code <domain>._report._dmarc.<host>}.
 *
 * @param record     which of the published DMARC records names it (1-based, in DNS order)
 * @param tag        "rua" or "ruf"
 * @param address    the destination mailbox
 * @param host       the destination host
 * @param queryName  the name that was asked for
 * @param authorized true when a valid record was found
 * @param records    the TXT records found there
 * @param finding    the verdict in words
 */
public record ReportAuthorization(int record, String tag, String address, String host, String queryName, boolean authorized,
                                  List<String> records, Finding finding) {
    public ReportAuthorization {
        records = List.copyOf(records);
    }

    /**
     * Checks one destination of {@code policyDomain}'s record number {@code record}; {@code label} starts
     * each message ("record 2: ") when several records are published, else it is empty.
     */
    static ReportAuthorization check(DnsClient dns, DomainNames domains, String policyDomain, int record, String label,
                                     String tag, DmarcRecord.ReportUri uri) {
        String query = policyDomain + "._report._dmarc." + uri.host();
        if (query.length() > 253) {
            return new ReportAuthorization(record, tag, uri.address(), uri.host(), query, false, List.of(),
                    Finding.error("dmarc.external-unverifiable", label + tag + " " + uri.address() + ": the authorisation name "
                            + "is longer than DNS allows, so no receiver can verify it and reports will not be sent"));
        }
        DnsAnswer answer = dns.txt(query);
        if (answer.failed()) {
            return new ReportAuthorization(record, tag, uri.address(), uri.host(), query, false, List.of(),
                    Finding.warning("dmarc.external-dns", label + tag + " " + uri.address() + ": " + answer.describe()
                            + "; receivers will retry"));
        }
        List<String> valid = answer.records().stream().filter(r -> r.strip().startsWith("v=DMARC1")).toList();
        if (valid.isEmpty()) {
            return new ReportAuthorization(record, tag, uri.address(), uri.host(), query, false, answer.records(),
                    Finding.error("dmarc.external-unauthorized", label + tag + " " + uri.address() + " is outside "
                            + domains.organisational(policyDomain) + " and " + uri.host() + " has not authorised it: "
                            + "publish TXT \"v=DMARC1\" at " + query + ", or receivers will not send these reports"));
        }
        return new ReportAuthorization(record, tag, uri.address(), uri.host(), query, true, answer.records(),
                Finding.ok("dmarc.external-authorized", label + tag + " " + uri.address() + " is authorised by " + query));
    }
}
