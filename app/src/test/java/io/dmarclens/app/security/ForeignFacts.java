package io.dmarclens.app.security;

import io.dmarclens.store.Store;
import io.dmarclens.store.query.DomainScope;
import io.dmarclens.store.query.FailureRow;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.PolicyImpact;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.ReportSort;
import io.dmarclens.store.query.ReportSummary;
import io.dmarclens.store.query.TlsPolicyRow;
import io.dmarclens.store.query.TlsReportSummary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What a reader must never meet, read from the store over every domain: the policy domains outside their scope,
 * the source addresses that only foreign domains' reports name, and the ids of foreign reports; and, for building
 * requests, ids of their own.
 */
record ForeignFacts(Set<String> foreignDomains, Set<String> foreignIps, List<Long> foreignReports,
                    List<Long> foreignFailures, List<Long> foreignTls, List<Long> ownReports, List<Long> ownFailures,
                    List<Long> ownTls, List<String> ownIps) {

    static ForeignFacts of(Store store, DomainScope scope) {
        ReportFilter all = ReportFilter.all();
        Set<String> domains = new TreeSet<>();
        Map<String, Set<String>> ipDomains = new HashMap<>();
        store.domains().policyImpact(all).stream().map(PolicyImpact::domain).forEach(domains::add);
        store.reports().exportRecords(all, r -> ipDomains.computeIfAbsent(r.sourceIp(), k -> new HashSet<>())
                .add(lower(r.policyDomain())));
        List<Long> foreignReports = new ArrayList<>();
        List<Long> ownReports = new ArrayList<>();
        for (ReportSummary r : store.reports().reports(all, ReportSort.NEWEST, new Page(0, Page.MAX_LIMIT))) {
            domains.add(lower(r.policyDomain()));
            (scope.permits(r.policyDomain()) ? ownReports : foreignReports).add(r.id());
        }
        List<Long> foreignFailures = new ArrayList<>();
        List<Long> ownFailures = new ArrayList<>();
        for (FailureRow f : store.failureReports().failureReports(all, new Page(0, Page.MAX_LIMIT))) {
            f.reportedDomain().forEach(d -> domains.add(lower(d)));
            if (f.sourceIp() != null) {
                ipDomains.computeIfAbsent(f.sourceIp(), k -> new HashSet<>()).addAll(f.reportedDomain().stream()
                        .map(ForeignFacts::lower).toList());
            }
            boolean own = !f.reportedDomain().isEmpty() && f.reportedDomain().stream().allMatch(scope::permits);
            (own ? ownFailures : foreignFailures).add(f.id());
        }
        List<Long> foreignTls = new ArrayList<>();
        List<Long> ownTls = new ArrayList<>();
        for (TlsReportSummary t : store.tlsReports().tlsReports(all, new Page(0, Page.MAX_LIMIT))) {
            List<String> policyDomains = store.tlsReports().tlsReport(t.id()).orElseThrow().policies().stream()
                    .map(TlsPolicyRow::policyDomain).filter(d -> d != null).map(ForeignFacts::lower).toList();
            domains.addAll(policyDomains);
            boolean own = !policyDomains.isEmpty() && policyDomains.stream().allMatch(scope::permits);
            (own ? ownTls : foreignTls).add(t.id());
        }
        store.tlsReports().exportTlsFailures(all, t -> {
            if (t.sendingMtaIp() != null) {
                ipDomains.computeIfAbsent(t.sendingMtaIp(), k -> new HashSet<>()).add(lower(t.policyDomain()));
            }
        });
        domains.remove("");
        Set<String> foreignDomains = new TreeSet<>();
        for (String d : domains) {
            if (!scope.permits(d)) {
                foreignDomains.add(d);
            }
        }
        Set<String> foreignIps = new TreeSet<>();
        List<String> ownIps = new ArrayList<>();
        ipDomains.remove("");
        ipDomains.remove(null);
        ipDomains.forEach((ip, ds) -> {
            if (ds.stream().noneMatch(scope::permits)) {
                foreignIps.add(ip);
            } else {
                ownIps.add(ip);
            }
        });
        ownIps.sort(null);
        return new ForeignFacts(foreignDomains, foreignIps, foreignReports, foreignFailures, foreignTls, ownReports,
                ownFailures, ownTls, ownIps);
    }

    /** Every foreign name and address as a pattern that matches it whole (not as part of a longer name). */
    Map<String, Pattern> patterns() {
        Map<String, Pattern> out = new HashMap<>();
        for (String d : foreignDomains) {
            out.put(d, Pattern.compile("(?<![A-Za-z0-9.-])" + Pattern.quote(d) + "(?![A-Za-z0-9-]|\\.[A-Za-z0-9])",
                    Pattern.CASE_INSENSITIVE));
        }
        for (String ip : foreignIps) {
            if (ip.contains(":")) {
                out.put(ip, Pattern.compile("(?<![0-9A-Fa-f:])" + Pattern.quote(ip) + "(?![0-9A-Fa-f:])",
                        Pattern.CASE_INSENSITIVE));
                // as links carry it
                out.put(ip + " (in a link)", Pattern.compile("(?<![0-9A-Fa-f])" + Pattern.quote(ip.replace(":", "%3A"))
                        + "(?![0-9A-Fa-f%])", Pattern.CASE_INSENSITIVE));
            } else {
                out.put(ip, Pattern.compile("(?<![0-9.])" + Pattern.quote(ip) + "(?![0-9]|\\.[0-9])"));
            }
        }
        return out;
    }

    private static String lower(String d) {
        return d == null ? "" : d.strip().toLowerCase(Locale.ROOT);
    }
}
